import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { newMasterKey } from './load.js';
import { type NodeStorage, nodeStorageEnv, startedOn } from './node-storage.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import type { tempDirs } from './temp-dirs.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Starts `count` hush processes as nodes of one deployment on `backend` (one master key, one
 * database or SQLite file, one Redis prefix), each in a data directory from `dirs`; on SQLite
 * they share one, migrated first. The caller stops them.
 */
export async function startNodes(
  backend: NodeStorage,
  count: number,
  env: Record<string, string>,
  dirs: ReturnType<typeof tempDirs>,
): Promise<ServerProcess[]> {
  const storage = await nodeStorageEnv(backend);
  const shared = backend === 'sqlite' ? dirs.make() : undefined;
  const masterKey = newMasterKey();
  const nodeEnv = () => ({
    ...storage,
    ...env,
    HUSH_DATA_DIR: shared ?? dirs.make(),
    HUSH_MASTER_KEY: masterKey,
  });
  if (shared) {
    const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...nodeEnv() },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(migrate.status, migrate.stderr).toBe(0);
  }
  const started = await Promise.all(Array.from({ length: count }, () => startServerProcess(nodeEnv())));
  for (const server of started) expect(startedOn(server.output())).toBe(backend);
  return started;
}
