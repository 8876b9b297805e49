import type autocannon from 'autocannon';
import { JSON_HEADERS, type LoadSpec, SECRET, type Target } from './scenarios.js';

/**
 * The secret store under load: writes and reads with a bearer token, and password sign-in. hush
 * starts with a bootstrap admin (HUSH_BOOTSTRAP_ADMIN_*); the admin role may read and write every
 * path, so no policy has to be set up.
 */
export const BENCH_ADMIN = {
  username: 'bench-admin',
  password: 'bench admin password 7Kq9vL2mN4pR',
} as const;

/** The password grant body of POST /api/v1/token/create (default TTL, no max_uses). */
export const LOGIN_BODY = JSON.stringify({ grant_type: 'password', ...BENCH_ADMIN });

/** Signs in once and returns an access token for the write and read scenarios. */
export async function accessToken(hushUrl: string): Promise<string> {
  const response = await fetch(`${hushUrl}/api/v1/token/create`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: LOGIN_BODY,
  });
  const json = (await response.json()) as { access_token?: string; error?: unknown };
  if (response.status !== 200 || !json.access_token) {
    throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(json.error ?? json)}`);
  }
  return json.access_token;
}

export const authorized = (token: string) => ({ ...JSON_HEADERS, authorization: `Bearer ${token}` });

/** Where a server takes secret writes and reads: hush's API, or the floor's bare routes. */
export interface SecretRoutes {
  /** Prefixed to the scenario names ("floor " → "floor secret-write"). */
  readonly label: string;
  readonly write: string;
  readonly read: (id: string) => string;
}

export const HUSH_SECRET_ROUTES: SecretRoutes = {
  label: '',
  write: '/api/v1/secrets/create',
  read: (id) => `/api/v1/secrets/${id}`,
};

/** The body of a secret write: the share create's ~100-byte value under a path name. */
export const secretBody = (name: string) => JSON.stringify({ name, value: SECRET });

/**
 * POST /api/v1/secrets/create {name, value}: authenticate, policy check, validate, encrypt, insert
 * secret + version 1, audit, log, 201. Every request gets a new name (`bench/w/<n>`), so each one
 * really stores a secret and none answers 409.
 */
export function secretWriteRequest(
  server: Target,
  token: string,
  routes: SecretRoutes = HUSH_SECRET_ROUTES,
): LoadSpec {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: routes.write,
      headers: authorized(token),
      setupRequest: (request) => {
        next += 1;
        request.body = secretBody(`bench/w/${next}`);
        return request;
      },
    },
  ];
  return {
    name: `${routes.label}secret-write`,
    options: { url: server.url, requests },
    counts: () => ({ writesRequested: next }),
  };
}

/** Stores `count` secrets (`bench/r/<n>`) over HTTP, unmeasured, and returns their ids. */
export async function createSecrets(hushUrl: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      const response = await fetch(`${hushUrl}/api/v1/secrets/create`, {
        method: 'POST',
        headers: authorized(token),
        body: secretBody(`bench/r/${started}`),
      });
      const json = (await response.json()) as { id?: string };
      if (response.status !== 201 || !json.id) {
        throw new Error(`pre-creating secrets failed: ${response.status} ${JSON.stringify(json)}`);
      }
      ids.push(json.id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  // A read that answers anything but the stored value would make the scenario meaningless.
  const check = await fetch(`${hushUrl}/api/v1/secrets/${ids[0]}`, { headers: authorized(token) });
  const json = (await check.json()) as { value?: string };
  if (check.status !== 200 || json.value !== SECRET) {
    throw new Error(`reading a pre-created secret failed: ${check.status}`);
  }
  return ids;
}

/**
 * GET /api/v1/secrets/{id}, rotating through pre-created secrets: authenticate, policy check,
 * lookup, decrypt, audit the read, log, 200 with the value.
 */
export function secretReadRequest(
  server: Target,
  token: string,
  ids: readonly string[],
  routes: SecretRoutes = HUSH_SECRET_ROUTES,
): LoadSpec {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'GET',
      headers: authorized(token),
      setupRequest: (request) => {
        request.path = routes.read(ids[next % ids.length] ?? '');
        next += 1;
        return request;
      },
    },
  ];
  return {
    name: `${routes.label}secret-read`,
    options: { url: server.url, requests },
    counts: () => ({ secrets: ids.length }),
  };
}

/**
 * GET /api/v1/token/lookup-self: the cheapest authenticated route (bearer parse + SHA-256, one token
 * lookup, a small JSON reply). Not a bar: the floor under every secret read and write, for diagnosis.
 */
export const tokenLookupRequest = (hush: Target, token: string): LoadSpec => ({
  name: 'token-lookup',
  options: { url: `${hush.url}/api/v1/token/lookup-self`, headers: authorized(token) },
});

/**
 * POST /api/v1/token/create with the password grant: one Argon2id verify on hush's hashing
 * threads, then a session and two tokens stored, two audit events, 200 with the tokens.
 */
export const loginRequest = (hush: Target): LoadSpec => ({
  name: 'login',
  options: {
    url: `${hush.url}/api/v1/token/create`,
    method: 'POST',
    headers: JSON_HEADERS,
    body: LOGIN_BODY,
    // 50 sign-ins queue for a handful of hashing threads: latencies are long by design.
    timeout: 60,
  },
  // As for passphrase-create: sign-ins still queued when autocannon hung up are finished by the
  // server; one more waits behind them (the pool is FIFO), so the measured run starts idle.
  drain: async () => {
    await accessToken(hush.url);
  },
});
