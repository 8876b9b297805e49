import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningHush, listeningHush, memoryIo } from '../../test/helpers/cli-io.js';
import { createShareApi } from '../client/share-api.js';
import { parseReceiptLink, parseShareLink } from '../client/share-link.js';
import type { CliIo } from './client-command.js';
import { runRevealCommand } from './reveal-command.js';
import { runShareCommand } from './share-command.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

/**
 * Issue 12 points 6 and 7 from the CLI: a damaged link spends nothing and says so, punctuation a
 * mail or chat client added is stripped, a cut key is refused before any request, and wrong
 * passphrases tell the attempts left, warn before the last and say when the secret was destroyed.
 */
describe('hush reveal: damaged links and the passphrase limit', () => {
  let server: ListeningHush;
  let dir: string;
  const requests: string[] = [];
  beforeAll(async () => {
    server = await listeningHush({ HUSH_PASSPHRASE_MAX_ATTEMPTS: '3', HUSH_RATE_LIMIT_MAX: '0' });
    server.fixture.hush.app.server.on('request', (request: { url?: string }) =>
      requests.push(request.url ?? ''),
    );
    dir = mkdtempSync(path.join(tmpdir(), 'hush-reveal-links-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (command: Command, args: string[], input = '') => {
    const io = memoryIo({ env: { HUSH_URL: server.url }, input });
    const code = await command(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const share = async (input: string, args: string[] = []) => {
    const made = await run(runShareCommand, ['--json', ...args], input);
    expect(made.code, made.err).toBe(0);
    return JSON.parse(made.out) as { link: string; receipt: string };
  };
  const receipt = (link: string) => createShareApi(server.url).receipt(parseReceiptLink(link).receiptKey);
  /** The link with one character of its key changed, as a careless retyping or a bad OCR would. */
  const mangle = (link: string) => {
    const last = link.at(-2) === 'A' ? 'B' : 'A';
    return `${link.slice(0, -2)}${last}${link.at(-1)}`;
  };

  it('a mangled key spends no view, says so with a usage exit code, and the whole link still opens', async () => {
    const made = await share('kept safe');
    const damaged = await run(runRevealCommand, [mangle(made.link)]);
    expect(damaged).toEqual({
      code: 2,
      out: '',
      err: 'hush: this link is damaged or incomplete: ask the sender for the whole link; nothing was used up\n',
    });
    expect(await receipt(made.receipt)).toMatchObject({ state: 'pending', viewsUsed: 0 });
    expect(await run(runRevealCommand, [made.link])).toMatchObject({ code: 0, out: 'kept safe' });
  });

  it('strips what mail and chat clients add around a link', async () => {
    const made = await share('wrapped', ['--views', '4']);
    for (const pasted of [`${made.link}.`, `<${made.link}>`, `"${made.link}",`]) {
      expect(await run(runRevealCommand, [pasted])).toMatchObject({ code: 0, out: 'wrapped' });
    }
    // From stdin, wrapped over two lines as a mail client does.
    const cut = made.link.length - 20;
    const piped = await run(runRevealCommand, ['-'], `${made.link.slice(0, cut)}\n${made.link.slice(cut)}\n`);
    expect(piped).toMatchObject({ code: 0, out: 'wrapped' });
  });

  it('refuses a key cut short before sending anything', async () => {
    const made = await share('cut');
    const before = requests.length;
    const result = await run(runRevealCommand, [made.link.slice(0, -6)]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /^hush: this link is incomplete: the key after # was cut short.*nothing was used up\n$/,
    );
    expect(requests.length).toBe(before);
    expect(parseShareLink(made.link).contentKey).toBeDefined();
  });

  it('tells the attempts left, warns before the last, and says when the limit destroyed the secret', async () => {
    const pass = path.join(dir, 'pass.txt');
    writeFileSync(pass, 'right passphrase');
    const wrong = path.join(dir, 'wrong.txt');
    writeFileSync(wrong, 'wrong passphrase');
    const made = await share('guarded', ['--passphrase-file', pass]);
    const attempt = () => run(runRevealCommand, ['--passphrase-file', wrong, made.link]);

    expect(await attempt()).toMatchObject({
      code: 1,
      err: 'hush: wrong passphrase; nothing was used up: 2 attempts left\n',
    });
    expect(await attempt()).toMatchObject({
      code: 1,
      err: 'hush: wrong passphrase; nothing was used up. 1 attempt left: another wrong passphrase destroys the secret\n',
    });
    const last = await attempt();
    expect(last.code).toBe(1);
    expect(last.err).toMatch(/^hush: too many wrong attempts: the secret was destroyed/);
    expect(await receipt(made.receipt)).toMatchObject({ state: 'burned', endReason: 'passphrase_attempts' });
  });
});
