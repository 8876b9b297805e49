/**
 * The secret store's bounds, as plain numbers with no imports: the validators, the HTTP schemas and
 * the body budgets read them, and clients that type their bodies from the schemas (src/client/) are
 * type-checked without Node, so nothing here may need it.
 */
export const MAX_NAME_LENGTH = 256;
export const MAX_METADATA_ENTRIES = 64;
export const MAX_METADATA_KEY_LENGTH = 128;
export const MAX_METADATA_VALUE_LENGTH = 1024;
/** Ten years, the longest TTL a secret may have. */
export const MAX_TTL_SECONDS = 315_360_000;

export const MAX_KV_KEYS = 256;
export const MAX_KV_KEY_LENGTH = 128;
/** Versions one delete, undelete or destroy may name. */
export const MAX_VERSIONS_PER_CALL = 100;
/** The most a secret's own `max_versions` may be (as the `secrets.max_versions` setting). */
export const MAX_MAX_VERSIONS = 1000;
/** Versions and cas are PostgreSQL integers. */
export const MAX_VERSION_NUMBER = 2_147_483_647;
