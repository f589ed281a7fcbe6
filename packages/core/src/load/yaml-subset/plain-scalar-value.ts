/** A resolved scalar (`{ value }`), or undefined when the subset leaves the text to yaml. */
export type Resolved = { value: string | number | boolean | null } | undefined;

const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const BOOLEANS = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);
const DECIMAL = /^[0-9]+$/;
// What YAML 1.2's core schema could read as a number (floats, exponents, octal, hex, infinities, NaN) or a
// signed integer: left to yaml, so its exact numeric values need not be copied here.
const NUMBER_LIKE = /^[-+]?(?:\.[0-9]|[0-9]|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)/;
const CORE_NUMBER =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/**
 * The value of a plain scalar under YAML 1.2's core schema (yaml's default): null, booleans, unsigned
 * decimal integers and strings. Anything yaml would read as another kind of number is left to yaml.
 */
export function plainScalarValue(text: string): Resolved {
  if (NULLS.has(text)) return { value: null };
  const boolean = BOOLEANS.get(text);
  if (boolean !== undefined) return { value: boolean };
  if (!NUMBER_LIKE.test(text)) return { value: text };
  // Up to 15 digits a double holds exactly, so parseInt gives yaml's value.
  if (DECIMAL.test(text) && text.length <= 15) return { value: parseInt(text, 10) };
  return CORE_NUMBER.test(text) ? undefined : { value: text };
}
