/**
 * User-written text (a lock reason, a quoted command) made safe to repeat in a bot comment or check summary:
 * one line, no table breaks, and `@mentions` / `#refs` defused with a zero-width joiner so that repeating
 * them pings nobody and links nothing.
 */
export function quietText(text: string, max = 300): string {
  const flat = text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/([@#])(?=[\w-])/g, '$1\u200d');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
