import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHush } from '../helpers/cli-process.js';
import {
  expectAccessible,
  fieldValue,
  horizontalOverflow,
  screenshot,
  useBrowserSuite,
  waitForText,
} from './helpers.js';

const MiB = 1024 * 1024;
const SLOW = 300_000;

/** Starts noting every aria-valuenow a progress bar of the page takes (a bar may come and go fast). */
const recordProgress = (page: Page) =>
  page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        const value = (record.target as Element).getAttribute('aria-valuenow');
        if (value !== null) seen.push(Number(value));
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
const progressSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);

/**
 * Issue 15 points 1 and 9 in Debian's chromium: a 20 MiB file each way between the page and the
 * CLI, byte for byte, with progress shown and axe clean in every new state of the page.
 */
describe('files between the page and the CLI (chromium)', () => {
  const suite = useBrowserSuite({ HUSH_RATE_LIMIT_MAX: '0' });
  const { freshPage } = suite;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-browser-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'a 20 MiB file made on the page is revealed by hush reveal -o, byte-identical',
    async () => {
      const page = await freshPage({ viewport: { width: 900, height: 1100 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${suite.live.base}/`);
      const add = page.getByRole('button', { name: 'Add files' });
      await add.waitFor({ state: 'visible' });
      // The file code is its own chunk; the page's first script is not it.
      expect(requests.some((url) => /\/assets\/file-picker-[\w-]+\.js$/.test(url))).toBe(true);

      const big = randomBytes(20 * MiB);
      await page.setInputFiles('#file-input', [
        { name: 'report.bin', mimeType: 'application/octet-stream', buffer: big },
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('and a small one\n') },
      ]);
      const items = page.locator('#file-list li');
      expect(await items.count()).toBe(2);
      expect(await items.nth(0).textContent()).toMatch(/report\.bin.*20 MB/);
      // Removing works by keyboard: the button has the file's name, and focus returns to Add files.
      await page.getByRole('button', { name: 'Remove notes.txt' }).focus();
      await page.keyboard.press('Enter');
      expect(await items.count()).toBe(1);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-files');
      await page.fill('#secret', 'the report, as promised');
      await screenshot(page, 'files-create-picked');
      await expectAccessible(page, 'create form with a file');

      await recordProgress(page);
      await page.click('#create');
      const bar = page.getByRole('progressbar', { name: 'Encrypting and uploading' });
      await bar.waitFor({ state: 'visible' });
      expect(await page.locator('#file-list button').isDisabled()).toBe(true);
      await screenshot(page, 'files-create-uploading');
      await expectAccessible(page, 'create form while uploading', { asIs: true });
      const link = await fieldValue(page, '#share-link');
      expect(link).toMatch(/\/s\/[\w-]{43}#2\.[\w-]{43}$/);
      // 1 MiB parts: the bar went up in steps, to the end.
      const seen = await progressSeen(page);
      expect(seen.length).toBeGreaterThan(10);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe(100);
      // The fragment never reached the server, nor did any name.
      expect(suite.live.requestUrls.join('\n')).not.toMatch(/#|report/);

      const out = path.join(dir, 'from-page');
      const revealed = await runHush(['reveal', '-o', out, link], { env: {}, timeoutMs: SLOW });
      expect(revealed.code, revealed.stderr).toBe(0);
      expect(revealed.stdout).toBe('the report, as promised');
      expect(readFileSync(path.join(out, 'report.bin')).equals(big)).toBe(true);
    },
    SLOW,
  );

  it(
    'a 20 MiB file shared by hush share is saved on the page, byte-identical',
    async () => {
      const big = randomBytes(20 * MiB);
      const at = path.join(dir, 'data set.bin');
      writeFileSync(at, big);
      const made = await runHush(['share', at, '--views', '2'], {
        env: { HUSH_URL: suite.live.base },
        timeoutMs: SLOW,
      });
      expect(made.code, made.stderr).toBe(0);
      const link = made.stdout.trim();

      const page = await freshPage({ viewport: { width: 900, height: 1000 } });
      // The download's answer is held back a moment, so its state is there to look at.
      await page.route('**/api/v1/downloads/**', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue();
      });
      await page.goto(link);
      await waitForText(page, '#status', /It can be opened/);
      await recordProgress(page);
      await page.click('#reveal');
      const title = page.getByRole('heading', { name: 'Files' });
      await title.waitFor({ state: 'visible' });
      const save = page.getByRole('button', { name: 'Save data set.bin' });
      expect(await page.locator('#shared-file-list li').textContent()).toMatch(/data set\.bin.*20 MB/);
      // A share of files alone shows no empty text box.
      expect(await page.locator('#revealed').isHidden()).toBe(true);
      const bar = page.getByRole('progressbar', { name: 'Downloading and decrypting' });
      await bar.waitFor({ state: 'visible' });
      expect(await bar.getAttribute('aria-valuenow')).toBe('0');
      await screenshot(page, 'files-reveal-downloading');
      await expectAccessible(page, 'reveal while downloading', { asIs: true });

      await waitForText(page, '#shared-files-status', /The files are ready/);
      expect(await bar.isHidden()).toBe(true);
      expect((await progressSeen(page)).at(-1)).toBe(100);
      expect(await save.isEnabled()).toBe(true);
      await screenshot(page, 'files-reveal-ready');
      await expectAccessible(page, 'reveal with files ready');
      const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
      expect(download.suggestedFilename()).toBe('data set.bin');
      const saved = await download.path();
      expect(readFileSync(saved).equals(big)).toBe(true);
      expect(await download.failure()).toBeNull();
    },
    SLOW,
  );

  it(
    'refuses files over the server limit before anything is sent',
    async () => {
      const page = await freshPage();
      await page.goto(`${suite.live.base}/`);
      await page.getByRole('button', { name: 'Add files' }).waitFor();
      const limit = await page.textContent('#files-limit');
      expect(limit).toMatch(/up to 25 MB/);
      await page.setInputFiles('#file-input', [
        { name: 'huge.bin', mimeType: '', buffer: Buffer.alloc(26 * MiB) },
      ]);
      await waitForText(page, '#files-problem', /more than this server takes \(25 MB\)/);
      const before = suite.live.requestUrls.length;
      await page.click('#create');
      await waitForText(page, '#error', /more than this server takes/);
      expect(suite.live.requestUrls.slice(before).filter((url) => url.startsWith('/api/'))).toEqual([]);
      await expectAccessible(page, 'create form with files over the limit');
    },
    SLOW,
  );

  it(
    'takes files by keyboard (the button opens the chooser) and by dropping them on the form',
    async () => {
      const page = await freshPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      // Listening before the page loads: playwright takes the chooser over only once it listens.
      const chosen = page.waitForEvent('filechooser');
      await page.goto(`${suite.live.base}/`);
      const add = page.getByRole('button', { name: 'Add files' });
      await add.waitFor();
      await add.focus();
      await page.keyboard.press('Enter');
      const chooser = await chosen;
      expect(chooser.isMultiple()).toBe(true);
      await chooser.setFiles({ name: 'chosen.txt', mimeType: 'text/plain', buffer: Buffer.from('chosen') });
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File(['dropped bytes'], 'a-very-long-name-that-must-wrap-on-a-phone-screen.txt'));
        const form = document.getElementById('create-form');
        for (const type of ['dragover', 'drop']) {
          form?.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
        }
      });
      expect(await page.locator('#file-list .file-name').allTextContents()).toEqual([
        'chosen.txt',
        'a-very-long-name-that-must-wrap-on-a-phone-screen.txt',
      ]);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'files-create-phone');
      await expectAccessible(page, 'create form with two files, on a phone', { asIs: true });

      await page.click('#create');
      const link = await fieldValue(page, '#share-link');
      const revealed = await runHush(['reveal', '--json', '-o', path.join(dir, 'two'), link], { env: {} });
      expect(revealed.code, revealed.stderr).toBe(0);
      const json = JSON.parse(revealed.stdout) as { secret: string; files: { name: string; size: number }[] };
      expect(json.secret).toBe('');
      expect(json.files.map((f) => [f.name, f.size])).toEqual([
        ['chosen.txt', 6],
        ['a-very-long-name-that-must-wrap-on-a-phone-screen.txt', 13],
      ]);
    },
    SLOW,
  );
});
