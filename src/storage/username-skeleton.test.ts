import { describe, expect, it } from 'vitest';
import { usernameSkeleton } from './username-skeleton.js';

describe('username skeleton (UTS #39)', () => {
  it.each([
    ['alice', '\u0430lice'], // Cyrillic а
    ['paypal', 'p\u0430yp\u0430l'],
    ['bill', 'bi11'],
    ['modern', 'rnodern'],
    ['root', 'r\u043e\u043et'], // Cyrillic о
    ['joe', 'jo\u0435'], // Cyrillic е
    ['ana', 'an\u0251'], // Latin alpha
    ['root', 'r00t'], // zeros: their prototype is a capital O
    ['bob', 'b0b'],
    ['gh.alice', 'g\u04bb.alice'], // Cyrillic һ: looks like a GitHub account's name
  ])('gives %j and %j one skeleton', (a, b) => {
    expect(usernameSkeleton(b)).toBe(usernameSkeleton(a));
  });

  it.each([
    ['alice', 'alicia'],
    ['bob', 'bobby'],
    ['anna', 'ana'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(usernameSkeleton(a)).not.toBe(usernameSkeleton(b));
  });

  it('is stable: a skeleton is its own skeleton', () => {
    for (const name of ['\u0430lice', 'bi11', 'ǉubica', 'ẞtraße']) {
      const skeleton = usernameSkeleton(name);
      expect(usernameSkeleton(skeleton)).toBe(skeleton);
    }
  });
});
