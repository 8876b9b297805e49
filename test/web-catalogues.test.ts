import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, formatDuration, formatRelative, setLanguage, t } from '../src/web/i18n.js';
import { PLURAL_FORMS, type PluralForm } from '../src/web/messages/catalogue.js';
import { LATIN_ALLOWED, latinWords } from './helpers/page-words.js';

const INDEX = readFileSync(new URL('../src/web/index.html', import.meta.url), 'utf8');

type Catalogue = Readonly<Record<string, string>>;
const catalogues = Object.entries(CATALOGUES) as [string, Catalogue][];
const en = CATALOGUES.en as Catalogue;

const formOf = (key: string) => PLURAL_FORMS.find((form) => key.endsWith(`.${form}`));
/** A catalogue as plain keys and plural bases (with the forms it has for each). */
function shape(catalogue: Catalogue) {
  const plain = new Set<string>();
  const plural = new Map<string, Set<PluralForm>>();
  for (const key of Object.keys(catalogue)) {
    const form = formOf(key);
    if (!form) plain.add(key);
    else {
      const base = key.slice(0, -form.length - 1);
      plural.set(base, (plural.get(base) ?? new Set()).add(form));
    }
  }
  return { plain, plural };
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
/** The placeholders of a message; for a plural one, of all its forms together. */
function placeholdersOf(catalogue: Catalogue, key: string): string[] {
  const texts = Object.entries(catalogue)
    .filter(([k]) => k === key || (formOf(k) && k.slice(0, k.lastIndexOf('.')) === key))
    .map(([, text]) => text);
  return [...new Set(texts.flatMap(placeholders))].sort();
}
const keysOf = (catalogue: Catalogue) => {
  const { plain, plural } = shape(catalogue);
  return [...plain, ...plural.keys()].sort();
};

describe('the page’s message catalogues', () => {
  it.each(catalogues)('%s has exactly the keys of the English catalogue', (_code, catalogue) => {
    expect(keysOf(catalogue)).toEqual(keysOf(en));
    const { plain, plural } = shape(catalogue);
    // A key is either plain in every catalogue or plural in every one.
    expect([...plain].sort()).toEqual([...shape(en).plain].sort());
    expect([...plural.keys()].sort()).toEqual([...shape(en).plural.keys()].sort());
  });

  it.each(catalogues)('%s has exactly the plural forms its language uses', (code, catalogue) => {
    const forms = new Intl.PluralRules(code).resolvedOptions().pluralCategories.slice().sort();
    for (const [base, has] of shape(catalogue).plural) expect([base, [...has].sort()]).toEqual([base, forms]);
  });

  it.each(catalogues)('%s has the same placeholders as English in every message', (_code, catalogue) => {
    for (const key of keysOf(en)) {
      expect([key, placeholdersOf(catalogue, key)]).toEqual([key, placeholdersOf(en, key)]);
    }
  });

  it.each(catalogues)('%s has no empty message', (_code, catalogue) => {
    for (const [key, text] of Object.entries(catalogue))
      expect([key, text.trim().length > 0]).toEqual([key, true]);
  });

  it('Russian is written in Russian: no Latin word in it but names and keys', () => {
    for (const [key, text] of Object.entries(CATALOGUES.ru as Catalogue)) {
      expect([key, latinWords(text)]).toEqual([key, []]);
    }
  });

  it('index.html names only keys the catalogues have', () => {
    const keys = new Set(keysOf(en));
    const named = [
      ...[...INDEX.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]),
      ...[...INDEX.matchAll(/data-i18n-attr="([^"]+)"/g)].flatMap((m) =>
        (m[1] ?? '').split(';').map((pair) => pair.split(':')[1]?.trim()),
      ),
    ];
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((key) => !keys.has(key ?? ''))).toEqual([]);
  });

  it('fills placeholders and picks Russian plural forms by Intl.PluralRules', () => {
    try {
      setLanguage('ru');
      const left = (count: number) => t('refusal.passphrase-left', { count });
      expect(left(1)).toMatch(/осталась 1 попытка/);
      expect(left(3)).toMatch(/осталось 3 попытки/);
      expect(left(5)).toMatch(/осталось 5 попыток/);
      expect(left(21)).toMatch(/осталась 21 попытка/);
      expect(t('create.views-invalid', { max: 100 })).toBe(
        'Число просмотров должно быть целым, от 1 до 100.',
      );
      setLanguage('en');
      expect(t('receipt.opened', { used: 0, count: 1 })).toBe('Opened 0 of 1 time');
      expect(t('receipt.opened', { used: 2, count: 5 })).toBe('Opened 2 of 5 times');
    } finally {
      setLanguage('en');
    }
  });

  it('says durations and times to come through Intl, in the largest whole unit', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const later = (seconds: number) => new Date(now + seconds * 1000).toISOString();
    try {
      setLanguage('ru');
      expect([300, 3600, 86_400, 604_800, 2_592_000, 5400].map(formatDuration)).toEqual([
        '5 минут',
        '1 час',
        '1 день',
        '7 дней',
        '30 дней',
        '90 минут',
      ]);
      // A day's expiry read a few seconds after it was set is still "in 1 day".
      expect(formatRelative(later(86_395), now)).toBe('через 1 день');
      expect(formatRelative(later(300), now)).toBe('через 5 минут');
      expect(t('receipt.state-live', { count: 2 })).toBe('Можно открыть ещё 2 раза');
      setLanguage('en');
      expect([300, 3600, 86_400, 2_592_000].map(formatDuration)).toEqual([
        '5 minutes',
        '1 hour',
        '1 day',
        '30 days',
      ]);
      expect(formatRelative(later(86_395), now)).toBe('in 1 day');
      expect(formatRelative(later(-7200), now)).toBe('2 hours ago');
    } finally {
      setLanguage('en');
    }
  });
});

/**
 * The markup's own words: every text in index.html sits in an element marked with the key it is
 * said by (`data-i18n`, or `data-i18n-duration` for a duration), and every attribute a person
 * reads or hears (aria-label, title, placeholder, alt) is named in `data-i18n-attr`.
 */
describe('index.html has no hard-coded words', () => {
  const VOID = new Set(['meta', 'link', 'input', 'br', 'img', 'hr']);
  const MARKS = /\sdata-i18n(?:-duration)?="/;
  const READ_ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description'];

  it('every text node is inside a marked element', () => {
    const body = INDEX.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<!--[\s\S]*?-->/g, '');
    const stack: boolean[] = [];
    const loose: string[] = [];
    for (const [token] of body.matchAll(/<[^>]+>|[^<]+/g)) {
      if (token.startsWith('</')) stack.pop();
      else if (token.startsWith('<!')) continue;
      else if (token.startsWith('<')) {
        const name = /^<([a-z0-9]+)/i.exec(token)?.[1]?.toLowerCase() ?? '';
        if (!VOID.has(name) && !token.endsWith('/>'))
          stack.push((stack.at(-1) ?? false) || MARKS.test(token));
      } else {
        const words = token.replace(/\s+/g, ' ').trim();
        // Text without letters (the `…` of a fact not loaded yet) says nothing in any language.
        if (/\p{L}/u.test(words) && !(stack.at(-1) ?? false) && !LATIN_ALLOWED.has(words)) loose.push(words);
      }
    }
    expect(stack).toEqual([]);
    expect(loose).toEqual([]);
  });

  it('every attribute a person reads is translated', () => {
    const tags = [...INDEX.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
    const untranslated = tags.flatMap((tag) =>
      READ_ATTRIBUTES.filter((name) => new RegExp(`\\s${name}="`).test(tag))
        .filter((name) => !new RegExp(`data-i18n-attr="[^"]*\\b${name}:`).test(tag))
        .map((name) => `${name} in ${tag}`),
    );
    expect(untranslated).toEqual([]);
  });
});
