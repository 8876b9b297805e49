import ipaddr from 'ipaddr.js';
import { ROLES, type Role } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import { parseCidrs } from './ip-binding.js';

const NAME = /^[A-Za-z0-9._-]{1,128}$/;
/** `login` is the sign-in route's segment (POST /machines/login); dot segments are path syntax. */
const RESERVED = new Set(['login', '.', '..']);
/**
 * Machine ids are UUIDs, and a policy names its machine by name or by id: a name shaped like an id
 * could take a policy meant for the machine whose id it spells.
 */
const ID_SHAPED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest secret_id lifetime: ten years. */
export const MAX_SECRET_ID_TTL = 10 * 365 * 86_400;
export const MAX_USES = 1_000_000;
const METADATA_ENTRIES = 32;
const METADATA_KEY = /^[A-Za-z0-9._-]{1,64}$/;
const METADATA_VALUE = 512;

export const invalid = (message: string) => new HushError('invalid_machine', message);

export function validateMachineName(name: string): string {
  if (!NAME.test(name) || RESERVED.has(name)) {
    throw invalid('name must be 1 to 128 letters, digits, dots, dashes or underscores (not "login").');
  }
  if (ID_SHAPED.test(name)) throw invalid('name must not look like a machine id (a UUID).');
  return name;
}

export function validateRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw invalid(`role must be one of ${ROLES.join(', ')}.`);
  return role as Role;
}

/** A whole number in 0…max (0 meaning "the setting" or "no limit", as the field says). */
export function validateCount(value: number, field: string, max: number, min = 0): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** The token limits of a machine, within the token settings as they are now. */
export function validateTokenLimits(
  limits: { tokenTtlSeconds: number; tokenMaxTtlSeconds: number; tokenNumUses: number },
  settings: SettingsReader,
): void {
  validateCount(limits.tokenTtlSeconds, 'token_ttl_seconds', settings.get('tokens.access_ttl_seconds'));
  validateCount(limits.tokenMaxTtlSeconds, 'token_max_ttl_seconds', settings.get('tokens.max_ttl_seconds'));
  validateCount(limits.tokenNumUses, 'token_num_uses', MAX_USES);
  const { tokenTtlSeconds: ttl, tokenMaxTtlSeconds: maxTtl } = limits;
  if (ttl > 0 && maxTtl > 0 && ttl > maxTtl)
    throw invalid('token_ttl_seconds is above token_max_ttl_seconds.');
}

/** Canonical networks (ip-binding.ts); an empty list means anywhere (undefined). */
export function validateCidrs(values: readonly string[] | undefined, field: string): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  try {
    return [...new Set(parseCidrs(values))];
  } catch (error) {
    if (error instanceof HushError) throw invalid(`${field}: ${error.message}`);
    throw error;
  }
}

/** Whether every network of `inner` lies inside one of `outer` (all canonical). */
export function cidrsWithin(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.every((cidr) => {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    return outer.some((wider) => {
      const range = ipaddr.parseCIDR(wider);
      return range[0].kind() === address.kind() && bits >= range[1] && address.match(range);
    });
  });
}

/** Labels of a secret_id: a few short strings, shown when listing. */
export function validateMetadata(
  metadata: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> {
  const entries = Object.entries(metadata ?? {});
  if (entries.length > METADATA_ENTRIES) throw invalid(`metadata holds at most ${METADATA_ENTRIES} entries.`);
  for (const [key, value] of entries) {
    if (!METADATA_KEY.test(key) || typeof value !== 'string' || value.length > METADATA_VALUE) {
      throw invalid(`metadata keys are 1 to 64 of [A-Za-z0-9._-], values text of at most ${METADATA_VALUE}.`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
