/**
 * `text` with credentials removed: the user-information part of every URL (`https://user:secret@host` →
 * `https://***@host`) and each of `secrets` (a token, its base64 header form). Every message that may carry
 * a mirror URL or git's stderr goes through this before it reaches a log, a check summary or an API answer.
 */
export function redactCredentials(text: string, secrets: string[] = []): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
