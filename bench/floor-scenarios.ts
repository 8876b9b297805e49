import type autocannon from 'autocannon';
import { JSON_HEADERS, type LoadOptions, SECRET, type Target, warmThenMeasure } from './scenarios.js';
import { type SecretReadResult, type SecretWriteResult, secretBody } from './secret-scenarios.js';

/**
 * The secret store's floor (bench/secret-floor-server.ts) under the same autocannon load and
 * request shapes as hush's secret-write and secret-read: same bodies, headers, connections,
 * warm-up and duration.
 */

const authorized = (token: string) => ({ ...JSON_HEADERS, authorization: `Bearer ${token}` });

export interface FloorSeed {
  readonly token: string;
  /** Secrets the floor's reads rotate through. */
  readonly ids: readonly string[];
}

/**
 * Unmeasured: an admin with an access token and `count` secrets, in the floor's own file; then one
 * read back, checked, as the bench checks hush's pre-created secrets.
 */
export async function seedFloor(floorUrl: string, count: number): Promise<FloorSeed> {
  const response = await fetch(`${floorUrl}/seed`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ count }),
  });
  const json = (await response.json()) as { token?: string; ids?: string[] };
  if (response.status !== 200 || !json.token || !json.ids) {
    throw new Error(`seeding the floor failed: ${response.status} ${JSON.stringify(json)}`);
  }
  const first = json.ids[0];
  if (first !== undefined) {
    const check = await fetch(`${floorUrl}/secrets/${first}`, { headers: authorized(json.token) });
    const read = (await check.json()) as { value?: string };
    if (check.status !== 200 || read.value !== SECRET) {
      throw new Error(`reading a seeded floor secret failed: ${check.status}`);
    }
  }
  return { token: json.token, ids: json.ids };
}

/** POST /secrets {name, value}, hush's secret-write body; every request a new name (`bench/w/<n>`). */
export async function floorWriteScenario(
  floor: Target,
  token: string,
  load: LoadOptions,
): Promise<SecretWriteResult> {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: '/secrets',
      headers: authorized(token),
      setupRequest: (request) => {
        next += 1;
        request.body = secretBody(`bench/w/${next}`);
        return request;
      },
    },
  ];
  const result = await warmThenMeasure(
    'floor secret-write',
    { url: floor.url, requests, connections: load.connections, duration: load.durationSeconds },
    load.warmupSeconds,
    floor.pid,
  );
  return { ...result, writesRequested: next };
}

/** GET /secrets/{id}, rotating through the seeded secrets as secret-read rotates through hush's. */
export async function floorReadScenario(
  floor: Target,
  seed: FloorSeed,
  load: LoadOptions,
): Promise<SecretReadResult> {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'GET',
      headers: authorized(seed.token),
      setupRequest: (request) => {
        request.path = `/secrets/${seed.ids[next % seed.ids.length]}`;
        next += 1;
        return request;
      },
    },
  ];
  const result = await warmThenMeasure(
    'floor secret-read',
    { url: floor.url, requests, connections: load.connections, duration: load.durationSeconds },
    load.warmupSeconds,
    floor.pid,
  );
  return { ...result, secrets: seed.ids.length };
}
