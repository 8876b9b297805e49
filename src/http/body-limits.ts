import type { BodyLimitTable } from './body-budgets.js';
import { COMPAT_BODY_LIMITS } from './surfaces/compat/compat-body-limits.js';
import { COMPAT_PREFIX } from './surfaces/compat/compat-surface.js';
import { NATIVE_BODY_LIMITS } from './surfaces/native/native-body-limits.js';
import { NATIVE_PREFIX } from './surfaces/native/native-surface.js';
import { OTS_BODY_LIMITS } from './surfaces/onetimesecret/ots-body-limits.js';
import { OTS_PREFIX } from './surfaces/onetimesecret/ots-surface.js';
import { VAULT_BODY_LIMITS } from './surfaces/vault/vault-body-limits.js';
import { VAULT_PREFIX } from './surfaces/vault/vault-surface.js';

export { liveBodyBytes } from './body-budgets.js';

function below(prefix: string, table: BodyLimitTable): BodyLimitTable {
  return Object.fromEntries(
    Object.entries(table).map(([route, limit]) => {
      const [method, path] = route.split(' ');
      return [`${method} ${prefix}${path}`, limit];
    }),
  );
}

/**
 * Every body-taking route's limit by method and full path (`POST /api/v1/shares`), gathered from
 * the surfaces' own tables, for what measures the routes from outside: the bench and the fuzz tests.
 * The server itself reads each surface's table (src/http/plugins/body-limit.ts).
 */
export const BODY_LIMITS: BodyLimitTable = {
  ...below(NATIVE_PREFIX, NATIVE_BODY_LIMITS),
  ...below(COMPAT_PREFIX, COMPAT_BODY_LIMITS),
  ...below(VAULT_PREFIX, VAULT_BODY_LIMITS),
  ...below(OTS_PREFIX, OTS_BODY_LIMITS),
};
