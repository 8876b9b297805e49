import qrcode from 'qrcode-generator';

/** A QR code's modules, row by row: true is dark. Square; no quiet zone (the renderer adds it). */
export type QrMatrix = readonly (readonly boolean[])[];

/**
 * The QR code of a text (a share link), shared by the page and the CLI so both draw the same code.
 * Byte mode, the smallest version that fits, error correction M (15 %): a link stays readable from
 * a slightly blurred screen or a terminal font with gaps between lines.
 */
export function qrMatrix(text: string): QrMatrix {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => code.isDark(row, col)),
  );
}
