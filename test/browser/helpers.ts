import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createShareApi, type ShareApi } from '../../src/client/share-api.js';
import { type HushFixture, makeHush } from '../helpers/hush-fixture.js';

/** Debian's chromium, headless, with nothing of its own phoning home (never `playwright install`). */
export function launchChromium(): Promise<Browser> {
  const executablePath = '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: install it (Debian: apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A real hush (SQLite) listening on a loopback port, with every request URL it received. */
export interface LiveHush {
  readonly fixture: HushFixture;
  /** e.g. http://127.0.0.1:41234 */
  readonly base: string;
  readonly api: ShareApi;
  /** The raw request targets the HTTP server saw: what a fragment must never reach. */
  readonly requestUrls: string[];
  close(): Promise<void>;
}

export async function startLiveHush(env: Record<string, string> = {}): Promise<LiveHush> {
  const fixture = await makeHush(env);
  await fixture.hush.app.listen({ host: '127.0.0.1', port: 0 });
  const requestUrls: string[] = [];
  fixture.hush.app.server.on('request', (request: { url?: string }) => requestUrls.push(request.url ?? ''));
  const { port } = fixture.hush.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return { fixture, base, api: createShareApi(base), requestUrls, close: () => fixture.close() };
}

/**
 * Collects what must never happen on a page: uncaught errors, console errors (a CSP violation is
 * one) and any request leaving the hush origin (no CDN, no font service).
 */
export function watchPage(page: Page, base: string): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // The browser reports an API's 4xx (gone, wrong passphrase) as a failed load: that is expected.
    const api = message.location().url.startsWith(`${base}/api/`);
    if ((message.type() === 'error' && !api) || /content.security.policy/i.test(text)) {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${base}/`) && !url.startsWith('data:')) problems.push(`external request: ${url}`);
  });
  return problems;
}

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

/** Keeps a full-page screenshot as a test artifact: test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** The value of a form field once the page has filled it (it does so asynchronously). */
export async function fieldValue(page: Page, selector: string): Promise<string> {
  await page.waitForFunction(
    (s) => (document.querySelector<HTMLInputElement>(s)?.value ?? '') !== '',
    selector,
  );
  return page.locator(selector).inputValue();
}

/** Document width beyond the viewport: 0 when there is no horizontal scroll. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

export interface PageShare {
  /** The full share link from `#share-link`. */
  readonly link: string;
  /** The receipt page's absolute URL from `#receipt-link`. */
  readonly receiptLink: string;
}

/** Creates a share through the page's create form at `<base>/` and reads the result view. */
export async function createInPage(
  page: Page,
  base: string,
  input: { secret: string; passphrase?: string; views?: number; ttlSeconds?: number; screenshotAs?: string },
): Promise<PageShare> {
  await page.goto(`${base}/`);
  await page.fill('#secret', input.secret);
  if (input.passphrase !== undefined) await page.fill('#passphrase', input.passphrase);
  if (input.views !== undefined) await page.fill('#views', String(input.views));
  if (input.ttlSeconds !== undefined) await page.selectOption('#ttl', String(input.ttlSeconds));
  if (input.screenshotAs !== undefined) await screenshot(page, input.screenshotAs);
  await page.click('#create');
  const link = await fieldValue(page, '#share-link');
  const href = (await page.getAttribute('#receipt-link', 'href')) ?? '';
  return { link, receiptLink: new URL(href, page.url()).href };
}

/** Text of an element once it is non-empty (for elements the page leaves empty until it has news). */
export async function textOf(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector);
  await element.waitFor({ state: 'visible' });
  await page.waitForFunction((s) => (document.querySelector(s)?.textContent ?? '').trim() !== '', selector);
  return (await element.textContent()) ?? '';
}

/** Waits until an element's text matches (the page updates after its fetches answer). */
export async function waitForText(page: Page, selector: string, pattern: RegExp): Promise<string> {
  await page.waitForFunction(
    ({ s, source, flags }) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ''),
    { s: selector, source: pattern.source, flags: pattern.flags },
  );
  return (await page.locator(selector).textContent()) ?? '';
}

/** Relative luminance (0–255) of the page background: the body's, or the root's when transparent. */
export function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    let color = getComputedStyle(document.body).backgroundColor;
    if (color === 'rgba(0, 0, 0, 0)') color = getComputedStyle(document.documentElement).backgroundColor;
    const [r = 0, g = 0, b = 0] = (color.match(/[\d.]+/g) ?? []).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
}
