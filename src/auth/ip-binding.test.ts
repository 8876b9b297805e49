import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/hush-error.js';
import { addressAllowed, cidrOfAddress, parseCidrs } from './ip-binding.js';

describe('token IP binding', () => {
  it('canonicalises networks; a bare address is its own network; IPv4-mapped IPv6 becomes IPv4', () => {
    expect(
      parseCidrs(['10.0.0.0/8', '192.0.2.7', '2001:DB8::/32', '::ffff:192.0.2.0/120', '0.0.0.0/0']),
    ).toEqual(['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/32', '192.0.2.0/24', '0.0.0.0/0']);
  });

  it.each([
    '127.1/8',
    '127.1',
    '0x7f.0.0.1/32',
    '0177.0.0.1/32',
    '010.0.0.0/8',
    '10.0.0.0/08',
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/8/8',
    '10.0.0.0/',
    '10.0.0.0/ 8',
    'example.com/8',
    '::ffff:0177.0.0.1',
    '::ffff:0x7f.0.0.1',
    '::ffff:010.0.0.1/128',
    '::ffff:127.1',
    'fe80::1%eth0',
    'fe80::1%eth0/64',
    '',
  ])('refuses %j with a 400', (value) => {
    expect(() => parseCidrs([value])).toThrow(HushError);
    expect(() => parseCidrs([value])).toThrow(/bound_cidrs must be IP networks/);
  });

  it('allows at most 16 networks', () => {
    expect(() => parseCidrs(Array.from({ length: 17 }, (_, i) => `10.0.${i}.0/24`))).toThrow(/At most 16/);
  });

  it('matches client addresses by kind, IPv4-mapped ones as IPv4', () => {
    const cidrs = parseCidrs(['10.0.0.0/8', '2001:db8::/32']);
    expect(addressAllowed('10.1.2.3', cidrs)).toBe(true);
    expect(addressAllowed('::ffff:10.1.2.3', cidrs)).toBe(true);
    expect(addressAllowed('2001:db8::1', cidrs)).toBe(true);
    expect(addressAllowed('11.0.0.1', cidrs)).toBe(false);
    expect(addressAllowed('2001:db9::1', cidrs)).toBe(false);
    expect(addressAllowed(undefined, cidrs)).toBe(false);
    expect(addressAllowed('not an address', cidrs)).toBe(false);
    expect(cidrOfAddress('::ffff:192.0.2.1')).toBe('192.0.2.1/32');
    expect(() => cidrOfAddress(undefined)).toThrow(/client address is unknown/);
  });
});
