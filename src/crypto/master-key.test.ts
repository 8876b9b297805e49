import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMasterKey, loadMasterKey, MasterKeyError } from './master-key.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-key-'));
  dirs.push(dir);
  return dir;
};
const tempFile = () => path.join(tempDir(), 'sub', 'master.key');
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('master key', () => {
  it('is created on first start as a 0600 file, then read back', () => {
    const file = tempFile();
    const created = loadMasterKey({ masterKey: undefined, masterKeyFile: file });
    expect(created.origin).toBe('created');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadMasterKey({ masterKey: undefined, masterKeyFile: file });
    expect(again.origin).toBe('file');
    expect(again.key.equals(created.key)).toBe(true);
  });

  it('tightens a key file that others can read', () => {
    const file = tempFile();
    loadMasterKey({ masterKey: undefined, masterKeyFile: file });
    chmodSync(file, 0o644);
    expect(loadMasterKey({ masterKey: undefined, masterKeyFile: file }).tightenedFrom).toBe('644');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ masterKey: undefined, masterKeyFile: file }).tightenedFrom).toBeUndefined();
  });

  it('accepts 32 bytes as hex, base64 or base64url from the environment', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      expect(loadMasterKey({ masterKey: text, masterKeyFile: '/nonexistent' }).key.equals(key)).toBe(true);
    }
  });

  it('refuses short or malformed keys with a clear message', () => {
    expect(() => decodeMasterKey('abc', 'HUSH_MASTER_KEY')).toThrow(MasterKeyError);
    expect(() => decodeMasterKey(randomBytes(16).toString('hex'), 'HUSH_MASTER_KEY')).toThrow(/malformed/);
    expect(() => decodeMasterKey(`${randomBytes(32).toString('hex')}zz`, 'X')).toThrow(/openssl rand/);
    const file = tempFile();
    loadMasterKey({ masterKey: undefined, masterKeyFile: file });
    writeFileSync(file, 'not a key');
    expect(() => loadMasterKey({ masterKey: undefined, masterKeyFile: file })).toThrow(
      /master key file .* is malformed/,
    );
    expect(readFileSync(file, 'utf8')).toBe('not a key');
  });

  it('several processes starting at once all end up with the one key on disk', async () => {
    const file = tempFile();
    const loader = path.resolve('test/helpers/load-master-key.ts');
    const run = () =>
      new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', loader, file], (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        );
      });
    const keys = await Promise.all(Array.from({ length: 6 }, run));
    const onDisk = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url').toString('hex');
    expect(keys).toEqual(Array(6).fill(onDisk));
  });

  it('reports an unreadable key file', () => {
    const dir = tempDir();
    expect(() => loadMasterKey({ masterKey: undefined, masterKeyFile: dir })).toThrow(
      /cannot read master key file/,
    );
  });
});
