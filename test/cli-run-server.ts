import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { CliIo } from '../src/cli/client-command.js';
import { listeningHush, memoryIo } from './helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/hush-fixture.js';

/** Values the run, export and import suites store, and look for where they must not be. */
export const DB_PASSWORD = 'db-password-canary-8c1f';
export const STRIPE_KEY = 'sk_live_canary_51d2';
export const TRICKY = `multi\nline "quoted" it's $HOME \\n`;

/**
 * A real hush (SQLite, listening on loopback) holding the secrets the CLI suites read, with the
 * KV API at hand for setting up and checking, and the client environment of a signed-in admin
 * (HUSH_TOKEN; an empty HUSH_CONFIG_DIR, so no developer's saved login is used).
 */
export async function startKvServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-run-'));
  const server = await listeningHush();
  const adminToken = server.fixture.adminAuth.authorization.slice('Bearer '.length);
  const env = { HUSH_URL: server.url, HUSH_TOKEN: adminToken, HUSH_CONFIG_DIR: dir };

  const api = async (method: string, name: string, body?: unknown, token = adminToken) => {
    const response = await fetch(`${server.url}/api/v1/kv/data/${name}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const put = async (name: string, data: Record<string, string>) => {
    const written = await api('PUT', name, { data });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
  };
  /** The admin signed in again with only `scope`: its access token. */
  const signInWith = async (scope: string) => {
    const response = await fetch(`${server.url}/api/v1/token/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        username: ADMIN_USERNAME,
        password: ADMIN_PASSWORD,
        scope,
      }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  /** A client command in-process, as the admin (or `token`), with `input` on stdin. */
  const inProcess = async (
    command: (args: readonly string[], io: CliIo) => Promise<number>,
    args: string[],
    options: { input?: string; token?: string } = {},
  ) => {
    const io = memoryIo({
      env: { ...env, HUSH_TOKEN: options.token ?? adminToken },
      input: options.input ?? '',
    });
    const code = await command(args, io);
    return { code, out: io.out(), err: io.err() };
  };

  await put('apps/billing/db', { DB_URL: 'postgres://db.internal/billing', DB_PASSWORD });
  await put('apps/billing/stripe', { STRIPE_KEY, TRICKY });
  await put('apps/other/db', { DB_URL: 'postgres://elsewhere' });
  await put('apps/bad-names', { 'db-url': DB_PASSWORD });
  await put('apps/shadow', { HOME: '/from/the/secret' });
  return {
    server,
    dir,
    adminToken,
    env,
    api,
    signInWith,
    inProcess,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type KvServer = Awaited<ReturnType<typeof startKvServer>>;
