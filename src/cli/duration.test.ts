import { describe, expect, it } from 'vitest';
import { parseCount, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['2d', 172_800],
    ['1w', 604_800],
    ['1h30m', 5400],
    [' 1D ', 86_400],
    ['1d12h', 129_600],
  ])('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0', '0h', 'h', '1x', '1.5h', '-1h', '1 h', 'one hour', '1h-', '99999999999999999999'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('parseCount', () => {
  it('takes positive whole numbers only', () => {
    expect(parseCount('1')).toBe(1);
    expect(parseCount(' 12 ')).toBe(12);
    for (const text of ['0', '-1', '1.5', 'two', '', '1e3']) expect(parseCount(text)).toBeUndefined();
  });
});
