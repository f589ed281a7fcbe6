/** A Markdown table; cells are escaped so a `|` or a line break in a description cannot break it. */
export function markdownTable(headers: string[], rows: string[][]): string[] {
  return [row(headers), row(headers.map(() => '---')), ...rows.map(row)];
}

/** Text safe inside a table cell. */
export function cell(text: string | undefined): string {
  return (text ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();
}

/** Inline code; backticks inside are replaced so the span stays one span. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
