import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logLines } from './helpers/load.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { tempDirs } from './helpers/temp-dirs.js';

/** What hush leaves on disk holds secrets' pages and the key to them: no one else may read it. */

const dirs = tempDirs('hush-file-modes-');
let server: ServerProcess | undefined;
const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

afterEach(async () => {
  await server?.stop();
  server = undefined;
  dirs.cleanup();
});

/** Starts a node under a umask that would leave new files readable and writable by everyone. */
async function startPermissive(env: Record<string, string>): Promise<ServerProcess> {
  const previous = process.umask(0o000);
  try {
    return await startServerProcess(env);
  } finally {
    process.umask(previous);
  }
}

describe('file modes on the data directory', () => {
  it('creates the database, its WAL and shared-memory files and the key file 0600 under umask 000', async () => {
    const data = path.join(dirs.make(), 'data');
    server = await startPermissive({ HUSH_DATA_DIR: data });
    // A write, so the WAL holds pages.
    const created = await fetch(`${server.url}/api/v1/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: 'in the WAL' }),
    });
    expect(created.status).toBe(201);
    expect(readdirSync(data).sort()).toEqual(['hush.db', 'hush.db-shm', 'hush.db-wal', 'master.key']);
    for (const file of readdirSync(data))
      expect(`${file} ${modeOf(path.join(data, file))}`).toBe(`${file} 600`);
    expect(modeOf(data)).toBe('700');
  });

  it('tightens a database and key file left readable by others, and says so without the key', async () => {
    const data = dirs.make();
    const key = randomBytes(32).toString('base64url');
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'master.key'), `${key}\n`, { mode: 0o644 });
    chmodSync(path.join(data, 'master.key'), 0o644);
    // A database an earlier run (or a copy by hand) left 0644, with a WAL of the same mode.
    server = await startPermissive({ HUSH_DATA_DIR: data });
    await server.stop();
    for (const file of ['hush.db', 'hush.db-wal', 'hush.db-shm']) {
      try {
        chmodSync(path.join(data, file), 0o644);
      } catch {
        // A clean stop may have removed the WAL and shared-memory files.
      }
    }
    chmodSync(path.join(data, 'master.key'), 0o640);
    server = await startPermissive({ HUSH_DATA_DIR: data });
    for (const file of readdirSync(data))
      expect(`${file} ${modeOf(path.join(data, file))}`).toBe(`${file} 600`);
    const warnings = logLines(server.output()).filter((line) => line.level === 40);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        file: path.join(data, 'master.key'),
        previousMode: '640',
        msg: 'master key file was readable by others: set to mode 0600',
      }),
    );
    expect(warnings).toContainEqual(
      expect.objectContaining({
        file: path.join(data, 'hush.db'),
        previousMode: '644',
        msg: 'database file was readable by others: set to mode 0600',
      }),
    );
    expect(server.output()).not.toContain(key);
  });
});
