import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Canary "needles" and the search for them in raw bytes, for test/no-leak.test.ts: each canary in
 * the spellings a careless implementation would store or log (UTF-8, UTF-16, hex, base64,
 * base64url, raw token bytes).
 */

export interface Needle {
  readonly label: string;
  readonly bytes: Buffer;
}

/** Base64 of `bytes` at each of the three byte alignments, minus the last group (it depends on what follows). */
export function base64Needles(label: string, bytes: Buffer): Needle[] {
  const needles: Needle[] = [];
  for (let skip = 0; skip < 3; skip++) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = bytes.subarray(skip).toString(encoding).replace(/=+$/, '');
      const usable = text.slice(0, text.length - 4);
      if (usable.length >= 16)
        needles.push({ label: `${label} (${encoding}, offset ${skip})`, bytes: Buffer.from(usable) });
    }
  }
  return needles;
}

export function textNeedles(label: string, text: string): Needle[] {
  const utf8 = Buffer.from(text, 'utf8');
  return [
    { label, bytes: utf8 },
    { label: `${label} (UTF-16LE)`, bytes: Buffer.from(text, 'utf16le') },
    { label: `${label} (hex)`, bytes: Buffer.from(utf8.toString('hex')) },
    { label: `${label} (HEX)`, bytes: Buffer.from(utf8.toString('hex').toUpperCase()) },
    ...base64Needles(label, utf8),
  ];
}

/** The raw bytes behind a token or key, in every common spelling. */
function rawNeedles(label: string, raw: Buffer): Needle[] {
  return [
    { label: `${label} (raw bytes)`, bytes: raw },
    { label: `${label} (raw hex)`, bytes: Buffer.from(raw.toString('hex')) },
    { label: `${label} (raw HEX)`, bytes: Buffer.from(raw.toString('hex').toUpperCase()) },
    { label: `${label} (raw base64)`, bytes: Buffer.from(raw.toString('base64').replace(/=+$/, '')) },
  ];
}

/** A base64url token: its text, and the 32 bytes it stands for in every common spelling. */
export function tokenNeedles(label: string, token: string): Needle[] {
  return [...textNeedles(label, token), ...rawNeedles(label, Buffer.from(token, 'base64url'))];
}

/** A master key as hush reads it (64 hex digits, or base64/base64url): its text and its 32 bytes. */
export function masterKeyNeedles(label: string, text: string): Needle[] {
  const raw = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64url');
  const base64url = raw.toString('base64url');
  return [
    ...textNeedles(label, text),
    ...rawNeedles(label, raw),
    ...(base64url === text ? [] : [{ label: `${label} (raw base64url)`, bytes: Buffer.from(base64url) }]),
  ];
}

/**
 * Finds many needles in one pass over a haystack (a single `includes` per needle would read tens
 * of megabytes of PostgreSQL files hundreds of times): positions whose first two bytes start some
 * needle are looked up by their first four bytes, then compared in full. Every needle must be at
 * least 4 bytes long.
 */
export class NeedleSearch {
  private readonly firstTwo = new Uint8Array(65_536);
  private readonly byFirstFour = new Map<number, Needle[]>();

  constructor(readonly needles: readonly Needle[]) {
    for (const needle of needles) {
      const b = needle.bytes;
      if (b.length < 4) throw new Error(`needle "${needle.label}" is shorter than 4 bytes`);
      this.firstTwo[(b[0] as number) | ((b[1] as number) << 8)] = 1;
      const key = b.readUInt32LE(0);
      const list = this.byFirstFour.get(key);
      if (list) list.push(needle);
      else this.byFirstFour.set(key, [needle]);
    }
  }

  /** Labels of the needles that occur in `haystack`, in the order the needles were given. */
  find(haystack: Buffer): string[] {
    const found = new Set<Needle>();
    const end = haystack.length - 3;
    for (let i = 0; i < end; i++) {
      if (this.firstTwo[(haystack[i] as number) | ((haystack[i + 1] as number) << 8)] === 0) continue;
      const candidates = this.byFirstFour.get(haystack.readUInt32LE(i));
      if (!candidates) continue;
      for (const needle of candidates) {
        const n = needle.bytes.length;
        if (i + n <= haystack.length && haystack.compare(needle.bytes, 0, n, i, i + n) === 0)
          found.add(needle);
      }
    }
    return this.needles.filter((needle) => found.has(needle)).map((needle) => needle.label);
  }
}

/** The same answer as NeedleSearch, one `includes` per needle: the reference it is checked against. */
export function findCanariesNaive(haystack: Buffer, needles: readonly Needle[]): string[] {
  return needles.filter((needle) => haystack.includes(needle.bytes)).map((needle) => needle.label);
}

/** Bytes at rest, by where they were read (a file, or a key read through a client). */
export type AtRest = Map<string, Buffer>;

/** `label: needle` for every needle found in any place. */
export function findInPlaces(places: AtRest, search: NeedleSearch): string[] {
  return [...places].flatMap(([place, bytes]) => search.find(bytes).map((label) => `${place}: ${label}`));
}

/** The places whose name matches `filter`, concatenated (separated, so no match spans two places). */
export function joinPlaces(places: AtRest, filter: RegExp): Buffer {
  const parts = [...places].filter(([place]) => filter.test(place)).map(([, bytes]) => bytes);
  return Buffer.concat(parts.flatMap((bytes) => [bytes, Buffer.from('\n\0--\0\n')]));
}

/**
 * Every regular file under `root`, recursively, keyed `${prefix}${relative path}`. A file that
 * disappears between the listing and the read (a running server recycles WAL segments and
 * statistics files) is skipped; any other error is thrown.
 */
export function readTree(root: string, prefix = ''): AtRest {
  const files: AtRest = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          files.set(prefix + path.relative(root, full), readFileSync(full));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
  };
  walk(root);
  return files;
}
