import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatShareLink, parseShareLink } from '../../src/client/share-link.js';
import { createInPage, fieldValue, screenshot, useBrowserSuite, waitForText } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the `hush` CLI from source (`node --import tsx src/main.ts …`), feeding it stdin. */
function hush(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // No HUSH_* from the test run: the CLI finds its server through --server alone.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUSH_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * Issue 5 point 4: one link format. A link the CLI prints opens in the page, a link the page makes
 * reveals with the CLI (with and without a passphrase), and a link without a fragment (a share made
 * through the plain API) opens in both, each giving back exactly the text that went in.
 */
describe('one link format for the page and the CLI', () => {
  const suite = useBrowserSuite();
  const watchedPage = () => suite.freshPage();
  const text = 'multi-line ✓ ключ 🔑\n  indented "quoted" \\ line\nlast line';

  /** Opens a share link in a fresh context and presses Reveal; returns what the page shows. */
  const revealInPage = async (link: string, shot?: string, passphrase?: string): Promise<string> => {
    const page = await watchedPage();
    try {
      await page.goto(link);
      if (passphrase !== undefined) {
        await page.locator('#reveal-passphrase').waitFor({ state: 'visible' });
        await page.fill('#reveal-passphrase', passphrase);
      }
      await page.click('#reveal');
      const revealed = await fieldValue(page, '#revealed');
      if (shot) await screenshot(page, shot);
      return revealed;
    } finally {
      await page.context().close();
    }
  };

  it('a link made by the CLI opens in the page; its receipt link opens the receipt page', async () => {
    const shared = await hush(['share', '--server', suite.live.base, '--views', '1'], text);
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stdout).toMatch(/^\S+\n$/);
    const link = shared.stdout.trim();
    const parsed = parseShareLink(link);
    expect(parsed.base).toBe(suite.live.base);
    expect(parsed.contentKey).toBeDefined();
    expect(await revealInPage(link, 'cli-link-in-page')).toBe(text);

    const receiptLink = /https?:\/\/\S+\/r\/\S+/.exec(shared.stderr)?.[0] ?? '';
    const page = await watchedPage();
    await page.goto(receiptLink);
    await waitForText(page, '#receipt-state', /ended: opened/i);
    expect(await page.textContent('#receipt-views')).toMatch(/1 of 1/);
    await page.context().close();
  });

  it('a link made in the page reveals with the CLI', async () => {
    const page = await watchedPage();
    const { link } = await createInPage(page, suite.live.base, { secret: text });
    await page.context().close();
    const revealed = await hush(['reveal', link]);
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout).toBe(text);
  });

  it('passphrase links work both ways', async () => {
    const passphraseFile = path.join(suite.live.fixture.dir, 'passphrase.txt');
    writeFileSync(passphraseFile, 'shared passphrase\n');
    const shared = await hush(
      ['share', '--server', suite.live.base, '--passphrase-file', passphraseFile],
      text,
    );
    expect(shared.code, shared.stderr).toBe(0);
    expect(await revealInPage(shared.stdout.trim(), undefined, 'shared passphrase')).toBe(text);

    const page = await watchedPage();
    const { link } = await createInPage(page, suite.live.base, {
      secret: text,
      passphrase: 'shared passphrase',
    });
    await page.context().close();
    const revealed = await hush(['reveal', link, '--passphrase-file', passphraseFile]);
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout).toBe(text);
  });

  it('a link without a fragment (server-encrypted, made through the API) opens in both', async () => {
    const viaPage = await suite.live.api.create({ secret: text });
    expect(await revealInPage(formatShareLink(suite.live.base, viaPage.secretKey), 'api-link-in-page')).toBe(
      text,
    );
    const viaCli = await suite.live.api.create({ secret: text });
    const revealed = await hush(['reveal', formatShareLink(suite.live.base, viaCli.secretKey)]);
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout).toBe(text);
    // An API secret that merely starts like an envelope is shown as stored, not lost.
    const lookalike = await suite.live.api.create({ secret: 'h1.my-api-token-value' });
    expect(
      await revealInPage(formatShareLink(suite.live.base, lookalike.secretKey), 'api-lookalike-in-page'),
    ).toBe('h1.my-api-token-value');
  });
});
