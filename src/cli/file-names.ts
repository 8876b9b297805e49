/**
 * A file name from a share's manifest made safe to create in the chosen directory: whatever the
 * sender's client wrote there, it names one new entry inside that directory and reads plainly on
 * a terminal. Path separators, control and bidirectional-override characters become `_`, and so
 * do leading dots and runs of dots (no `.`, `..` or hidden file); an empty name becomes `file`; at most 255 bytes.
 */
const UNSAFE = /[/\\\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const MAX_NAME_BYTES = 255;

export function safeFileName(name: string): string {
  let safe = name
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .replace(/^\.+|\.{2,}/g, (dots) => '_'.repeat(dots.length));
  safe = safe.replace(/[ .]+$/, (tail) => '_'.repeat(tail.length));
  if (safe === '') safe = 'file';
  return fitBytes(safe, MAX_NAME_BYTES);
}

/** `name` with ` (n)` before its extension: report.pdf → report (2).pdf. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const suffix = ` (${n})${ext}`;
  return fitBytes(stem, MAX_NAME_BYTES - new TextEncoder().encode(suffix).length) + suffix;
}

/** The names a share's files are saved under: sanitised, and distinct (a later twin is numbered). */
export function distinctNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const safe = safeFileName(name);
    let pick = safe;
    for (let n = 2; taken.has(pick.toLowerCase()); n++) pick = numberedName(safe, n);
    taken.add(pick.toLowerCase());
    return pick;
  });
}

function fitBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= max) return text;
  let out = '';
  for (const char of text) {
    if (encoder.encode(out + char).length > max) break;
    out += char;
  }
  return out;
}
