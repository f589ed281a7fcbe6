/** The text of a file, or where its bytes stop being UTF-8. */
export type DecodedText = { ok: true; text: string } | { ok: false; offset: number; byte: number };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * Decodes UTF-8 strictly (a BOM is dropped). On failure it reports the offset, in the text decoded
 * leniently, of the first replacement character, so the diagnostic can point at the right line.
 */
export function decodeText(content: Uint8Array | string): DecodedText {
  if (typeof content === 'string')
    return { ok: true, text: content.charCodeAt(0) === 0xfeff ? content.slice(1) : content };
  try {
    return { ok: true, text: strict.decode(content) };
  } catch {
    const text = lenient.decode(content);
    const offset = Math.max(0, text.indexOf('\ufffd'));
    return { ok: false, offset, byte: firstInvalidByte(content) };
  }
}

/** The first byte that cannot start or continue a UTF-8 sequence where it stands. */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) continue;
    const length = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    if (length === 0) return b;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return b;
    }
    i += length - 1;
  }
  return 0;
}
