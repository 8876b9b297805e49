import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContentKey } from '../client/client-crypto.js';
import { encryptFiles } from '../client/file-crypto.js';
import { createProgress } from './progress.js';
import { prepareDirectory, saveFiles } from './save-files.js';

/**
 * saveFiles against a stand-in download route (node:http) that answers the stored stream it is
 * given, so damaged ones can be served: the server's real routes are tested in test/cli-files.
 */
let server: Server;
let base: string;
let serving: Uint8Array = new Uint8Array(0);
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-save-'));
  server = createServer((request, response) => {
    if (request.method !== 'POST' || !request.url?.startsWith('/api/v1/downloads/')) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': serving.length });
    response.end(serving);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const files = [
  { name: 'a.txt', type: 'text/plain', bytes: Buffer.from('first file\n') },
  { name: '../b.bin', type: '', bytes: Buffer.alloc(200_000, 7) },
];
const entries = files.map(({ name, type, bytes }) => ({ name, type, size: bytes.length }));
const quiet = () => createProgress({ write: () => true });

async function stored(key: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const source = async function* (bytes: Uint8Array) {
    yield bytes;
  };
  for await (const part of encryptFiles(
    key,
    files.map((f) => ({ bytes: f.bytes.length, source: source(f.bytes) })),
  )) {
    parts.push(part);
  }
  return Buffer.concat(parts);
}

const grant = (bytes: number) => ({ downloadKey: 'k', bytes, expiresAt: '2030-01-01T00:00:00Z' });

describe('saving a share’s files', () => {
  it('writes each file under its safe name, numbering one that exists', async () => {
    const key = newContentKey();
    serving = await stored(key);
    const out = path.join(dir, 'ok');
    await prepareDirectory(out);
    writeFileSync(path.join(out, 'a.txt'), 'mine');
    const lines: string[] = [];
    const progress = { update: (line: string) => lines.push(line), done: () => undefined };
    const saved = await saveFiles(base, key, entries, grant(serving.length), out, { force: false, progress });
    expect(lines[0]).toBe('downloading and decrypting 0 B of 195.3 KiB (0%)');
    expect(lines.at(-1)).toBe('downloading and decrypting 195.3 KiB of 195.3 KiB (100%)');
    expect(saved.map((f) => f.name)).toEqual(['a (2).txt', '___b.bin']);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(out, 'a (2).txt'))).toEqual(files[0]?.bytes);
    expect(readFileSync(path.join(out, '___b.bin'))).toEqual(files[1]?.bytes);
    expect(readdirSync(out).sort()).toEqual(['___b.bin', 'a (2).txt', 'a.txt']);
  });

  const CHUNK = 65536 + 16;
  const A = 11 + 16; // file a: one sealed chunk
  it.each([
    [
      'a flipped byte in the last chunk',
      (s: Uint8Array) => s.map((b, i) => (i === s.length - 3 ? b ^ 1 : b)),
    ],
    [
      'two chunks of the second file swapped',
      (s: Uint8Array) =>
        Buffer.concat([
          s.subarray(0, A),
          s.subarray(A + CHUNK, A + 2 * CHUNK),
          s.subarray(A, A + CHUNK),
          s.subarray(A + 2 * CHUNK),
        ]),
    ],
  ])('leaves no file at all after %s', async (name, damage) => {
    const key = newContentKey();
    serving = damage(await stored(key));
    const out = path.join(dir, name.replaceAll(' ', '-'));
    await prepareDirectory(out);
    await expect(
      saveFiles(base, key, entries, grant(serving.length), out, { force: false, progress: quiet() }),
    ).rejects.toThrow(/file 2 is damaged or out of order/);
    // The first file opened fine, but it is not kept: the set is whole only at its end.
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses a download whose size does not match the list before fetching it', async () => {
    const out = path.join(dir, 'mismatch');
    await prepareDirectory(out);
    await expect(
      saveFiles(base, newContentKey(), entries, grant(5), out, { force: false, progress: quiet() }),
    ).rejects.toThrow(/do not match their list/);
  });
});
