import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config/config.js';
import { MasterKeyError } from './crypto/master-key.js';
import { createLogger } from './logging/logger.js';
import { createHush, startServer } from './server.js';

/** The composition root in-process: start, the key check, and refusing a bad first admin. */
describe('createHush and startServer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-server-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const logger = createLogger('silent');
  const key = (digit: string) => digit.repeat(64);

  it('listens, serves and closes', async () => {
    const config = loadConfig({ HUSH_DATA_DIR: dir, HUSH_PORT: '0', HUSH_MASTER_KEY: key('a') });
    const server = await startServer(config, logger);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses a master key other than the one the database was written with', async () => {
    const config = loadConfig({ HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: key('b') });
    await expect(createHush(config, logger)).rejects.toThrow(MasterKeyError);
    await expect(createHush(config, logger)).rejects.toThrow(
      /HUSH_MASTER_KEY\) is not the key this database/,
    );
  });

  it('turns a first admin the account rules refuse into a configuration error', async () => {
    const config = loadConfig({
      HUSH_DATA_DIR: dir,
      HUSH_MASTER_KEY: key('a'),
      HUSH_BOOTSTRAP_ADMIN_USERNAME: 'x',
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: 'short',
    });
    await expect(createHush(config, logger)).rejects.toThrow(ConfigError);
  });

  it('closes what it opened when listening fails (port taken)', async () => {
    const config = loadConfig({ HUSH_DATA_DIR: dir, HUSH_PORT: '0', HUSH_MASTER_KEY: key('a') });
    const first = await startServer(config, logger);
    try {
      const port = new URL(first.url).port;
      const taken = loadConfig({ HUSH_DATA_DIR: dir, HUSH_PORT: port, HUSH_MASTER_KEY: key('a') });
      await expect(startServer(taken, logger)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
