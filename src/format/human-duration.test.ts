import { describe, expect, it } from 'vitest';
import { humanDuration, secondsWithWords } from './human-duration.js';

describe('humanDuration', () => {
  it.each([
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [90, '1 minute 30 seconds'],
    [3_600, '1 hour'],
    [5_400, '1 hour 30 minutes'],
    [86_400, '1 day'],
    [90_061, '1 day 1 hour 1 minute 1 second'],
    [604_800, '7 days'],
    [2_592_000, '30 days'],
    [7_776_000, '90 days'],
    [0, '0 seconds'],
  ])('%i s is %s', (seconds, words) => {
    expect(humanDuration(seconds)).toBe(words);
  });

  it('keeps the number beside the words for a field that takes seconds', () => {
    expect(secondsWithWords(2_592_000)).toBe('2592000 (30 days)');
  });
});
