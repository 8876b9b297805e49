import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedLanguage,
  cookieLanguage,
  PAGE_LANGUAGES,
  pageLanguage,
} from '../src/http/surfaces/web/page-language.js';
import { LANGUAGES } from '../src/web/i18n.js';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';

const KEY43 = `${'A'.repeat(42)}w`;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('choosing the page language', () => {
  it('offers exactly the languages the page has catalogues for', () => {
    expect([...PAGE_LANGUAGES].sort()).toEqual([...LANGUAGES].sort());
  });

  it.each([
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
    ['en-US,en;q=0.9', 'en'],
    ['RU', 'ru'],
    ['en;q=0.5, ru;q=0.8', 'ru'],
    ['ru;q=0.8, en;q=0.8', 'ru'],
    ['de-DE, ru;q=0.3', 'ru'],
    ['ru;q=0, en;q=0.1', 'en'],
    ['de, fr;q=0.9', undefined],
    ['*', undefined],
    ['ru;q=abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('Accept-Language %j → %s', (header, expected) => {
    expect(acceptedLanguage(header)).toBe(expected);
  });

  it('prefers the hush_lang cookie, ignoring one that names no page language', () => {
    expect(cookieLanguage('a=b; hush_lang=ru; c=d')).toBe('ru');
    expect(cookieLanguage('hush_lang=xx')).toBeUndefined();
    expect(cookieLanguage('other_hush_lang=ru')).toBeUndefined();
    expect(pageLanguage({ cookie: 'hush_lang=en', 'accept-language': 'ru-RU' })).toBe('en');
    expect(pageLanguage({ cookie: 'hush_lang=xx', 'accept-language': 'ru-RU' })).toBe('ru');
    expect(pageLanguage({ 'accept-language': 'de' })).toBe('en');
    expect(pageLanguage({})).toBe('en');
  });
});

/** dist/web is built by the web-page global setup (test/servers/web-page-setup.ts). */
describe('the page is served in the chosen language', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(async () => f?.close());
  const get = (url: string, headers: Record<string, string>) =>
    f.hush.app.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT, ...headers } });
  const lang = (body: string) => /<html lang="([^"]*)"/.exec(body)?.[1];

  it.each(['/', `/s/${KEY43}`, `/r/${KEY43}`, '/no/such/page'])(
    '%s says its language in <html lang> and Content-Language',
    async (url) => {
      const ru = await get(url, { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' });
      expect(lang(ru.body)).toBe('ru');
      expect(ru.headers['content-language']).toBe('ru');
      expect(ru.headers.vary).toMatch(/accept-language/i);
      expect(ru.headers.vary).toMatch(/cookie/i);
      const en = await get(url, { 'accept-language': 'en-US,en;q=0.9' });
      expect(lang(en.body)).toBe('en');
      expect(en.headers['content-language']).toBe('en');
      const unknown = await get(url, { 'accept-language': 'ja-JP' });
      expect(lang(unknown.body)).toBe('en');
      const chosen = await get(url, { 'accept-language': 'ru-RU', cookie: 'hush_lang=en' });
      expect(lang(chosen.body)).toBe('en');
      const chosenRu = await get(url, { 'accept-language': 'en-US', cookie: 'x=1; hush_lang=ru' });
      expect(lang(chosenRu.body)).toBe('ru');
      // The share limits are still there (the not-found page has none): the language is a change of its own.
      if (chosenRu.statusCode === 200)
        expect(chosenRu.body).toMatch(/<meta name="hush-limits" content="ttl-default=\d+/);
    },
  );

  it('a bad cookie or header never fails the page', async () => {
    const bad: Record<string, string>[] = [
      { cookie: 'hush_lang=<script>' },
      { cookie: 'hush_lang' },
      { 'accept-language': ';;;,,,q=' },
      { 'accept-language': 'x'.repeat(4000) },
    ];
    for (const headers of bad) {
      const res = await get('/', headers);
      expect(res.statusCode).toBe(200);
      expect(lang(res.body)).toBe('en');
    }
  });
});
