import Fastify, { type FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { BodyLimitTable } from './body-budgets.js';
import { BODY_LIMITS } from './body-limits.js';
import { registerBodyLimits } from './plugins/body-limit.js';
import { COMPAT_BODY_LIMITS } from './surfaces/compat/compat-body-limits.js';
import { COMPAT_PREFIX, compatSurface } from './surfaces/compat/compat-surface.js';
import { NATIVE_BODY_LIMITS } from './surfaces/native/native-body-limits.js';
import { NATIVE_PREFIX, nativeSurface } from './surfaces/native/native-surface.js';
import { OTS_BODY_LIMITS } from './surfaces/onetimesecret/ots-body-limits.js';
import { OTS_PREFIX, otsSurface } from './surfaces/onetimesecret/ots-surface.js';
import { VAULT_BODY_LIMITS } from './surfaces/vault/vault-body-limits.js';
import { VAULT_PREFIX, vaultSurface } from './surfaces/vault/vault-surface.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The body routes a surface adds, as "METHOD /path below its prefix". Registering calls no service,
 * so no surface's deps are needed (each surface takes deps of its own).
 */
async function bodyRoutesOf(surface: FastifyPluginAsync<{ deps: never }>, prefix: string) {
  const root = Fastify();
  registerBodyLimits(root, { get: () => 1 } as unknown as SettingsReader);
  const routes: string[] = [];
  root.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (BODY_METHODS.has(method)) routes.push(`${method} ${route.url.slice(prefix.length)}`);
    }
  });
  await root.register(surface, { prefix, deps: {} as never });
  await root.close();
  return routes.sort();
}

const keys = (table: BodyLimitTable) => Object.keys(table).sort();

describe("each surface's body-limit table", () => {
  it.each([
    ['native', nativeSurface, NATIVE_PREFIX, NATIVE_BODY_LIMITS],
    ['compat', compatSurface, COMPAT_PREFIX, COMPAT_BODY_LIMITS],
    ['vault', vaultSurface, VAULT_PREFIX, VAULT_BODY_LIMITS],
    ['onetimesecret', otsSurface, OTS_PREFIX, OTS_BODY_LIMITS],
  ] as const)(
    '%s: lists exactly the routes it reads a body on, keyed below its prefix',
    async (_name, surface, prefix, table) => {
      expect(keys(table)).toEqual(await bodyRoutesOf(surface, prefix));
    },
  );

  it('BODY_LIMITS gathers them by full path, each the same limit as in its surface', () => {
    expect(BODY_LIMITS['POST /api/v1/shares']).toBe(NATIVE_BODY_LIMITS['POST /shares']);
    expect(BODY_LIMITS['POST /generate']).toBe(COMPAT_BODY_LIMITS['POST /generate']);
    expect(BODY_LIMITS['PUT /v1/secret/data/*']).toBe(VAULT_BODY_LIMITS['PUT /secret/data/*']);
    expect(BODY_LIMITS['POST /api/v1/share']).toBe(OTS_BODY_LIMITS['POST /share']);
    expect(Object.keys(BODY_LIMITS)).toHaveLength(
      keys(NATIVE_BODY_LIMITS).length +
        keys(COMPAT_BODY_LIMITS).length +
        keys(VAULT_BODY_LIMITS).length +
        keys(OTS_BODY_LIMITS).length,
    );
  });
});
