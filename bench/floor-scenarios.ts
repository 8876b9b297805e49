import { JSON_HEADERS, SECRET } from './scenarios.js';
import { authorized, type SecretRoutes } from './secret-scenarios.js';

/**
 * The secret store's floor (bench/secret-floor-server.ts) runs hush's own secret-write and
 * secret-read scenarios (bench/secret-scenarios.ts) against these routes: same bodies, headers,
 * connections, warm-up and duration.
 */
export const FLOOR_SECRET_ROUTES: SecretRoutes = {
  label: 'floor ',
  write: '/secrets',
  read: (id) => `/secrets/${id}`,
};

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
