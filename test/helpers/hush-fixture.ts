import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHush, type Hush } from '../../src/server.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';
export const ADMIN_AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface HushFixture {
  readonly hush: Hush;
  readonly config: Config;
  readonly dir: string;
  /** Every log line the process wrote, raw JSON text. */
  readonly logs: string[];
  close(): Promise<void>;
}

/**
 * A real hush process in-memory: the production composition root on a SQLite file in a fresh
 * temporary directory, with logs captured. Use `fixture.hush.app.inject()` for HTTP calls.
 */
export async function makeHush(env: Record<string, string> = {}): Promise<HushFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-test-'));
  const config = loadConfig({
    HUSH_DATA_DIR: dir,
    HUSH_ADMIN_TOKEN: ADMIN_TOKEN,
    HUSH_RATE_LIMIT_MAX: '0',
    HUSH_LOG_LEVEL: 'info',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => logs.push(line) });
  const hush = await createHush(config, logger);
  return {
    hush,
    config,
    dir,
    logs,
    async close() {
      await hush.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON body of an inject() response. */
export function json<T = Record<string, unknown>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
}
