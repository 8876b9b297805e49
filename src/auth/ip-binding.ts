import ipaddr from 'ipaddr.js';
import { HushError } from '../errors/hush-error.js';

/** Networks one token may be bound to: enough for real setups, bounded for the per-request check. */
const MAX_CIDRS = 16;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** An address as one kind: IPv4-mapped IPv6 (::ffff:10.0.0.1) becomes IPv4. */
function normalize(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  return ipaddr.isValid(address) ? ipaddr.process(address) : undefined;
}

const BAD_CIDR = 'bound_cidrs must be IP networks like 10.0.0.0/8 or 2001:db8::/32.';
const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/;

/**
 * One network in its plain written form. ipaddr.js also reads the legacy IPv4 forms (`127.1`,
 * `0x7f.0.0.1`, `0177.0.0.1`), which people do not mean to write and tools disagree on: refused.
 */
function parseCidr(value: string): Range {
  const [text = '', bits, extra] = value.split('/');
  // IPv6 may end in dotted IPv4 (::ffff:192.0.2.1): that part must be plain too. No zone ids.
  const dotted = text.includes(':') ? text.slice(text.lastIndexOf(':') + 1) : text;
  const strict =
    !text.includes('%') &&
    ((text.includes(':') && !dotted.includes('.')) || ipaddr.IPv4.isValidFourPartDecimal(dotted));
  if (!strict || extra !== undefined || (bits !== undefined && !PREFIX.test(bits))) {
    throw new HushError('bad_request', BAD_CIDR);
  }
  try {
    if (bits !== undefined) return ipaddr.parseCIDR(value);
    const parsed = ipaddr.parse(text);
    return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
  } catch {
    throw new HushError('bad_request', BAD_CIDR);
  }
}

/** Validates and canonicalises CIDRs (`10.0.0.0/8`, `2001:db8::/32`); a bare address means itself. */
export function parseCidrs(values: readonly string[]): string[] {
  if (values.length > MAX_CIDRS) {
    throw new HushError('bad_request', `At most ${MAX_CIDRS} networks may be bound to a token.`);
  }
  return values.map((value) => {
    const [address, bits] = parseCidr(value);
    const plain = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress();
    const base = plain ? (address as ipaddr.IPv6).toIPv4Address() : address;
    const prefix = plain ? Math.max(0, bits - 96) : bits;
    return `${base.toString()}/${prefix}`;
  });
}

/** The single-address network of a client, for "bind to the creating IP". */
export function cidrOfAddress(address: string | undefined): string {
  const parsed = address === undefined ? undefined : normalize(address);
  if (!parsed) throw new HushError('bad_request', 'The client address is unknown, so it cannot be bound.');
  return `${parsed.toString()}/${parsed.kind() === 'ipv4' ? 32 : 128}`;
}

/** Whether `address` lies in one of `cidrs` (canonical, from parseCidrs). */
export function addressAllowed(address: string | undefined, cidrs: readonly string[]): boolean {
  const parsed = address === undefined ? undefined : normalize(address);
  if (!parsed) return false;
  return cidrs.some((cidr) => {
    const range = ipaddr.parseCIDR(cidr);
    return range[0].kind() === parsed.kind() && parsed.match(range);
  });
}
