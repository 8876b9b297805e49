import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/hush-fixture.js';
import { keyChoice } from './arbitraries.js';
import { itStaysHealthy, resolveKey, useFuzzHush } from './fixture.js';
import { BODY_ROUTES, checkResponse, describeSent, runs } from './support.js';

/** Raw byte bodies, invalid UTF-8 and content types other than JSON on every body route. */

const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80], // UTF-8 encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xe2, 0x82], // truncated sequence
  [0x80],
);

const body = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ bytes: Buffer.from(bytes), badUtf8: undefined })),
  fc
    .tuple(fc.string({ maxLength: 10 }), invalidUtf8, fc.string({ maxLength: 10 }))
    .map(([before, bad, after]) => ({
      bytes: Buffer.concat([
        Buffer.from(`{"secret":"${before.replace(/["\\]/g, '')}`),
        Buffer.from(bad),
        Buffer.from(`${after.replace(/["\\]/g, '')}"}`),
      ]),
      badUtf8: true,
    })),
);

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
];
/** JSON is the only body hush reads: any other type with a body, text/plain included, is a 415. */
const NOT_JSON_TYPES = [
  undefined,
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'text/html; charset=utf-8',
  'text/plain',
  'text/plain; charset=utf-8',
];
const ODD_TYPES = [
  '',
  'application/JSON',
  'application/json;;;',
  'application/jsonp',
  'application/*',
  '*/*',
  ';',
  'ÿ',
];
/** More text/plain: other spellings and any charset at all. */
const moreTextPlain = fc.oneof(
  fc.constantFrom(
    'text/plain; charset=UTF-8',
    'text/plain;charset=iso-8859-1',
    'text/plain; charset="us-ascii"',
    'text/plain; charset=utf-16le',
    'Text/Plain; Charset=utf-8',
  ),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,24}$/).map((charset) => `text/plain; charset=${charset}`),
);
// Weighted 4:1 with NUM_RUNS = 5/4 of 500, so each fixed type gets the runs it always had.
const contentType = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<string | undefined>(...JSON_TYPES, ...NOT_JSON_TYPES, ...ODD_TYPES),
  },
  { weight: 1, arbitrary: moreTextPlain },
);
const NUM_RUNS = runs(625);
const isTextPlain = (type: string | undefined) => type !== undefined && /^text\/plain\s*(;|$)/i.test(type);

const isValidUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('fuzz: raw bytes, invalid UTF-8 and odd content types', () => {
  const hush = useFuzzHush();

  it('raw byte bodies, invalid UTF-8 and odd content types', async () => {
    /** How often each check actually ran, so the property cannot pass by never checking. */
    const seen = { invalidUtf8: 0, unsupportedType: 0, textPlain: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        keyChoice,
        body,
        contentType,
        async (route, choice, { bytes, badUtf8 }, type) => {
          const { text, avoid } = await resolveKey(hush.inject, choice, route);
          const url = route.path(text);
          const res = await hush.inject({
            method: route.method,
            url,
            payload: bytes,
            headers: type === undefined ? {} : { 'content-type': type },
          });
          checkResponse(res, { method: route.method, url, avoid });
          const where = describeSent({ method: route.method, url }, res);
          // Body checks need a URL the router takes: bad %-encoding or an over-long key fails first.
          const routerSafe =
            route.key === 'none' ||
            choice.kind !== 'literal' ||
            (choice.encode && text !== '' && text.length <= 100);
          const routed = res.statusCode !== 404 || json(res).error !== 'route_not_found'; // e.g. '..' resolved away
          if (!routerSafe || !routed || bytes.length === 0) return;
          if (type !== undefined && JSON_TYPES.includes(type) && (badUtf8 || !isValidUtf8(bytes))) {
            seen.invalidUtf8++;
            expect(json(res).error, where).toBe('invalid_utf8');
          }
          if (NOT_JSON_TYPES.includes(type) || isTextPlain(type)) {
            seen.unsupportedType++;
            if (isTextPlain(type)) seen.textPlain++;
            expect(res.statusCode, `${type}: ${where}`).toBe(415);
            expect(json(res).error, `${type}: ${where}`).toBe('unsupported_media_type');
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
    expect(seen.invalidUtf8).toBeGreaterThan(runs(500) / 20);
    expect(seen.unsupportedType).toBeGreaterThan(runs(500) / 20);
    expect(seen.textPlain).toBeGreaterThan(runs(500) / 20);
  }, 60_000);

  itStaysHealthy(hush, runs(400));
});
