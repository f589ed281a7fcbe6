/**
 * Checks for values that reach git's command line from outside (API bodies, events, payloads). Anything
 * that passes is a plain object id or a ref name by git's own rules, so it can never be read as an option
 * (`--upload-pack=…`) or a refspec (`+src:dst`).
 */

/** A full object id: 40 hex digits (SHA-1) or 64 (SHA-256), lower or upper case. */
export function isObjectId(value: string): boolean {
  return /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(value);
}

/** GitHub refuses ref names longer than this; so do we, before git sees them. */
export const MAX_REF_NAME_BYTES = 255;

/**
 * Whether `name` is a valid branch name by `git check-ref-format --branch` rules: no control characters,
 * space, `~ ^ : ? * [ \`, no `..` or `@{`, no component starting with `.` or ending with `.lock`, no empty
 * component, no trailing `.` or `/` (what `git check-ref-format refs/heads/<name>` accepts), and not starting with
 * `-` (it would read as an option; `git check-ref-format --branch` refuses it too).
 */
export function isBranchName(name: string): boolean {
  if (name === '' || name.startsWith('-')) return false;
  if (Buffer.byteLength(name, 'utf8') > MAX_REF_NAME_BYTES) return false;
  if ([...name].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  if (/[~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.endsWith('.')) return false;
  return name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** Whether `ref` is a full ref name (`refs/heads/main`, `refs/pull/7/head`) by `git check-ref-format` rules. */
export function isFullRefName(ref: string): boolean {
  return ref.startsWith('refs/') && isBranchName(ref.slice('refs/'.length)) && ref.split('/').length >= 3;
}
