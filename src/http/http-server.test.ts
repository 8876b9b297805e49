import { describe, expect, it } from 'vitest';
import { peerOf } from './http-server.js';

describe('peerOf: whom a connection counts against', () => {
  it('an IPv4 address, also when it arrives IPv4-mapped', () => {
    expect(peerOf('127.0.0.1')).toBe('127.0.0.1');
    expect(peerOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('an IPv6 /64, however the host picks its address within it', () => {
    expect(peerOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(peerOf('2001:db8:1:2::9')).toBe(peerOf('2001:db8:1:2:ffff::1'));
    expect(peerOf('2001:db8:1:3::9')).not.toBe(peerOf('2001:db8:1:2::9'));
    expect(peerOf('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves anything else as it is (a socket already gone has no address)', () => {
    expect(peerOf('')).toBe('');
  });
});
