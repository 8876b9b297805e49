import { describe, expect, it } from 'vitest';
import { newRequestKeyPair } from './request-crypto.js';
import {
  formatKeepLink,
  formatRespondLink,
  isKeepLink,
  parseKeepLink,
  parseRespondLink,
} from './request-link.js';
import { LinkError } from './share-link.js';

const KEY = `${'A'.repeat(42)}g`;

describe('request links', () => {
  it('round trip: the link to send carries the public key, the link to keep the private key', async () => {
    const pair = await newRequestKeyPair();
    const send = formatRespondLink('https://hush.example.com/', KEY, pair.publicKey);
    const keep = formatKeepLink('https://hush.example.com', KEY, pair.privateKey);
    expect(send).toMatch(/^https:\/\/hush\.example\.com\/respond\/A{42}g#1\.[A-Za-z0-9_-]{87}$/);
    expect(keep.startsWith('https://hush.example.com/request/')).toBe(true);
    expect(parseRespondLink(`<${send}>.`)).toEqual({
      base: 'https://hush.example.com',
      respondKey: KEY,
      publicKey: pair.publicKey,
    });
    expect(parseKeepLink(keep).privateKey).toEqual(pair.privateKey);
    expect(isKeepLink(keep)).toBe(true);
    expect(isKeepLink(send)).toBe(false);
    expect(isKeepLink('https://hush.example.com/s/x#1.y')).toBe(false);
  });

  it('refuses the wrong kind, a cut key or a cut token', async () => {
    const pair = await newRequestKeyPair();
    const send = formatRespondLink('https://h.example', KEY, pair.publicKey);
    const keep = formatKeepLink('https://h.example', KEY, pair.privateKey);
    expect(() => parseKeepLink(send)).toThrow(LinkError);
    expect(() => parseRespondLink(keep)).toThrow(LinkError);
    expect(() => parseRespondLink(send.slice(0, -10))).toThrow(/incomplete|damaged/);
    expect(() => parseKeepLink(keep.slice(0, keep.indexOf('#') + 40))).toThrow(/cut short/);
    expect(() => parseRespondLink(send.split('#')[0] as string)).toThrow(/missing/);
    expect(() => parseRespondLink(send.replace(KEY, KEY.slice(1)))).toThrow(/43 characters/);
    expect(() => parseRespondLink(send.replace('#1.', '#2.'))).toThrow(/newer/);
  });
});
