import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatReceiptLink, formatShareLink } from '../../src/client/share-link.js';
import {
  type ContextOptions,
  createInPage,
  expectAccessible,
  fieldValue,
  horizontalOverflow,
  screenshot,
  textOf,
  useBrowserSuite,
  waitForText,
} from './helpers.js';

const MAX_ATTEMPTS = 3;
const WRONG = 'not the passphrase';
/** Words of the old receipt and error pages that no sender or recipient should have to read. */
const CODES =
  /\b(?:pending|consumed|CREATE|READ|DELETE|EXPIRE|PASSPHRASE_FAILED|passphrase_attempts)\b|\/s\/<|#…/;

type Variant = { name: string; options: ContextOptions };
const VARIANTS: Variant[] = [
  { name: 'desktop-light', options: { viewport: { width: 1100, height: 800 }, colorScheme: 'light' } },
  { name: 'desktop-dark', options: { viewport: { width: 1100, height: 800 }, colorScheme: 'dark' } },
  {
    name: 'phone-light',
    options: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme: 'light' },
  },
  {
    name: 'phone-dark',
    options: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme: 'dark' },
  },
];

/**
 * Issue 12 point 8 (and the receipt half of point 7): the receipt, the result page and the error
 * states in words a non-technical person reads, in Debian's chromium against a real hush. TTLs of a
 * second and a passphrase limit of 3 let every way a share can end be set up through the API.
 */
describe('the page speaks plainly (chromium)', () => {
  const suite = useBrowserSuite({
    HUSH_SHARE_TTL_MIN_SECONDS: '1',
    HUSH_PASSPHRASE_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  });
  const { freshPage } = suite;
  const share = async (input: { maxViews?: number; ttlSeconds?: number; passphrase?: string } = {}) => {
    const created = await suite.live.api.create({ secret: 'plain words', ...input });
    return {
      ...created,
      link: formatShareLink(suite.live.base, created.secretKey),
      receiptLink: formatReceiptLink(suite.live.base, created.receiptKey),
    };
  };
  const timeline = (page: Page) => page.locator('#timeline li').allTextContents();
  /**
   * Screenshots of a page state at desktop and phone width, light and dark; none may scroll
   * sideways, and axe finds nothing serious in any of them.
   */
  const shootAll = async (name: string, open: (page: Page) => Promise<void>) => {
    for (const variant of VARIANTS) {
      const page = await freshPage(variant.options);
      await open(page);
      expect(await horizontalOverflow(page), `${name} ${variant.name}`).toBeLessThanOrEqual(0);
      await screenshot(page, `${name}-${variant.name}`);
      await expectAccessible(page, `${name} ${variant.name}`, { asIs: true });
    }
  };
  const visibleText = (page: Page) => page.locator('main').innerText();

  describe('receipt', () => {
    /** Opens a receipt of a share that has ended and checks what every ended receipt shows. */
    const openEnded = async (receiptLink: string, status: RegExp): Promise<Page> => {
      const page = await freshPage();
      await page.goto(receiptLink);
      await waitForText(page, '#receipt-state', status);
      // Nothing left to wait for: no expiry, no refresh, no burn; the end time instead.
      expect(await page.locator('#receipt-expires').isHidden()).toBe(true);
      expect(await page.locator('#receipt-expires-label').isHidden()).toBe(true);
      expect(await page.locator('#receipt-ended').isVisible()).toBe(true);
      expect(await page.locator('#receipt-live').isHidden()).toBe(true);
      expect(await page.locator('#burn').isHidden()).toBe(true);
      expect(await page.locator('#refresh').isHidden()).toBe(true);
      expect(await visibleText(page)).not.toMatch(CODES);
      await expectAccessible(page, `receipt ${status.source}`);
      return page;
    };

    it('says "Opened 2 of 2 times" and that opening ended it', async () => {
      const created = await share({ maxViews: 2 });
      await suite.live.api.reveal(created.secretKey);
      await suite.live.api.reveal(created.secretKey);
      const page = await openEnded(created.receiptLink, /^Ended: opened as many times as allowed$/);
      expect(await page.textContent('#receipt-views')).toBe('Opened 2 of 2 times');
      const events = await timeline(page);
      expect(events.map((event) => event.split(',')[0])).toEqual(['Created', 'Opened', 'Opened']);
      await shootAll('receipt-opened', async (p) => {
        await p.goto(created.receiptLink);
        await waitForText(p, '#receipt-state', /ended/i);
      });
    });

    it('says it was burned by the sender, or by someone with the link', async () => {
      const created = await share();
      await suite.live.api.burnByReceipt(created.receiptKey);
      const page = await openEnded(created.receiptLink, /^Ended: burned by the sender$/);
      expect(await page.textContent('#receipt-views')).toBe('Opened 0 of 1 time');
      expect((await timeline(page)).map((event) => event.split(',')[0])).toEqual([
        'Created',
        'Burned by the sender',
      ]);

      const other = await share();
      await suite.live.api.burn(other.secretKey);
      const burned = await openEnded(other.receiptLink, /^Ended: burned by someone with the link$/);
      expect((await timeline(burned)).map((event) => event.split(',')[0])).toEqual([
        'Created',
        'Burned by someone with the link',
      ]);
    });

    it('says it was burned after too many wrong passphrases, and counts them', async () => {
      const created = await share({ passphrase: 'the right one' });
      for (let i = 0; i < MAX_ATTEMPTS; i++)
        await suite.live.api.reveal(created.secretKey, WRONG).catch(() => {});
      expect(await suite.live.api.receipt(created.receiptKey)).toMatchObject({
        endReason: 'passphrase_attempts',
      });
      const page = await openEnded(created.receiptLink, /^Ended: burned after too many wrong passphrases$/);
      expect(await page.textContent('#receipt-attempts')).toBe(`${MAX_ATTEMPTS} wrong passphrases`);
      expect(await page.locator('#receipt-attempts-label').isVisible()).toBe(true);
      expect((await timeline(page)).map((event) => event.split(',')[0])).toEqual([
        'Created',
        ...Array<string>(MAX_ATTEMPTS).fill('Wrong passphrase entered'),
        'Burned after too many wrong passphrases',
      ]);
      await shootAll('receipt-passphrase-burned', async (p) => {
        await p.goto(created.receiptLink);
        await waitForText(p, '#receipt-state', /ended/i);
      });
    });

    it('says it expired, and hides the expiry that has passed', async () => {
      const created = await share({ ttlSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, Date.parse(created.expiresAt) - Date.now() + 100));
      const page = await openEnded(created.receiptLink, /^Ended: expired before it was opened$/);
      expect((await timeline(page)).map((event) => event.split(',')[0])).toEqual(['Created', 'Expired']);
    });

    it('refreshes itself while live (about every 12 s, not while hidden), and stops once ended', async () => {
      const created = await share({ maxViews: 2 });
      const page = await freshPage();
      const receiptCalls: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/v1/receipts/')) receiptCalls.push(request.url());
      });
      await page.clock.install();
      await page.goto(created.receiptLink);
      await waitForText(page, '#receipt-state', /^Can still be opened 2 more times$/);
      expect(await page.textContent('#receipt-views')).toBe('Opened 0 of 2 times');
      expect(await page.locator('#receipt-expires').isVisible()).toBe(true);
      expect(await page.locator('#receipt-ended').isHidden()).toBe(true);
      expect(await visibleText(page)).not.toMatch(CODES);
      await shootAll('receipt-live', async (p) => {
        await p.goto(created.receiptLink);
        await waitForText(p, '#receipt-state', /can still/i);
      });

      // A hidden tab asks nothing; shown again, it catches up at once.
      const visibility = (state: 'hidden' | 'visible') =>
        page.evaluate((value) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await visibility('hidden');
      await suite.live.api.reveal(created.secretKey);
      const hidden = receiptCalls.length;
      await page.clock.runFor(60_000);
      expect(receiptCalls.length).toBe(hidden);
      expect(await page.textContent('#receipt-views')).toBe('Opened 0 of 2 times');
      await visibility('visible');
      await waitForText(page, '#receipt-views', /^Opened 1 of 2 times$/);
      expect(await page.textContent('#receipt-state')).toBe('Can still be opened 1 more time');

      await suite.live.api.reveal(created.secretKey);
      const before = receiptCalls.length;
      await page.clock.runFor(5_000);
      expect(receiptCalls.length).toBe(before); // polite: not every few seconds
      await page.clock.runFor(8_000);
      await waitForText(page, '#receipt-state', /^Ended: opened as many times as allowed$/);
      expect(await page.locator('#receipt-expires').isHidden()).toBe(true);
      const ended = receiptCalls.length;
      await page.clock.runFor(120_000);
      expect(receiptCalls.length).toBe(ended);
    });
  });

  describe('result page', () => {
    it('has a copy button for the receipt link', async () => {
      const page = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });
      const created = await createInPage(page, suite.live.base, { secret: 'copy me' });
      expect(await fieldValue(page, '#receipt-field')).toBe(created.receiptLink);
      await page.click('#copy-receipt');
      await waitForText(page, '#copy-receipt', /copied/i);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created.receiptLink);
      expect(await textOf(page, '#copy-receipt-status')).toMatch(/copied/i);
    });

    it('asks before "Share another secret" throws away links not yet copied', async () => {
      const page = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });
      await createInPage(page, suite.live.base, { secret: 'do not lose me' });
      await page.click('#new');
      const question = await textOf(page, '#leave-question');
      expect(question).toMatch(/the link to send or the receipt link/);
      await screenshot(page, 'result-leave-warning');
      await expectAccessible(page, 'result with the leave question');
      await page.click('#leave-cancel');
      expect(await page.locator('#result-view').isVisible()).toBe(true);
      expect(await page.locator('#leave-box').isHidden()).toBe(true);

      await page.click('#copy');
      await waitForText(page, '#copy', /copied/i);
      await page.click('#new');
      expect(await textOf(page, '#leave-question')).toMatch(/not copied the receipt link yet/);
      await page.click('#leave-confirm');
      await page.locator('#create-view').waitFor({ state: 'visible' });

      // Both copied: no question at all.
      await createInPage(page, suite.live.base, { secret: 'both copied' });
      await page.click('#copy');
      await page.click('#copy-receipt');
      await waitForText(page, '#copy-receipt', /copied/i);
      await page.click('#new');
      await page.locator('#create-view').waitFor({ state: 'visible' });
      await shootAll('result', async (p) => {
        await createInPage(p, suite.live.base, { secret: 'a result to look at', views: 3 });
      });
    });

    it('warns before leaving the page until both links are copied', async () => {
      const page = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.accept();
      });
      await createInPage(page, suite.live.base, { secret: 'leaving' });
      await page.reload();
      expect(dialogs).toEqual(['beforeunload']);

      await createInPage(page, suite.live.base, { secret: 'leaving, links kept' });
      await page.click('#copy');
      await page.click('#copy-receipt');
      await waitForText(page, '#copy-receipt', /copied/i);
      await page.reload();
      expect(dialogs).toEqual(['beforeunload']);
    });
  });

  describe('error states', () => {
    /** Opens a page that must show a problem: its own heading, focused, with plain words. */
    const problem = async (page: Page, url: string, title: string) => {
      const response = await page.goto(url);
      await waitForText(page, '#problem-title', new RegExp(`^${title}$`));
      expect(await page.locator('h1:visible').allTextContents()).toEqual([title]);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('problem-title');
      expect(await textOf(page, '#problem-text')).not.toBe('');
      expect(await visibleText(page)).not.toMatch(CODES);
      await expectAccessible(page, `problem "${title}"`);
      return response;
    };

    it('a link that was already used: "This secret is gone"', async () => {
      const created = await share();
      await suite.live.api.reveal(created.secretKey);
      await problem(await freshPage(), created.link, 'This secret is gone');
      await shootAll('gone', async (p) => {
        await p.goto(created.link);
        await p.locator('#problem-title').waitFor({ state: 'visible' });
      });
    });

    it('a secret spent while the page was open: the heading replaces the form', async () => {
      const created = await share();
      const page = await freshPage();
      await page.goto(created.link);
      await page.locator('#reveal').waitFor({ state: 'visible' });
      await suite.live.api.reveal(created.secretKey);
      await page.click('#reveal');
      await waitForText(page, '#problem-title', /^This secret is gone$/);
      expect(await page.locator('#error').isHidden()).toBe(true); // the heading says it once
    });

    it.each([
      ['a cut key', (link: string) => link.slice(0, -10)],
      ['a cut path', (link: string) => link.replace(/\/s\/(.{20}).*$/, '/s/$1')],
    ])('a link with %s: "This link is not complete"', async (_name, damage) => {
      const created = await createInPage(await freshPage(), suite.live.base, { secret: 'damaged' });
      const page = await freshPage();
      await problem(page, damage(created.link), 'This link is not complete');
      expect(await page.textContent('#problem-text')).toMatch(/nothing was used up/i);
      const receipt = await suite.receiptOf(created.receiptLink);
      expect(receipt).toMatchObject({ state: 'pending', viewsUsed: 0 });
    });

    it('an unknown receipt and a cut receipt link', async () => {
      await problem(await freshPage(), `${suite.live.base}/r/${'A'.repeat(43)}`, 'There is no receipt here');
      await problem(await freshPage(), `${suite.live.base}/r/AAAA`, 'This link is not complete');
    });

    it('an unknown path: the page with a 404, not JSON', async () => {
      const url = `${suite.live.base}/no/such/page`;
      const page = await freshPage();
      const failed: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400 && response.url() !== url) failed.push(response.url());
      });
      const response = await problem(page, url, 'There is nothing here');
      expect(response?.status()).toBe(404);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      // Its script ran (it wrote the heading) and its stylesheet applies under the page's CSP.
      expect(
        await page.evaluate(() => getComputedStyle(document.querySelector('main') as Element).maxWidth),
      ).not.toBe('none');
      await shootAll('not-found', async (p) => {
        await p.goto(url);
        await p.locator('#problem-title').waitFor({ state: 'visible' });
      });
      expect(failed).toEqual([]);
      // The browser logs the document's own 404 as a failed load: that one is the point of the test.
      for (const problems of suite.watched) {
        const rest = problems.filter((line) => !/status of 404/.test(line));
        problems.splice(0, problems.length, ...rest);
      }
    });
  });

  describe('create form', () => {
    it('clears a validation message as soon as the field is edited', async () => {
      const page = await freshPage();
      await page.goto(`${suite.live.base}/`);
      await page.click('#create');
      expect(await textOf(page, '#secret-problem')).toBe('Write the secret first.');
      expect(await page.getAttribute('#secret', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#secret', 'aria-describedby')).toBe('secret-problem');
      await screenshot(page, 'create-invalid');
      await expectAccessible(page, 'create form with a validation message');
      await page.keyboard.type('s');
      expect(await page.locator('#secret-problem').isHidden()).toBe(true);
      expect(await page.getAttribute('#secret', 'aria-invalid')).toBeNull();
      expect(await visibleText(page)).not.toContain('Write the secret first');

      await page.fill('#views', '0');
      await page.click('#create');
      expect(await textOf(page, '#views-problem')).toMatch(/whole number from 1 to 100/);
      await expectAccessible(page, 'create form with a views message');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('views');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('2');
      expect(await page.locator('#views-problem').isHidden()).toBe(true);
      expect(await visibleText(page)).not.toMatch(/whole number/);
      await page.click('#create');
      expect(await fieldValue(page, '#share-link')).toMatch(/\/s\//);
    });
  });
});
