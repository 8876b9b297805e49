import { describe, expect, it } from 'vitest';
import { goDuration, parseDuration } from './vault-duration.js';

describe('Vault durations', () => {
  it.each([
    [3600, 3600],
    ['3600', 3600],
    ['', 0],
    ['90s', 90],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['7d', 604_800],
    ['2h45m10s', 9910],
    ['1500ms', 1],
    ['0s', 0],
  ] as const)('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text, 'ttl')).toBe(seconds);
  });

  it.each(['-1h', '1y', 'h', '1 h', 'abc', '1h30', '3650000h', '1e3s'])(
    'refuses %j as a 400 naming the field',
    (text) => {
      expect(() => parseDuration(text, 'token_ttl')).toThrow(/token_ttl must be seconds/);
    },
  );

  it('refuses negative and fractional-overflow numbers', () => {
    expect(() => parseDuration(-5, 'ttl')).toThrow(/ttl/);
    expect(() => parseDuration(Number.POSITIVE_INFINITY, 'ttl')).toThrow(/ttl/);
  });

  it.each([
    [0, '0s'],
    [45, '45s'],
    [90, '1m30s'],
    [3600, '1h0m0s'],
    [10_800, '3h0m0s'],
    [90_061, '25h1m1s'],
  ])('writes %i seconds as Go does: %s', (seconds, text) => {
    expect(goDuration(seconds)).toBe(text);
  });
});
