/**
 * Rows as aligned columns (two spaces apart, the last one not padded), for a person at a
 * terminal. Scripts get --json instead, so nothing here needs to stay stable to parse.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map(printable));
  const widths = header.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${all.map(line).join('\n')}\n`;
}

/** Characters JSON.stringify leaves as they are but a terminal should not get: separators, bidi controls. */
const INVISIBLE = /[\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A cell as it can be shown: text with a line break, a tab, a control character (an escape
 * sequence would drive the terminal) or a bidi control (it would reorder what is shown) is shown
 * JSON-quoted instead, escapes visible.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
  if (!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  return JSON.stringify(text).replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
