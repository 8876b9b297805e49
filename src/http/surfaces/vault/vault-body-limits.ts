import { type BodyLimit, type BodyLimitTable, EMPTY, SECRET, SIGN_IN } from '../../body-budgets.js';

/** A KV v2 write or patch: a secret's data (the `secrets.max_bytes` setting) in up to ~1000 keys. */
const KV_DATA: BodyLimit = { ...SECRET, values: 4096 };
/** KV v2 metadata: its settings and up to 64 custom labels (Vault allows as many). */
const KV_METADATA: BodyLimit = { bytes: 512 * 1024, values: 256 };
/** A list of version numbers. */
const KV_VERSIONS: BodyLimit = { bytes: 16 * 1024, values: 1100 };
/** A token create: Vault's Go client sends a dozen fields, and `meta` labels. */
const TOKEN_CREATE: BodyLimit = { bytes: 64 * 1024, values: 512 };
/** An AppRole role or secret_id: durations, counts, CIDR lists, labels. */
const APPROLE: BodyLimit = { bytes: 64 * 1024, values: 512 };

const both = (path: string, limit: BodyLimit) => ({ [`POST ${path}`]: limit, [`PUT ${path}`]: limit });

/** Every Vault route that reads a body, below `/v1`. Vault writes are POST and PUT alike. */
export const VAULT_BODY_LIMITS: BodyLimitTable = {
  ...both('/auth/token/renew-self', EMPTY),
  ...both('/auth/token/revoke-self', EMPTY),
  ...both('/auth/token/create', TOKEN_CREATE),
  ...both('/auth/userpass/login/:username', SIGN_IN),
  ...both('/auth/approle/login', SIGN_IN),
  ...both('/auth/approle/role/:name', APPROLE),
  'DELETE /auth/approle/role/:name': EMPTY,
  ...both('/auth/approle/role/:name/secret-id', APPROLE),
  ...both('/auth/approle/role/:name/secret-id-accessor/destroy', EMPTY),
  ...both('/secret/data/*', KV_DATA),
  'PATCH /secret/data/*': KV_DATA,
  'DELETE /secret/data/*': EMPTY,
  ...both('/secret/metadata/*', KV_METADATA),
  'PATCH /secret/metadata/*': KV_METADATA,
  'DELETE /secret/metadata/*': EMPTY,
  ...both('/secret/delete/*', KV_VERSIONS),
  ...both('/secret/undelete/*', KV_VERSIONS),
  ...both('/secret/destroy/*', KV_VERSIONS),
};
