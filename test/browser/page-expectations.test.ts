import { describe, expect, it } from 'vitest';
import {
  createInPage,
  expectAccessible,
  fieldValue,
  screenshot,
  textOf,
  useBrowserSuite,
  waitForText,
} from './helpers.js';

/** The expiry select's choices, as [value, label, selected]. */
const expiryChoices = (page: import('playwright-core').Page) =>
  page.$$eval('#ttl option', (options) =>
    (options as HTMLOptionElement[]).map((o) => [o.value, o.textContent, o.selected] as const),
  );

/**
 * Issue 15 point 7: the page does what people expect — expiries up to the server's maximum, Ctrl+Enter
 * to create, a "burn it now" for the recipient, and a passphrase generator.
 */
describe('page expectations (chromium)', () => {
  const suite = useBrowserSuite();
  const { freshPage } = suite;

  it('offers the usual expiries up to the server maximum (30 days), the server default chosen', async () => {
    const page = await freshPage();
    await page.goto(`${suite.live.base}/`);
    expect(await expiryChoices(page)).toEqual([
      ['300', '5 minutes', false],
      ['3600', '1 hour', false],
      ['86400', '1 day', true],
      ['604800', '7 days', false],
      ['2592000', '30 days', false],
    ]);
    const created = await createInPage(page, suite.live.base, { secret: 'a month', ttlSeconds: 2_592_000 });
    const receipt = await suite.receiptOf(created.receiptLink);
    const days = (Date.parse(receipt.expiresAt) - Date.parse(receipt.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('Ctrl+Enter and Cmd+Enter in the secret create the link, as the button does', async () => {
    for (const modifier of ['Control', 'Meta']) {
      const page = await freshPage();
      await page.goto(`${suite.live.base}/`);
      await page.fill('#secret', `sent with ${modifier}+Enter`);
      await page.press('#secret', `${modifier}+Enter`);
      expect(await fieldValue(page, '#share-link')).toContain('/s/');
      expect(await page.locator('#result-view').isVisible()).toBe(true);
    }
    // A plain Enter is a new line of the secret, not a submit.
    const page = await freshPage();
    await page.goto(`${suite.live.base}/`);
    await page.fill('#secret', 'line one');
    await page.press('#secret', 'Enter');
    await page.type('#secret', 'line two');
    expect(await page.inputValue('#secret')).toBe('line one\nline two');
    expect(await page.locator('#create-view').isVisible()).toBe(true);
  });

  it('lets the recipient burn a share with views left, with its passphrase, and says it is gone', async () => {
    const secret = 'read me, then burn me';
    const created = await createInPage(await freshPage(), suite.live.base, {
      secret,
      passphrase: 'open sesame',
      views: 3,
    });
    const reader = await freshPage();
    await reader.goto(created.link);
    await reader.fill('#reveal-passphrase', 'open sesame');
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe(secret);
    await reader.locator('#burn-now').waitFor({ state: 'visible' });
    await screenshot(reader, 'reveal-burn-offered');
    await expectAccessible(reader, 'revealed, burn offered');

    await reader.click('#burn-now');
    expect(await waitForText(reader, '#burn-now-status', /gone/i)).toMatch(
      /nobody can open this link again/i,
    );
    expect(await reader.locator('#burn-now').isVisible()).toBe(false);
    expect(await textOf(reader, '#views-left')).toBe('0');
    expect(new URL(reader.url()).hash).toBe('');
    // The secret stays on screen to copy; the server has none of it now.
    expect(await reader.inputValue('#revealed')).toBe(secret);
    expect(await suite.receiptOf(created.receiptLink)).toMatchObject({ state: 'burned' });
    await screenshot(reader, 'reveal-burned');
    await expectAccessible(reader, 'revealed, then burned');

    const later = await freshPage();
    await later.goto(created.link);
    await waitForText(later, '#problem-title', /gone/i);
  });

  it('offers no burn for a one-view share: it says the secret is already gone', async () => {
    const created = await createInPage(await freshPage(), suite.live.base, { secret: 'once only' });
    const reader = await freshPage();
    await reader.goto(created.link);
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe('once only');
    expect(await textOf(reader, '#revealed-hint')).toMatch(/already gone: nothing is left to burn/i);
    expect(await reader.locator('#burn-now').isVisible()).toBe(false);
    await expectAccessible(reader, 'revealed, last view');
  });

  it('generates a strong passphrase, shown to copy, that opens the share', async () => {
    const page = await freshPage();
    await page.goto(`${suite.live.base}/`);
    await page.click('#generate');
    const first = await page.inputValue('#passphrase');
    expect(first).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{24}$/);
    expect(await page.getAttribute('#passphrase', 'type')).toBe('text');
    expect(await textOf(page, '#passphrase-status')).toMatch(/copy it and send it another way/i);
    await screenshot(page, 'create-generated-passphrase');
    await expectAccessible(page, 'create, generated passphrase');
    await page.click('#generate');
    const second = await page.inputValue('#passphrase');
    expect(second).not.toBe(first);

    await page.fill('#secret', 'guarded by a generated passphrase');
    await page.click('#create');
    const link = await fieldValue(page, '#share-link');
    const reader = await freshPage();
    await reader.goto(link);
    await reader.fill('#reveal-passphrase', second);
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe('guarded by a generated passphrase');
  });
});

describe('page expectations with narrower limits (chromium)', () => {
  const suite = useBrowserSuite({
    HUSH_SHARE_TTL_MIN_SECONDS: '3600',
    HUSH_SHARE_TTL_MAX_SECONDS: '172800',
    HUSH_SHARE_TTL_DEFAULT_SECONDS: '7200',
    HUSH_SHARE_MAX_VIEWS: '5',
  });

  it('offers only expiries within min..max, with the default and the maximum among them', async () => {
    const page = await suite.freshPage();
    await page.goto(`${suite.live.base}/`);
    expect(await expiryChoices(page)).toEqual([
      ['3600', '1 hour', false],
      ['7200', '2 hours', true],
      ['86400', '1 day', false],
      ['172800', '2 days', false],
    ]);
    expect(await page.getAttribute('#views', 'max')).toBe('5');
    await page.fill('#secret', 'too many views');
    await page.fill('#views', '6');
    await page.click('#create');
    expect(await textOf(page, '#views-problem')).toMatch(/from 1 to 5/);
  });
});
