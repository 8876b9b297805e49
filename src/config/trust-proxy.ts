import { isIP } from 'node:net';
import type { ConfigReader } from './config-reader.js';

/** What Fastify's `trustProxy` accepts: off, trust all, a hop count, or addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

/**
 * HUSH_TRUST_PROXY: `false` (default: the socket address is the client), `true` (trust any
 * X-Forwarded-For: only behind a proxy that overwrites it), a hop count, or a comma list of
 * proxy addresses / CIDRs.
 */
export function parseTrustProxy(r: ConfigReader): TrustProxy {
  const value = r.optionalString('HUSH_TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((s) => s.trim());
  const bad = entries.filter((entry) => !isAddressOrCidr(entry));
  if (bad.length > 0) {
    r.fail(`HUSH_TRUST_PROXY must be true, false, a hop count or addresses/CIDRs; bad: ${bad.join(', ')}`);
    return false;
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix] = entry.split('/');
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
