import { request as httpRequest } from 'node:http';
import nodeVault from 'node-vault';
import { expect } from 'vitest';
import { type HushFixture, makeHush } from './hush-fixture.js';
import { type NodeStorage, nodeStorageEnv } from './node-storage.js';

/**
 * hush listening on a loopback port with its Vault surface, for the real node-vault client:
 * the production composition root (src/server.ts) on the backend given.
 */
export interface VaultHush {
  readonly f: HushFixture;
  /** The server's base URL (no /v1): what VAULT_ADDR would be. */
  readonly url: string;
  /** node-vault as an application would configure it; GET ?list=1 instead of the LIST method. */
  client(token?: string): nodeVault.client;
  close(): Promise<void>;
}

export async function startVaultHush(
  backend: NodeStorage,
  env: Record<string, string> = {},
): Promise<VaultHush> {
  const f = await makeHush({ ...(await nodeStorageEnv(backend)), ...env });
  const url = await f.hush.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    f,
    url,
    client: (token) => nodeVault({ endpoint: url, token, noCustomHTTPVerbs: true }),
    close: () => f.close(),
  };
}

/** Creates an account and signs it in through node-vault's userpassLogin; returns its client. */
export async function vaultUser(v: VaultHush, username: string, role: 'admin' | 'user' = 'user') {
  const password = `${username} password 0123456789`;
  await v.f.hush.users.create({ username, role, password });
  const client = v.client();
  const login = await client.userpassLogin({ username, password });
  return { client, password, login: login as { auth: { client_token: string; accessor: string } } };
}

export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RawOptions {
  readonly token?: string;
  /** Sent as is, with no Content-Type unless one is given: as Vault's Go client sends bodies. */
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** One request on a raw socket, so that nothing adds a Content-Type (fetch would add text/plain). */
export function rawVault(v: VaultHush, method: string, path: string, options: RawOptions = {}) {
  const target = new URL(`/v1/${path}`, v.url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['x-vault-token'] = options.token;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise<RawReply>((resolve, reject) => {
    const req = httpRequest(target, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** What node-vault rejects with for a status other than 200/204. */
interface ApiError {
  readonly message: string;
  readonly response: { readonly statusCode: number; readonly body: unknown };
}

/** Expects node-vault to reject with Vault's error shape and this status (and message, if given). */
export async function expectVaultError(call: Promise<unknown>, status: number, message?: string | RegExp) {
  const error = (await call.then(
    () => {
      throw new Error(`expected a ${status}, the call succeeded`);
    },
    (reason: unknown) => reason,
  )) as ApiError;
  expect(error.response?.statusCode, String(error.message)).toBe(status);
  const body = error.response.body as { errors: unknown };
  expect(Object.keys(body as object)).toEqual(['errors']);
  expect(Array.isArray(body.errors)).toBe(true);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

/** The envelope's fields, in Vault's order of meaning (api/secret.go). */
export const ENVELOPE_KEYS = [
  'auth',
  'data',
  'lease_duration',
  'lease_id',
  'renewable',
  'request_id',
  'warnings',
  'wrap_info',
];
