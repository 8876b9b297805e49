import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocks } from './byte-stream.js';
import { ClientCryptoError, newContentKey } from './client-crypto.js';
import { decryptFiles, encryptFile, encryptFiles } from './file-crypto.js';
import {
  CHUNK_TAG_BYTES,
  FILE_CHUNK_BYTES,
  storedBytesOf,
  storedFileBytes,
  storedFileLimit,
} from './file-format.js';

const C = FILE_CHUNK_BYTES;
const T = CHUNK_TAG_BYTES;

const random = (n: number) => {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
};

/** A source that hands out `bytes` in pieces of `piece` bytes (not aligned with chunks). */
async function* pieces(bytes: Uint8Array, piece = 7919): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Byte-identical (vitest's deep equality walks large arrays slowly). */
const same = (actual: readonly Uint8Array[], expected: readonly Uint8Array[]) =>
  expect(actual.map((a) => Buffer.from(a).toString('hex'))).toEqual(
    expected.map((e) => Buffer.from(e).toString('hex')),
  );

const seal = (key: Uint8Array, files: readonly Uint8Array[]) =>
  collect(
    encryptFiles(
      key,
      files.map((f) => ({ bytes: f.length, source: pieces(f) })),
    ),
  );

async function open(key: Uint8Array, sizes: readonly number[], stored: Uint8Array): Promise<Uint8Array[]> {
  const out: Uint8Array[][] = sizes.map(() => []);
  const ends: number[] = [];
  for await (const piece of decryptFiles(key, sizes, pieces(stored, 50_000))) {
    out[piece.file]?.push(piece.bytes);
    if (piece.end) ends.push(piece.file);
  }
  expect(ends).toEqual(sizes.map((_, i) => i));
  return out.map(concat);
}

const concat = (parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The stored stream cut into its sealed chunks (file sizes known). */
const chunksOf = (stored: Uint8Array, sizes: readonly number[]) => {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    let left = size;
    do {
      const n = Math.min(left, C) + T;
      out.push(stored.slice(at, at + n));
      at += n;
      left -= Math.min(left, C);
    } while (left > 0);
  }
  return out;
};

describe('chunked file encryption', () => {
  it('round-trips sizes 0, 1, 65535, 65536, 65537 and several files in one stream', async () => {
    const key = newContentKey();
    for (const size of [0, 1, C - 1, C, C + 1, 3 * C + 5]) {
      const file = random(size);
      const stored = await seal(key, [file]);
      expect(stored.length).toBe(storedFileBytes(size));
      same(await open(key, [size], stored), [file]);
    }
    const files = [random(C + 1), random(0), random(10), random(2 * C)];
    const stored = await seal(key, files);
    const sizes = files.map((f) => f.length);
    expect(stored.length).toBe(storedBytesOf(sizes));
    expect(storedBytesOf(sizes)).toBeLessThanOrEqual(storedFileLimit(sizes.reduce((a, b) => a + b)));
    same(await open(key, sizes, stored), files);
  });

  it('refuses a dropped, reordered, swapped, truncated, extended or flipped stream', async () => {
    const key = newContentKey();
    const files = [random(3 * C), random(2 * C + 3)];
    const sizes = files.map((f) => f.length);
    const stored = await seal(key, files);
    const chunks = chunksOf(stored, sizes);
    expect(chunks).toHaveLength(6);
    const refuse = (bytes: Uint8Array, message: RegExp, wanted = sizes, withKey = key) =>
      expect(open(withKey, wanted, bytes)).rejects.toThrow(message);
    const [a0, a1, a2, b0, b1, b2] = chunks as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    const damaged = /damaged or out of order/;
    await refuse(concat([a0, a2, b0, b1, b2]), damaged); // dropped
    await refuse(concat([a1, a0, a2, b0, b1, b2]), damaged); // reordered
    await refuse(concat([b0, a1, a2, a0, b1, b2]), damaged); // swapped between files
    await refuse(stored.subarray(0, stored.length - 1), /cut short/); // truncated by a byte
    await refuse(concat([a0, a1, a2, b0, b1]), /cut short/); // last chunk missing
    await refuse(concat([stored, new Uint8Array(1)]), /longer than their list/); // extended
    await refuse(concat([stored, b2]), /longer than their list/); // a chunk repeated at the end
    const flipped = stored.slice();
    flipped[C + 40] = (flipped[C + 40] ?? 0) ^ 1;
    await refuse(flipped, damaged);
    await refuse(stored, damaged, sizes, newContentKey()); // wrong key
    // A list that lies about the sizes: a file's end moved (the last flag no longer matches).
    await refuse(concat([a0, a1]), damaged, [2 * C]);
    await refuse(stored, damaged, [C, 2 * C, 2 * C + 3]);
    // A non-last chunk presented as the end of a file, with the following chunks stripped.
    await refuse(concat([a0, a1, a2]), /cut short/);
    same(await open(key, sizes, stored), files);
  });

  it('refuses a file whose stream is longer or shorter than its announced size', async () => {
    const key = newContentKey();
    const file = random(C + 10);
    await expect(collect(encryptFile(key, 0, { bytes: C + 9, source: pieces(file) }))).rejects.toThrow(
      ClientCryptoError,
    );
    await expect(collect(encryptFile(key, 0, { bytes: C + 11, source: pieces(file) }))).rejects.toThrow(
      /changed while/,
    );
    await expect(collect(encryptFile(key, 100, { bytes: 0, source: pieces(file) }))).rejects.toThrow(
      /at most 100 files/,
    );
  });

  it('round-trips any files, cut into any pieces (property)', async () => {
    const key = newContentKey();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 3 * C + 2 }), { minLength: 0, maxLength: 4 }),
        fc.integer({ min: 500, max: 100_000 }),
        async (sizes, piece) => {
          const files = sizes.map(random);
          const stored = await collect(
            blocks(
              encryptFiles(
                key,
                files.map((f) => ({ bytes: f.length, source: pieces(f, piece) })),
              ),
              piece,
            ),
          );
          expect(stored.length).toBe(storedBytesOf(sizes));
          same(await open(key, sizes, stored), files);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the stored limit fits any 100 files within the plaintext limit', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5 * C }), { minLength: 1, maxLength: 100 }), (sizes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        expect(storedBytesOf(sizes)).toBeLessThanOrEqual(storedFileLimit(total));
      }),
    );
    expect(storedFileLimit(25 * 1024 * 1024)).toBe(25 * 1024 * 1024 + 16 * (400 + 100));
  });
});
