import { describe, expect, it } from 'vitest';
import { describeAttempts, describeStatus, describeTimeline, describeViews } from './receipt-words.js';
import type { Receipt } from './share-api.js';

const base: Receipt = {
  shareId: 'share-1',
  state: 'pending',
  createdAt: '2026-12-01T10:00:00.000Z',
  expiresAt: '2026-12-02T10:00:00.000Z',
  endedAt: null,
  endReason: null,
  maxViews: 2,
  viewsUsed: 0,
  viewsLeft: 2,
  passphraseRequired: false,
  failedPassphraseAttempts: 0,
  timeline: [{ type: 'CREATE', at: '2026-12-01T10:00:00.000Z' }],
};
const ended = (over: Partial<Receipt>): Receipt => ({
  ...base,
  viewsLeft: 0,
  endedAt: '2026-12-01T11:00:00.000Z',
  ...over,
});
const texts = (receipt: Receipt) => describeTimeline(receipt).map((entry) => entry.text);

describe('receipt words', () => {
  it('counts opened views as times', () => {
    expect(describeViews({ ...base, viewsUsed: 2 })).toBe('Opened 2 of 2 times');
    expect(describeViews({ ...base, maxViews: 1 })).toBe('Opened 0 of 1 time');
    expect(describeStatus({ ...base, viewsUsed: 1, viewsLeft: 1 })).toBe('Can still be opened 1 more time');
  });

  it('counts wrong passphrases, and leaves the row out when there were none', () => {
    expect(describeAttempts(base)).toBeUndefined();
    expect(describeAttempts({ ...base, failedPassphraseAttempts: 1 })).toBe('1 wrong passphrase');
    expect(describeAttempts({ ...base, failedPassphraseAttempts: 3 })).toBe('3 wrong passphrases');
  });

  it.each([
    ['consumed', 'viewed', 'Ended: opened as many times as allowed'],
    ['burned', 'burned_by_sender', 'Ended: burned by the sender'],
    ['burned', 'burned', 'Ended: burned by someone with the link'],
    ['burned', 'passphrase_attempts', 'Ended: burned after too many wrong passphrases'],
    ['expired', 'expired', 'Ended: expired before it was opened'],
  ] as const)('a %s share ended by %s says so', (state, endReason, words) => {
    expect(describeStatus(ended({ state, endReason }))).toBe(words);
  });

  it('tells each timeline event in words, and who burned it', () => {
    const receipt = ended({
      state: 'burned',
      endReason: 'passphrase_attempts',
      timeline: [
        { type: 'CREATE', at: base.createdAt },
        { type: 'READ', at: base.createdAt },
        { type: 'PASSPHRASE_FAILED', at: base.createdAt },
        { type: 'DELETE', at: base.createdAt },
        { type: 'SOMETHING_NEW', at: base.createdAt },
      ],
    });
    expect(texts(receipt)).toEqual([
      'Created',
      'Opened',
      'Wrong passphrase entered',
      'Burned after too many wrong passphrases',
      'Something new',
    ]);
    expect(
      texts(
        ended({ state: 'burned', endReason: 'burned_by_sender', timeline: [{ type: 'DELETE', at: '' }] }),
      ),
    ).toEqual(['Burned by the sender']);
  });

  it('tells damaged-link tries (LINK_KEY_FAILED, one counter with wrong passphrases) apart', () => {
    const tries = (types: string[]) =>
      ended({
        state: 'burned',
        endReason: 'passphrase_attempts',
        failedPassphraseAttempts: types.length,
        timeline: [...types, 'DELETE'].map((type) => ({ type, at: base.createdAt })),
      });
    const links = tries(['LINK_KEY_FAILED', 'LINK_KEY_FAILED']);
    expect(describeStatus(links)).toBe('Ended: burned after too many tries with a damaged link');
    expect(describeAttempts(links)).toBe('2 damaged links');
    expect(texts(links)).toEqual([
      'Tried with a damaged link (nothing was shown)',
      'Tried with a damaged link (nothing was shown)',
      'Burned after too many tries with a damaged link',
    ]);
    const mixed = tries(['PASSPHRASE_FAILED', 'PASSPHRASE_FAILED', 'LINK_KEY_FAILED']);
    expect(describeStatus(mixed)).toBe('Ended: burned after too many wrong passphrases and damaged links');
    expect(describeAttempts(mixed)).toBe('2 wrong passphrases and 1 damaged link');
  });

  it('never leaves the ending empty when a record has no end reason', () => {
    expect(describeStatus(ended({ state: 'consumed', endReason: null }))).toBe(
      'Ended: opened as many times as allowed',
    );
    expect(describeStatus(ended({ state: 'burned', endReason: null }))).toBe('Ended: burned');
  });

  it('adds the expiry to the timeline before the sweeper has recorded it, once', () => {
    const unswept = ended({ state: 'expired', endReason: 'expired' });
    expect(texts(unswept)).toEqual(['Created', 'Expired']);
    const swept = {
      ...unswept,
      timeline: [...unswept.timeline, { type: 'EXPIRE', at: '2026-12-01T11:00:01.000Z' }],
    };
    expect(texts(swept)).toEqual(['Created', 'Expired']);
  });
});
