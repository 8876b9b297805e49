import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatShareLink } from '../../src/client/share-link.js';
import { LATIN_ALLOWED } from '../helpers/page-words.js';
import {
  createInPage,
  expectAccessible,
  fieldValue,
  horizontalOverflow,
  screenshot,
  textOf,
  useBrowserSuite,
  waitForText,
} from './helpers.js';

const RUSSIAN = { locale: 'ru-RU' } as const;

/**
 * What a page in another language still shows in the Latin alphabet: its visible text, its title
 * and every attribute a person reads or hears, without addresses and without what is marked as
 * being in another language (the switch's "English"). Names such as hush are allowed.
 */
const latinLeft = (page: Page) =>
  page.evaluate(
    (allowed) => {
      const foreign = (element: Element) => {
        const lang = element.closest('[lang]')?.getAttribute('lang');
        return lang !== undefined && lang !== document.documentElement.lang;
      };
      const texts: string[] = [document.title];
      const body = document.body.cloneNode(true) as HTMLElement;
      for (const element of body.querySelectorAll('[lang]')) {
        if (element.getAttribute('lang') !== document.documentElement.lang) element.remove();
      }
      document.body.append(body);
      body.style.position = 'absolute';
      texts.push(body.innerText);
      body.remove();
      for (const element of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
        if (foreign(element) || element.closest('[hidden]')) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
          texts.push(element.getAttribute(name) ?? '');
      }
      const words =
        texts
          .join('\n')
          .replace(/https?:\/\/\S+/g, '')
          .match(/[A-Za-z]+/g) ?? [];
      return words.filter((word) => !allowed.includes(word));
    },
    [...LATIN_ALLOWED],
  );

const heading = (page: Page) => textOf(page, 'main > section:not([hidden]) h1');
const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);
const cookie = async (page: Page) => (await page.context().cookies()).find((c) => c.name === 'hush_lang');

/**
 * Issue 15 point 6 (and point 9's language switch): the page in Russian when the browser asks for
 * it, a switch on every view that changes the page at once and is remembered, no English left in
 * Russian, and axe-core finding nothing serious in either language.
 */
describe('the page in English and Russian (chromium)', () => {
  const suite = useBrowserSuite();
  const { freshPage } = suite;

  it('a browser that asks for Russian gets the page in Russian; the default (en-US) gets English', async () => {
    const ru = await freshPage(RUSSIAN);
    await ru.goto(`${suite.live.base}/`);
    expect(await lang(ru)).toBe('ru');
    expect(await heading(ru)).toBe('Поделиться секретом');
    expect(await ru.title()).toBe('hush — поделиться секретом');
    expect(await ru.inputValue('#language')).toBe('ru');
    expect(await ru.locator('label[for="language"]').textContent()).toBe('Язык');
    // Each language's name is written, and marked, in its own language.
    expect(
      await ru.$$eval('#language option', (options) =>
        (options as HTMLOptionElement[]).map((o) => [o.value, o.lang, o.textContent]),
      ),
    ).toEqual([
      ['en', 'en', 'English'],
      ['ru', 'ru', 'Русский'],
    ]);
    expect(await ru.locator('#ttl option:checked').textContent()).toBe('1 день');

    const en = await freshPage();
    await en.goto(`${suite.live.base}/`);
    expect(await lang(en)).toBe('en');
    expect(await heading(en)).toBe('Share a secret');
    expect(await en.inputValue('#language')).toBe('en');
  });

  it('switches at once, keeps what was typed, and remembers the choice over Accept-Language', async () => {
    const page = await freshPage(RUSSIAN);
    await page.goto(`${suite.live.base}/`);
    await page.fill('#secret', 'набранный текст');
    await page.fill('#passphrase', 'my passphrase');
    await page.fill('#views', '4');
    await page.selectOption('#ttl', '3600');

    // The switch is a labelled select: reachable and usable from the keyboard.
    await page.focus('#language');
    await page.keyboard.press('ArrowUp'); // ru → en
    await waitForText(page, '#create-title', /^Share a secret$/);
    expect(await lang(page)).toBe('en');
    expect(await page.title()).toBe('hush — share a secret');
    expect(await page.locator('#ttl option:checked').textContent()).toBe('1 hour');
    expect(await page.inputValue('#secret')).toBe('набранный текст');
    expect(await page.inputValue('#passphrase')).toBe('my passphrase');
    expect(await page.inputValue('#views')).toBe('4');
    expect(await page.inputValue('#ttl')).toBe('3600');
    expect(await cookie(page)).toMatchObject({ value: 'en', sameSite: 'Lax', httpOnly: false, path: '/' });

    // Remembered: the next load is English although the browser still asks for Russian.
    await page.reload();
    expect(await lang(page)).toBe('en');
    expect(await heading(page)).toBe('Share a secret');

    await page.selectOption('#language', 'ru');
    await waitForText(page, '#create-title', /^Поделиться секретом$/);
    expect(await cookie(page)).toMatchObject({ value: 'ru' });
    // A message shown before the switch is said again in the new language.
    await page.fill('#secret', '');
    await page.click('#create');
    expect(await textOf(page, '#secret-problem')).toBe('Сначала напишите секрет.');
    await page.selectOption('#language', 'en');
    expect(await textOf(page, '#secret-problem')).toBe('Write the secret first.');
    await page.selectOption('#language', 'ru');
    await page.reload();
    expect(await heading(page)).toBe('Поделиться секретом');
  });

  it('switching on a reveal page spends no view, before or after the secret is shown', async () => {
    const created = await suite.live.api.create({ secret: 'открой меня', maxViews: 2 });
    const page = await freshPage(RUSSIAN);
    const reveals: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') reveals.push(request.url());
    });
    await page.goto(formatShareLink(suite.live.base, created.secretKey));
    await waitForText(page, '#status', /Секрет можно открыть ещё 2 раза/);
    await page.selectOption('#language', 'en');
    await waitForText(page, '#status', /^It can be opened 2 more times, until .+ \(in 1 day\)\.?/);
    expect(reveals).toEqual([]);
    expect((await suite.live.api.status(created.secretKey)).viewsLeft).toBe(2);

    await page.selectOption('#language', 'ru');
    await page.click('#reveal');
    expect(await fieldValue(page, '#revealed')).toBe('открой меня');
    expect(await textOf(page, '#status')).toBe('Секрет открыт.');
    await page.selectOption('#language', 'en');
    expect(await textOf(page, '#status')).toBe('Revealed.');
    expect(await page.inputValue('#revealed')).toBe('открой меня');
    expect(reveals).toHaveLength(1);
    expect((await suite.live.api.status(created.secretKey)).viewsLeft).toBe(1);
  });

  it.each([
    ['ru', RUSSIAN],
    ['en', { locale: 'en-US' }],
  ] as const)('in %s: every state is accessible, and Russian has no English left', async (code, options) => {
    const open = () => freshPage({ ...options, viewport: { width: 1000, height: 800 } });
    const page = await open();
    await page.goto(`${suite.live.base}/`);
    await page.click('#create'); // with a field's problem shown
    await textOf(page, '#secret-problem');
    await check(page, code, 'create');

    const share = await createInPage(page, suite.live.base, {
      secret: 'секрет',
      passphrase: 'pass',
      views: 3,
    });
    await page.click('#show-qr');
    await page.locator('#qr-code svg').waitFor();
    await page.click('#new'); // with the question asked before leaving unkept links
    await textOf(page, '#leave-question');
    await check(page, code, 'result');

    const reveal = await open();
    await reveal.goto(share.link);
    await reveal.locator('#reveal-form').waitFor();
    await reveal.fill('#reveal-passphrase', 'wrong');
    await reveal.click('#reveal');
    await textOf(reveal, '#error');
    await check(reveal, code, 'reveal');
    await reveal.fill('#reveal-passphrase', 'pass');
    await reveal.click('#reveal');
    await fieldValue(reveal, '#revealed');
    await check(reveal, code, 'revealed');

    const receipt = await open();
    await receipt.goto(share.receiptLink);
    await receipt.waitForFunction(() => document.querySelectorAll('#timeline li').length >= 3);
    await check(receipt, code, 'receipt');

    // A link whose only view was spent: a problem state.
    const spent = await suite.live.api.create({ secret: 'spent' });
    await suite.live.api.reveal(spent.secretKey);
    const gone = await open();
    await gone.goto(formatShareLink(suite.live.base, spent.secretKey));
    await gone.locator('#problem-view').waitFor();
    await check(gone, code, 'gone');
  });
});

/** A state in a language: `lang` right, nothing Latin left in Russian, no sideways scroll, axe clean. */
async function check(page: Page, code: string, state: string): Promise<void> {
  expect(await lang(page)).toBe(code);
  if (code === 'ru') expect([state, await latinLeft(page)]).toEqual([state, []]);
  expect(await horizontalOverflow(page)).toBe(0);
  await expectAccessible(page, `${state} (${code})`);
  await screenshot(page, `languages-${code}-${state}`);
}
