import type autocannon from 'autocannon';
import { CREATE_BODY, JSON_HEADERS, type LoadSpec, SECRET, type Target } from './scenarios.js';

/**
 * The raw-query baselines (bench/raw-query-server.ts) under the same autocannon load as hush's
 * create and reveal: same body, same connections, warm-up and duration.
 */

/** POST /create with hush's create body: one INSERT / SET per request. */
export const rawCreateRequest = (raw: Target, name: string): LoadSpec => ({
  name,
  options: { url: `${raw.url}/create`, method: 'POST', headers: JSON_HEADERS, body: CREATE_BODY },
});

const SEED_CHUNK = 20_000;

/**
 * Pre-creates `count` rows for the reveal baseline, as the bench pre-creates shares for hush's
 * reveal: through the baseline server, in bulk (a multi-row INSERT / a pipeline of SETs), unmeasured.
 */
export async function seedRaw(rawUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const response = await fetch(`${rawUrl}/seed`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        count: Math.min(SEED_CHUNK, count - ids.length),
        secretBytes: Buffer.byteLength(SECRET),
      }),
    });
    const json = (await response.json()) as { ids?: string[] };
    if (response.status !== 200 || !json.ids) {
      throw new Error(`pre-creating raw rows failed: ${response.status} ${JSON.stringify(json)}`);
    }
    ids.push(...json.ids);
  }
  return ids;
}

/**
 * POST /reveal/{id} {}, each request taking a different pre-created row (DELETE … RETURNING /
 * GETDEL), so every answer is a real 200, never a cheap 404. The warm-up takes rows too.
 */
export function rawRevealRequest(raw: Target, ids: readonly string[], name: string): LoadSpec {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{}',
      setupRequest: (request) => {
        const id = ids[next % ids.length];
        next += 1;
        request.path = `/reveal/${id}`;
        return request;
      },
    },
  ];
  return {
    name,
    options: { url: raw.url, requests },
    counts: () => ({ rowsAvailable: ids.length, revealsRequested: next }),
  };
}
