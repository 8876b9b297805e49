import { type QrMatrix, qrMatrix } from '../client/qr-matrix.js';

/** Light modules around the code: the standard asks for 4, scanners read a terminal's 2 well. */
const QUIET = 2;

/**
 * Upper half, lower half, both or neither of a character cell is light: two module rows per line,
 * so the code stays square in a terminal font. Blocks draw the light modules (as `qrencode -t UTF8`
 * does), which a light-on-dark terminal shows as a dark code on a light square.
 */
const CELL = { both: '█', top: '▀', bottom: '▄', none: ' ' } as const;

/** On a terminal the colours are set (white on black), so the code reads right on any theme. */
const COLOURS = { on: '\u001b[97;40m', off: '\u001b[0m' } as const;

/** The QR code of `text` as lines of text, with a quiet zone; `colour` adds the terminal colours. */
export function qrText(text: string, colour = false): string {
  const lines = renderLines(qrMatrix(text));
  return lines.map((line) => (colour ? `${COLOURS.on}${line}${COLOURS.off}\n` : `${line}\n`)).join('');
}

function renderLines(matrix: QrMatrix): string[] {
  const size = matrix.length + 2 * QUIET;
  const light = (row: number, col: number) => {
    const r = row - QUIET;
    const c = col - QUIET;
    return !(matrix[r]?.[c] ?? false);
  };
  const lines: string[] = [];
  for (let row = 0; row < size; row += 2) {
    let line = '';
    for (let col = 0; col < size; col += 1) {
      const top = light(row, col);
      const bottom = row + 1 < size ? light(row + 1, col) : false;
      line += top && bottom ? CELL.both : top ? CELL.top : bottom ? CELL.bottom : CELL.none;
    }
    lines.push(line);
  }
  return lines;
}
