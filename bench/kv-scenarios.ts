import type autocannon from 'autocannon';
import { JSON_HEADERS, type LoadSpec, SECRET, type Target } from './scenarios.js';
import { authorized } from './secret-scenarios.js';

/** Where a KV read goes: hush's native KV route, or the Vault-compatible one with Vault's header. */
export interface KvReadRoute {
  readonly name: string;
  readonly path: (secretName: string) => string;
  readonly headers: (token: string) => Record<string, string>;
}

export const NATIVE_KV_READ: KvReadRoute = {
  name: 'native kv-read',
  path: (name) => `/api/v1/kv/data/${name}`,
  headers: authorized,
};

export const VAULT_KV_READ: KvReadRoute = {
  name: 'vault-kv-read',
  path: (name) => `/v1/secret/data/${name}`,
  headers: (token) => ({ ...JSON_HEADERS, 'x-vault-token': token }),
};

/** Stores `count` KV secrets (`bench/kv/<n>`, one key `value`) over the native API, unmeasured. */
export async function createKvSecrets(hushUrl: string, token: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `bench/kv/${i + 1}`);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++] as string;
      const response = await fetch(`${hushUrl}/api/v1/kv/data/${name}`, {
        method: 'PUT',
        headers: authorized(token),
        body: JSON.stringify({ data: { value: SECRET } }),
      });
      if (response.status !== 200) {
        throw new Error(`pre-creating KV secrets failed: ${response.status} ${await response.text()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  // Both routes must answer the stored value, or comparing them means nothing.
  for (const route of [NATIVE_KV_READ, VAULT_KV_READ]) {
    const check = await fetch(`${hushUrl}${route.path(names[0] as string)}`, {
      headers: route.headers(token),
    });
    const json = (await check.json()) as { data?: { value?: string; data?: { value?: string } } };
    const value = route === VAULT_KV_READ ? json.data?.data?.value : json.data?.value;
    if (check.status !== 200 || value !== SECRET) {
      throw new Error(`reading a pre-created KV secret through ${route.name} failed: ${check.status}`);
    }
  }
  return names;
}

/**
 * GET of the current version, rotating through pre-created names: authenticate, policy check,
 * lookup, decrypt, audit the read, log, 200. The same work on both routes but the envelope.
 */
export function kvReadRequest(
  server: Target,
  token: string,
  names: readonly string[],
  route: KvReadRoute,
): LoadSpec {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'GET',
      headers: route.headers(token),
      setupRequest: (request) => {
        request.path = route.path(names[next % names.length] ?? '');
        next += 1;
        return request;
      },
    },
  ];
  return {
    name: route.name,
    options: { url: server.url, requests },
    counts: () => ({ secrets: names.length }),
  };
}
