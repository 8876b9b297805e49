import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CamelKeys, camelKeys, type SnakeKeys, snakeKeys } from './camel-keys.js';

describe('camel keys', () => {
  it('renames top-level keys both ways and leaves nested objects and values as they came', () => {
    const wire = {
      views_left: 1,
      failed_passphrase_attempts: 2,
      secret: 's',
      timeline: [{ end_reason: 'x' }],
    };
    const camel = camelKeys(wire);
    expect(camel).toEqual({
      viewsLeft: 1,
      failedPassphraseAttempts: 2,
      secret: 's',
      timeline: [{ end_reason: 'x' }],
    });
    expect(snakeKeys(camel)).toEqual(wire);
    expect(snakeKeys({ ttlSeconds: 60, keyCheck: undefined })).toEqual({
      ttl_seconds: 60,
      key_check: undefined,
    });
  });

  it('gives the same names and optionality in the types', () => {
    type Wire = { views_left: number; key_check?: string | null; timeline: { end_reason: string }[] };
    expectTypeOf<CamelKeys<Wire>>().toEqualTypeOf<{
      readonly viewsLeft: number;
      readonly keyCheck?: string | null;
      readonly timeline: { end_reason: string }[];
    }>();
    expectTypeOf<SnakeKeys<{ maxViews?: number; secret: string }>>().toEqualTypeOf<{
      max_views?: number;
      secret: string;
    }>();
  });
});
