/** Zero-width space: placed after `@`, `#`, `://` and `www` it keeps the text readable but unlinked. */
const ZWSP = '\u200b';

/** Characters that start Markdown or HTML (emphasis, code, links, images, tables, tags, entities). */
const MARKDOWN = new Set(['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '!']);

/** C0/C1 controls and bidirectional overrides become a space: one line, no text shown reversed. */
function isHidden(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code < 0xa0) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function bounded(text: string, max: number): { chars: string[]; cut: boolean } {
  const chars = Array.from(text);
  return chars.length > max ? { chars: chars.slice(0, max), cut: true } : { chars, cut: false };
}

/**
 * User-written text — a command's arguments, a lock reason, an indexing id, a branch or resource name, a
 * holder — made safe to repeat in a comment or check summary: one line of at most `max` characters, Markdown
 * and HTML escaped (no emphasis, links, images, tags, table breaks), and `@mentions`, `#refs`, URLs and
 * `www.` hosts defused with a zero-width space so that repeating them pings nobody and links nothing.
 * Every place the app writes user text into Markdown goes through this or {@link quietCode}.
 */
export function quietText(text: string, max = 300): string {
  const { chars, cut } = bounded(text, max);
  let out = '';
  for (const c of chars) {
    if (isHidden(c.codePointAt(0) ?? 0)) out += ' ';
    else if (MARKDOWN.has(c)) out += `\\${c}`;
    else if (c === '@') out += `@${ZWSP}`;
    else out += c;
  }
  out = out
    .replace(/#(?=[\w-])/g, `#${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
  return cut ? `${out}…` : out;
}

/**
 * User text as an inline code span (an id, a resource, an index type): code spans render nothing — no
 * mentions, links or Markdown — so only what could end the span (a backtick), break the line or hide text is
 * taken out, and the length is bounded.
 */
export function quietCode(text: string, max = 100): string {
  const { chars, cut } = bounded(text, max);
  const inner = chars.map((c) => (c === '`' || c === '|' || isHidden(c.codePointAt(0) ?? 0) ? ' ' : c)).join('');
  return `\`${inner.trim() || ' '}${cut ? '…' : ''}\``;
}
