import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { TypedApp } from '../../src/http/route-types.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHush, type Hush } from '../../src/server.js';

/** The first admin every fixture starts with (HUSH_BOOTSTRAP_ADMIN_*). */
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'test admin password 0123456789';

export interface HushFixture {
  readonly hush: Hush;
  readonly config: Config;
  readonly dir: string;
  /** Every log line the process wrote, raw JSON text. */
  readonly logs: string[];
  /** `Authorization` header of a signed-in admin session. */
  readonly adminAuth: { readonly authorization: string };
  close(): Promise<void>;
}

export interface TokenReply {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly refresh_expires_in: number;
  readonly scope: string;
  readonly session_id: string;
}

/** Signs in with the password grant (JSON); throws unless it succeeds. */
export async function login(
  app: TypedApp,
  username: string,
  password: string,
  extra: Record<string, unknown> = {},
): Promise<TokenReply> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/token/create',
    payload: { grant_type: 'password', username, password, ...extra },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as TokenReply;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A real hush process in-memory: the production composition root on a SQLite file in a fresh
 * temporary directory, with logs captured and an admin signed in. Use `fixture.hush.app.inject()`.
 */
export async function makeHush(env: Record<string, string> = {}): Promise<HushFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-test-'));
  const config = loadConfig({
    HUSH_DATA_DIR: dir,
    HUSH_BOOTSTRAP_ADMIN_USERNAME: ADMIN_USERNAME,
    HUSH_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HUSH_RATE_LIMIT_MAX: '0',
    HUSH_LOG_LEVEL: 'info',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => logs.push(line) });
  const hush = await createHush(config, logger);
  const admin = await login(hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
  return {
    hush,
    config,
    dir,
    logs,
    adminAuth: bearer(admin.access_token),
    async close() {
      await hush.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an account with the given role and signs it in; returns its tokens. */
export async function userSession(
  fixture: HushFixture,
  username: string,
  role: 'admin' | 'user' = 'user',
  extra: Record<string, unknown> = {},
): Promise<TokenReply> {
  const password = `${username} password 0123456789`;
  await fixture.hush.users.create({ username, role, password });
  return login(fixture.hush.app, username, password, extra);
}

/** JSON body of an inject() response. */
export function json<T = Record<string, unknown>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
}
