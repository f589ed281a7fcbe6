/** A connection URL safe to print: the password replaced by `***`; anything unparsable shown as `<invalid URL>`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}
