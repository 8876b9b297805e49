import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../src/client/base64url.js';
import { decryptText } from '../../src/client/client-crypto.js';
import { deriveKeyCheck } from '../../src/client/link-key-check.js';
import { parseShareLink } from '../../src/client/share-link.js';
import {
  backgroundLuminance,
  createInPage,
  expectAccessible,
  fieldValue,
  horizontalOverflow,
  screenshot,
  textOf,
  useBrowserSuite,
  waitForText,
} from './helpers.js';

/**
 * Issue 5 point 2: the page in Debian's chromium against a real listening hush. Every page is
 * watched for uncaught errors, console errors (CSP violations among them) and requests that leave
 * the hush origin; each test ends by asserting none happened.
 */
describe('web page (chromium)', () => {
  const suite = useBrowserSuite();
  const { freshPage, receiptOf } = suite;
  /** Reveals a page-made link through the API: the link's verifier proves it (never its key). */
  const revealByApi = async (link: string) => {
    const { secretKey, contentKey } = parseShareLink(link);
    return suite.live.api.reveal(secretKey, undefined, contentKey && (await deriveKeyCheck(contentKey)));
  };

  it('keeps the key in the address bar while views remain, and drops it with the last one', async () => {
    const secret = 'two views of this';
    const created = await createInPage(await freshPage(), suite.live.base, { secret, views: 2 });
    const reader = await freshPage();
    await reader.goto(created.link);
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe(secret);
    expect(await textOf(reader, '#views-left')).toBe('1');
    // A reload must still open the secret, or it would spend the next view on a text it cannot read.
    expect(new URL(reader.url()).hash).not.toBe('');
    await reader.reload();
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe(secret);
    expect(await textOf(reader, '#views-left')).toBe('0');
    expect(new URL(reader.url()).hash).toBe('');
  });

  it('create → link → fresh context: nothing consumed until Reveal; reveal; reload says gone', async () => {
    const secret = 'db password: correct horse battery staple ✓';
    const page = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    const created = await createInPage(page, suite.live.base, { secret, screenshotAs: 'create' });
    await screenshot(page, 'result');
    await expectAccessible(page, 'result');
    const parsed = parseShareLink(created.link);
    expect(parsed.base).toBe(suite.live.base);
    expect(parsed.contentKey).toBeDefined();
    await page.click('#copy');
    await waitForText(page, '#copy', /copied/i);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created.link);

    const reader = await freshPage();
    await reader.goto(created.link);
    await reader.locator('#reveal').waitFor({ state: 'visible' });
    expect(await reader.textContent('#status')).toMatch(/once/i);
    await screenshot(reader, 'reveal-before');
    await expectAccessible(reader, 'reveal before reveal');
    // Loading the page (and any link-preview bot doing so) consumes nothing.
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'pending', viewsUsed: 0 });

    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe(secret);
    expect(await textOf(reader, '#views-left')).toBe('0');
    await screenshot(reader, 'reveal-after');
    await expectAccessible(reader, 'revealed secret');
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'consumed', viewsUsed: 1 });

    await reader.reload();
    await waitForText(reader, '#problem-title', /gone/i);
    expect(await reader.content()).not.toContain(secret);
    await screenshot(reader, 'gone');
    await expectAccessible(reader, 'gone after reload');

    // The key lives only in the fragment: the server never received it, nor logged it.
    const key = encodeBase64url(parsed.contentKey as Uint8Array);
    expect(suite.live.requestUrls.length).toBeGreaterThan(0);
    expect(suite.live.requestUrls.filter((url) => url.includes('#') || url.includes(key))).toEqual([]);
    expect(suite.live.fixture.logs.filter((line) => line.includes(key))).toEqual([]);
    await page.close();
    await reader.close();
  });

  it('the server stores only an envelope it cannot open', async () => {
    const secret = 'envelope plaintext 0xC0FFEE';
    const page = await freshPage();
    const created = await createInPage(page, suite.live.base, { secret });
    const parsed = parseShareLink(created.link);
    // Revealing through the API with the link's proof but not its key yields only the envelope.
    const { secret: stored } = await revealByApi(created.link);
    expect(stored.startsWith('h1.')).toBe(true);
    expect(stored).not.toContain(secret);
    expect(await decryptText(parsed.contentKey as Uint8Array, stored)).toBe(secret);
    await page.close();
  });

  it('passphrase: a wrong one shows an error and consumes nothing; the right one reveals', async () => {
    const secret = 'behind a passphrase';
    const page = await freshPage();
    const created = await createInPage(page, suite.live.base, { secret, passphrase: 'right passphrase' });

    const reader = await freshPage();
    await reader.goto(created.link);
    await reader.locator('#reveal-passphrase').waitFor({ state: 'visible' });
    await expectAccessible(reader, 'reveal with passphrase field');
    await reader.fill('#reveal-passphrase', 'wrong passphrase');
    await reader.click('#reveal');
    expect(await textOf(reader, '#error')).not.toBe('');
    expect(await reader.getAttribute('#error', 'role')).toBe('alert');
    await screenshot(reader, 'reveal-wrong-passphrase');
    await expectAccessible(reader, 'wrong passphrase, attempts left');
    expect(await receiptOf(created.receiptLink)).toMatchObject({
      state: 'pending',
      viewsUsed: 0,
      failedPassphraseAttempts: 1,
    });

    await reader.fill('#reveal-passphrase', 'right passphrase');
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe(secret);
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'consumed', viewsUsed: 1 });
    await page.close();
    await reader.close();
  });

  it('receipt page follows a reveal, then burns the share (two clicks)', async () => {
    const page = await freshPage();
    const sender = await freshPage();
    const created = await createInPage(sender, suite.live.base, { secret: 'two views', views: 2 });
    // The receipt opens in a new tab: the result page, with the only copy of the key, stays.
    const [opened] = await Promise.all([
      sender.context().waitForEvent('page'),
      sender.click('#receipt-link'),
    ]);
    await opened.waitForURL(/\/r\//);
    expect(await fieldValue(sender, '#share-link')).toBe(created.link);
    await opened.close();
    await page.goto(created.receiptLink);
    await waitForText(page, '#receipt-state', /can still be opened 2 more times/i);
    await waitForText(page, '#receipt-views', /0 of 2/);

    await revealByApi(created.link);
    await page.click('#refresh');
    await waitForText(page, '#receipt-views', /1 of 2/);
    expect(await page.textContent('#receipt-state')).toMatch(/can still be opened 1 more time/i);
    const events = await page.locator('#timeline li').allTextContents();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatch(/^Created, /);
    expect(events[1]).toMatch(/^Opened, /);
    await screenshot(page, 'receipt');
    await expectAccessible(page, 'receipt live');

    await page.click('#burn');
    await page.locator('#burn-confirm').waitFor({ state: 'visible' });
    await expectAccessible(page, 'receipt burn question');
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'pending' });
    await page.click('#burn-confirm');
    await waitForText(page, '#receipt-state', /ended: burned by the sender/i);
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'burned' });
    expect(await page.locator('#timeline li').last().textContent()).toMatch(/^Burned by the sender, /);
    await screenshot(page, 'receipt-burned');
    await expectAccessible(page, 'receipt burned by the sender');

    const reader = await freshPage();
    await reader.goto(created.link);
    await waitForText(reader, '#problem-title', /gone/i);
    await page.close();
    await reader.close();
  });

  it('creates with the keyboard alone (Tab, typing, Enter)', async () => {
    const page = await freshPage();
    await page.goto(`${suite.live.base}/`);
    await page.locator('#secret').waitFor();
    await expectAccessible(page, 'create form');
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
    for (let i = 0; i < 10 && (await focused()) !== 'secret'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('secret');
    await page.keyboard.type('typed without a mouse');
    for (let i = 0; i < 10 && (await focused()) !== 'create'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('create');
    await page.keyboard.press('Enter');
    const link = await fieldValue(page, '#share-link');
    const { secret } = await revealByApi(link);
    expect(await decryptText(parseShareLink(link).contentKey as Uint8Array, secret)).toBe(
      'typed without a mouse',
    );
    await page.close();
  });

  it('fits a 360 px phone screen without horizontal scroll', async () => {
    const page = await freshPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(`${suite.live.base}/`);
    await page.locator('#secret').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'create form, phone');
    const created = await createInPage(page, suite.live.base, { secret: 'on a phone' });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-result');
    await expectAccessible(page, 'result, phone');
    await page.goto(created.link);
    await page.locator('#reveal').waitFor({ state: 'visible' });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'reveal before reveal, phone');
    await page.goto(created.receiptLink);
    await waitForText(page, '#receipt-state', /can still be opened/i);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'receipt live, phone');
    await page.close();
  });

  it('follows prefers-color-scheme: dark', async () => {
    const luminance = async (colorScheme: 'light' | 'dark') => {
      const page = await freshPage({ colorScheme });
      await page.goto(`${suite.live.base}/`);
      await page.locator('#secret').waitFor();
      if (colorScheme === 'dark') await screenshot(page, 'create-dark');
      await expectAccessible(page, `create form, ${colorScheme}`);
      return backgroundLuminance(page);
    };
    expect(await luminance('light')).toBeGreaterThan(128);
    expect(await luminance('dark')).toBeLessThan(128);
  });

  it('answers every page with a strict Content-Security-Policy', async () => {
    const page = await freshPage();
    for (const path of ['/', `/s/${'A'.repeat(43)}`, `/r/${'A'.repeat(43)}`]) {
      const response = await page.goto(`${suite.live.base}${path}`);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp, path).toMatch(/default-src 'none'|default-src 'self'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(response?.headers()['referrer-policy'], path).toBe('no-referrer');
    }
    await page.close();
  });
});
