import { describe, expect, it } from 'vitest';
import { eventId } from './event-id.js';

describe('eventId', () => {
  it('is a version 7, variant 10 UUID carrying the time', () => {
    const id = eventId(0x0123_4567_89ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by time, and differs within one millisecond', () => {
    const earlier = eventId(1_000);
    const later = eventId(1_001);
    expect(earlier < later).toBe(true);
    expect(eventId(5)).not.toBe(eventId(5));
  });
});
