import { normalizeSqlType } from '../sql-type.js';

/** An entity or attribute name Mermaid accepts: letters, digits, `_` and `-`, not starting with a digit. */
export function mermaidName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/**
 * A SQL type as a Mermaid attribute type, which allows no commas, spaces or parentheses:
 * `DECIMAL(15,2)` → `DECIMAL`, `DOUBLE PRECISION` → `DOUBLE_PRECISION`, `TEXT[]` → `TEXT_ARRAY`.
 * The full type goes into the attribute's comment when this drops something.
 */
export function mermaidType(type: string): { type: string; full?: string } {
  if (type.trim() === '') return { type: 'UNKNOWN' };
  const normalized = normalizeSqlType(type);
  const base = normalized.base.replace(/\[\]$/, '_ARRAY');
  const simple = mermaidName(base.replace(/ /g, '_'));
  return simple === normalized.text ? { type: simple } : { type: simple, full: normalized.text };
}

/** Text for a quoted Mermaid string: no double quotes or line breaks. */
export function mermaidText(text: string): string {
  return text.replace(/"/g, "'").replace(/\s+/g, ' ').trim();
}
