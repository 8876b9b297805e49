import { describe, expect, it } from 'vitest';
import { encodeBase64url } from './base64url.js';
import { cleanLinkText, LinkError, parseReceiptLink, parseShareLink } from './share-link.js';

/**
 * Token chosen to start and end with `-` and `_`, key to start with `-` (a canonical 32-byte key
 * ends in A, Q, g or w): base64url has both, and cleaning must keep them.
 */
const TOKEN = `-_${'x'.repeat(39)}_-`;
const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xfb : i === 31 ? 0xff : i));
const LINK = `https://hush.example.com/s/${TOKEN}#1.${encodeBase64url(KEY)}`;

describe('links as mail and chat clients deliver them', () => {
  it('keeps - and _ at both ends of the token and key', () => {
    expect(encodeBase64url(KEY)).toMatch(/^-/);
    expect(parseShareLink(LINK)).toEqual({
      base: 'https://hush.example.com',
      secretKey: TOKEN,
      contentKey: KEY,
    });
  });

  it.each([
    ['a trailing full stop', `${LINK}.`],
    ['a trailing comma', `${LINK},`],
    ['trailing sentence punctuation', `${LINK}!?;:`],
    ['a closing bracket', `(see ${LINK})`.slice(5)],
    ['a closing square bracket and dot', `${LINK}].`],
    ['angle brackets (RFC 3986 appendix C)', `<${LINK}>`],
    ['double quotes', `"${LINK}"`],
    ['single quotes', `'${LINK}'`],
    ['typographic quotes', `“${LINK}”`],
    ['markdown emphasis', `**${LINK}**`],
    ['surrounding whitespace and a newline', `  ${LINK}\n`],
    ['a line break inside (wrapped mail)', `${LINK.slice(0, 50)}\n${LINK.slice(50)}`],
    ['a quoted-printable soft break', `${LINK.slice(0, 60)}=\r\n${LINK.slice(60)}`],
    ['a reply-quoted wrapped line', `${LINK.slice(0, 40)}\n> ${LINK.slice(40)}`],
    ['a zero-width space', `${LINK.slice(0, 70)}\u200B${LINK.slice(70)}`],
    ['a percent-encoded quote, as the address bar shows it', `${LINK}%22`],
    ['an ellipsis', `${LINK}…`],
  ])('opens a link with %s', (_, text) => {
    expect(parseShareLink(text)).toEqual({
      base: 'https://hush.example.com',
      secretKey: TOKEN,
      contentKey: KEY,
    });
  });

  it('cleans receipt links and keyless share links the same way', () => {
    expect(parseReceiptLink(`<https://h/r/${TOKEN}>.`).receiptKey).toBe(TOKEN);
    expect(parseShareLink(`https://h/s/${TOKEN}).`)).toMatchObject({
      secretKey: TOKEN,
      contentKey: undefined,
    });
  });

  it('never cuts a character of the base64url alphabet', () => {
    expect(cleanLinkText(`https://h/s/${TOKEN}#1.abc-_`)).toBe(`https://h/s/${TOKEN}#1.abc-_`);
  });

  it('refuses a key cut short before any request, saying nothing was used up', () => {
    const cut = LINK.slice(0, -5);
    expect(() => parseShareLink(cut)).toThrow(LinkError);
    expect(() => parseShareLink(`${cut}…`)).toThrow(/cut short.*nothing was used up/);
    expect(() => parseShareLink(`${LINK.slice(0, LINK.indexOf('#') + 3)}`)).toThrow(/cut short/);
  });
});
