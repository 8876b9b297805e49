import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseShareLink } from '../../src/client/share-link.js';
import { createInPage, expectAccessible, screenshot, useBrowserSuite } from './helpers.js';

// jsqr is CommonJS: under NodeNext its default export is the module, whose `default` is jsQR.
const jsQR = jsQRModule.default;

/**
 * Issue 15 point 2 in Debian's chromium: the result view draws the share link's QR code on demand
 * (the library is its own chunk, fetched only then), with an accessible name, and a camera reading
 * the screen gets exactly the link back, fragment included, in light and dark.
 */
describe('result page: QR code of the link (chromium)', () => {
  const suite = useBrowserSuite({ HUSH_RATE_LIMIT_MAX: '0' });
  const { freshPage } = suite;

  /** Decodes the QR code as the screen shows it: a screenshot of the drawing, read by jsQR. */
  async function decodeOnScreen(page: Page): Promise<string | undefined> {
    const png = (await page.locator('#qr-code svg').screenshot()).toString('base64');
    // The pixels come out through a blank page's canvas (the hush page's CSP rightly has no blob:).
    const blank = await freshPage();
    const { width, height, data } = await blank.evaluate(async (source) => {
      const image = new Image();
      image.src = `data:image/png;base64,${source}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) };
    }, png);
    await blank.context().close();
    return jsQR(Uint8ClampedArray.from(data), width, height, { inversionAttempts: 'dontInvert' })?.data;
  }

  it('draws the link on demand, decodes to exactly the link, and passes axe', async () => {
    const page = await freshPage({ viewport: { width: 900, height: 1000 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const { link } = await createInPage(page, suite.live.base, { secret: 'scan me' });
    expect(requests.some((url) => url.includes('qr-matrix'))).toBe(false);
    expect(await page.locator('#qr-box').isHidden()).toBe(true);
    await expectAccessible(page, 'result view, QR code closed');

    await page.click('#show-qr');
    const code = page.getByRole('img', { name: 'QR code of the link' });
    await code.waitFor({ state: 'visible' });
    expect(await page.getAttribute('#show-qr', 'aria-expanded')).toBe('true');
    expect(requests.filter((url) => url.includes('/assets/qr-matrix-'))).toHaveLength(1);
    const box = await code.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(200);

    await screenshot(page, 'result-qr-light');
    expect(await decodeOnScreen(page)).toBe(link);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'result-qr-dark');
    expect(await decodeOnScreen(page)).toBe(link);
    await page.emulateMedia({ colorScheme: 'light' });
    await expectAccessible(page, 'result view, QR code shown');

    // The key is in the fragment: no request the browser made, and none hush saw, carries it.
    const { contentKey } = parseShareLink(link);
    expect(contentKey).toBeDefined();
    const key = link.slice(link.indexOf('#') + 1);
    expect(requests.filter((url) => url.includes(key))).toEqual([]);
    expect(suite.live.requestUrls.filter((url) => url.includes(key))).toEqual([]);

    await page.click('#show-qr');
    expect(await page.locator('#qr-box').isHidden()).toBe(true);
    expect(await page.getAttribute('#show-qr', 'aria-expanded')).toBe('false');
  });

  it('fits a 360 px phone screen, and the next share gets its own code', async () => {
    const page = await freshPage({ viewport: { width: 360, height: 800 } });
    const first = await createInPage(page, suite.live.base, { secret: 'first' });
    await page.click('#show-qr');
    await page.getByRole('img', { name: 'QR code of the link' }).waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(
      0,
    );
    await screenshot(page, 'result-qr-phone');
    expect(await decodeOnScreen(page)).toBe(first.link);
    await expectAccessible(page, 'result view, QR code shown (phone)', { asIs: true });

    await page.click('#new');
    await page.click('#leave-confirm'); // neither link was copied, so the page asks first
    await page.fill('#secret', 'second');
    await page.click('#create');
    await page.waitForFunction((old) => {
      const field = document.querySelector<HTMLInputElement>('#share-link');
      return field !== null && field.value !== '' && field.value !== old;
    }, first.link);
    const second = await page.locator('#share-link').inputValue();
    expect(await page.locator('#qr-box').isHidden()).toBe(true);
    await page.click('#show-qr');
    await page.getByRole('img', { name: 'QR code of the link' }).waitFor({ state: 'visible' });
    expect(await decodeOnScreen(page)).toBe(second);
  });
});
