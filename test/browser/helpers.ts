import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createShareApi, type ShareApi } from '../../src/client/share-api.js';
import { parseReceiptLink } from '../../src/client/share-link.js';
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

export type ContextOptions = Parameters<Browser['newContext']>[0];

/** What a browser test file shares: one chromium, one live hush, pages in fresh watched contexts. */
export interface BrowserSuite {
  readonly browser: Browser;
  readonly live: LiveHush;
  /** A page in a fresh context (own cookies, storage and cache), watched for problems. */
  freshPage(options?: ContextOptions): Promise<Page>;
  /** What each page's watcher saw; the suite expects it empty after each test. */
  readonly watched: string[][];
  /** The receipt behind a receipt link, through the API. */
  receiptOf(receiptLink: string): ReturnType<ShareApi['receipt']>;
}

/**
 * Registers the hooks of a browser test file: launch chromium and a live hush (with `env`) before
 * all, close both after; after each test, close its contexts and expect no page problem.
 */
export function useBrowserSuite(env: Record<string, string> = {}): BrowserSuite {
  let browser: Browser | undefined;
  let live: LiveHush | undefined;
  const contexts: BrowserContext[] = [];
  const watched: string[][] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser suite has not started');
    return value;
  };
  beforeAll(async () => {
    [browser, live] = await Promise.all([launchChromium(), startLiveHush(env)]);
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(watched.splice(0).flat()).toEqual([]);
  });
  return {
    get browser() {
      return started(browser);
    },
    get live() {
      return started(live);
    },
    watched,
    async freshPage(options = {}) {
      const context = await started(browser).newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      watched.push(watchPage(page, started(live).base));
      return page;
    },
    receiptOf: (receiptLink) => started(live).api.receipt(parseReceiptLink(receiptLink).receiptKey),
  };
}

interface AxeViolation {
  readonly id: string;
  readonly impact?: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/** A phone's width (the page's narrowest layout): each state is checked there as well. */
const PHONE_WIDTH = 360;

/**
 * Runs axe-core on the page state in light and dark and at its own width and a 360 px phone's
 * (`asIs`: only as the page is, for callers that set those up themselves), then puts the page back.
 * Fails on any serious or critical violation, naming the state, the rule, its help and the elements.
 * axe is evaluated over the DevTools protocol, which the page's `script-src 'self'` does not govern,
 * so the page keeps its real policy.
 */
export async function expectAccessible(page: Page, state: string, { asIs = false } = {}): Promise<void> {
  if (asIs) return expectAxeClean(page, state);
  const viewport = page.viewportSize();
  const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
  const widths = viewport && viewport.width > PHONE_WIDTH ? [viewport.width, PHONE_WIDTH] : [undefined];
  const problems: string[] = [];
  for (const width of widths) {
    if (width !== undefined && viewport) await page.setViewportSize({ width, height: viewport.height });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const where = `${state} (${colorScheme}${width === PHONE_WIDTH ? `, ${PHONE_WIDTH} px` : ''})`;
      await expectAxeClean(page, where).catch((error: Error) => problems.push(error.message));
    }
  }
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

async function expectAxeClean(page: Page, state: string): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const { axe: injected } = window as unknown as { axe: typeof axe };
    const results = await injected.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((node) => ({ target: node.target })),
    }));
  });
  const serious = (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`);
  if (serious.length > 0) throw new Error(`axe: ${state}:\n  ${serious.join('\n  ')}`);
}
