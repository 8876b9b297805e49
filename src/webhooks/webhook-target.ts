import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { HushError } from '../errors/hush-error.js';

/** The longest webhook URL accepted. */
export const MAX_WEBHOOK_URL = 2048;

/** Where a delivery connects: the URL, and the address it was checked at (connect to that one only). */
export interface WebhookTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has (dns.lookup, as connecting would). */
export type HostResolver = (host: string) => Promise<readonly { address: string; family: number }[]>;

/** How long resolving a host may take before the attempt counts as failed. */
const RESOLVE_TIMEOUT_MS = 5_000;

export const resolveHost: HostResolver = (host) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('resolving timed out')), RESOLVE_TIMEOUT_MS);
  });
  return Promise.race([lookup(host, { all: true, verbatim: true }), late]).finally(() => clearTimeout(timer));
};

/**
 * Why an address may not be a webhook target, or undefined when it may: only public unicast
 * addresses are. That refuses loopback, private (10/8, 172.16/12, 192.168/16), link-local
 * (169.254/16, fe80::/10), CGNAT (100.64/10), unique-local (fc00::/7), multicast, unspecified,
 * broadcast and reserved ranges; an IPv4-mapped IPv6 address is judged as its IPv4 address, and
 * other IPv6 forms that embed one (6to4, Teredo, NAT64, the deprecated IPv4-compatible ::/96)
 * are refused.
 */
export function refusedAddress(text: string): string | undefined {
  if (!ipaddr.isValid(text)) return 'not an IP address';
  let address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  const range = address.range();
  if (range !== 'unicast') return `${range} address`;
  // ::a.b.c.d (IPv4-compatible, deprecated): ipaddr.js calls it unicast, but it names an IPv4 host.
  const ipv4Compatible =
    address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0);
  return ipv4Compatible ? 'ipv4Compatible address' : undefined;
}

/** Checks a URL's form: https (or http when private targets are allowed), a host, no credentials. */
export function parseWebhookUrl(text: string, allowPrivate: boolean): URL {
  const invalid = (why: string) => new HushError('invalid_webhook', `The webhook URL ${why}.`);
  if (text.length > MAX_WEBHOOK_URL) throw invalid(`is longer than ${MAX_WEBHOOK_URL} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('is not a URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw invalid(allowPrivate ? 'must start with https:// or http://' : 'must start with https://');
  }
  if (url.hostname === '') throw invalid('has no host');
  if (url.username !== '' || url.password !== '') throw invalid('may not carry a user name or password');
  if (url.hash !== '') throw invalid('may not have a #fragment');
  return url;
}

/**
 * Resolves the URL's host and checks every address it resolves to; the delivery then connects to
 * the checked address only, so a name that resolves differently a moment later cannot redirect it.
 * Refused (webhook_target_refused) when it does not resolve or any address is not public, unless
 * `allowPrivate`.
 */
export async function resolveWebhookTarget(
  url: URL,
  allowPrivate: boolean,
  resolve: HostResolver = resolveHost,
): Promise<WebhookTarget> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const refused = (why: string) => new HushError('webhook_target_refused', `The webhook host ${why}.`);
  let addresses: readonly { address: string; family: number }[];
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
      : await resolve(host);
  } catch {
    throw refused('does not resolve');
  }
  const first = addresses[0];
  if (first === undefined) throw refused('does not resolve');
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const why = refusedAddress(address);
      if (why !== undefined) throw refused(`resolves to a ${why}`);
    }
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
