import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  answer,
  type ListeningHush,
  listeningHush,
  memoryIo,
  stubServer,
} from '../../test/helpers/cli-io.js';
import { freePort } from '../../test/servers/free-port.js';
import { encryptText, newContentKey } from '../client/client-crypto.js';
import { createShareApi } from '../client/share-api.js';
import {
  formatReceiptLink,
  formatShareLink,
  parseReceiptLink,
  parseShareLink,
} from '../client/share-link.js';
import { runBurnCommand } from './burn-command.js';
import type { CliIo } from './client-command.js';
import { runReceiptCommand } from './receipt-command.js';
import { runRevealCommand } from './reveal-command.js';
import { runShareCommand } from './share-command.js';

// No controlling terminal, whoever runs the tests: a prompt must refuse, never wait for a key.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof fs.openSync>) => {
    if (args[0] === '/dev/tty') throw Object.assign(new Error('no such device'), { code: 'ENXIO' });
    return fs.openSync(...args);
  };
  return { ...fs, default: { ...fs, openSync }, openSync };
});

type Command = (args: readonly string[], io: CliIo) => Promise<number>;
const UNICODE = 'pässwörd ✓ 🔑\nsecond line\twith tab\n';
const CLEAR = '\r\x1b[2K';
const KEY = /[\w-]{43}/;

let server: ListeningHush;
let dir: string;
let closed: string;

const file = (name: string, content: string | Buffer) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
const run = async (command: Command, args: string[], options: Parameters<typeof memoryIo>[0] = {}) => {
  const io = memoryIo({ env: { HUSH_URL: server.url }, ...options });
  const code = await command(args, io);
  return { code, out: io.out(), err: io.err() };
};
const share = async (args: string[], input = 'a secret') => {
  const result = await run(runShareCommand, ['--json', ...args], { input });
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as { link: string; receipt: string; expires_at: string };
};
const receiptOf = async (receipt: string) => {
  const result = await run(runReceiptCommand, ['--json', receipt]);
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as Record<string, unknown> & { timeline: { type: string }[] };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-inproc-'));
  server = await listeningHush({ HUSH_SHARE_MAX_BYTES: '4096' });
  closed = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('share and reveal (in-process)', () => {
  it('round-trips stdin byte for byte and counts views down; the server holds only ciphertext', async () => {
    const made = await run(runShareCommand, ['--views', '2'], { input: UNICODE });
    expect(made.code, made.err).toBe(0);
    expect(made.out).toMatch(new RegExp(`^${server.url}/s/${KEY.source}#1\\.${KEY.source}\\n$`));
    expect(made.err).toMatch(/^hush: receipt .*\/r\/[\w-]{43}\nhush: expires \S+, 2 views\n$/);
    const link = made.out.trim();

    // A link names its server: HUSH_URL is not needed (nor used) to reveal.
    expect(await run(runRevealCommand, [link], { env: {} })).toEqual({
      code: 0,
      out: UNICODE,
      err: 'hush: 1 view left\n',
    });
    const last = await run(runRevealCommand, ['--json', link]);
    expect(last.code).toBe(0);
    expect(JSON.parse(last.out)).toEqual({ secret: UNICODE, views_left: 0 });
    expect(last.err).toBe('');
    const gone = await run(runRevealCommand, [link]);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/^hush: no such secret: it was already viewed/);
    expect(server.fixture.logs.join('\n')).not.toContain('pässwörd');
  });

  it('reads a file or `-`; --ttl and --views reach the server; --json has the documented shape', async () => {
    const before = Date.now();
    const fromFile = await run(runShareCommand, [
      '--ttl',
      '30m',
      '--views',
      '3',
      '--json',
      file('s.txt', 'from a file'),
    ]);
    expect(fromFile.code, fromFile.err).toBe(0);
    expect(fromFile.err).toBe('');
    const json = JSON.parse(fromFile.out);
    expect(Object.keys(json).sort()).toEqual([
      'expires_at',
      'link',
      'max_views',
      'passphrase_required',
      'receipt',
    ]);
    expect(json).toMatchObject({ max_views: 3, passphrase_required: false });
    const ttl = Date.parse(json.expires_at) - before;
    expect(ttl).toBeGreaterThan(1790_000);
    expect(ttl).toBeLessThan(1830_000);
    expect(parseReceiptLink(json.receipt).base).toBe(server.url);

    const dash = await share(['--ttl', '3600', '-'], 'dash');
    const status = await createShareApi(server.url).status(parseShareLink(dash.link).secretKey);
    expect(Date.parse(status.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    // On a terminal a newline follows a secret that has none, so the prompt starts on its own line.
    expect(await run(runRevealCommand, [dash.link], { stdoutTTY: true })).toEqual({
      code: 0,
      out: 'dash\n',
      err: 'hush: that was the last view: the secret is gone from the server\n',
    });
  });

  it('takes a passphrase from a file: a wrong one consumes nothing; without one there is no terminal to ask', async () => {
    const pass = file('pass.txt', 'correct horse\n');
    const made = await share(['--passphrase-file', pass], 'locked');
    const noTerminal = await run(runRevealCommand, [made.link]);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.err).toMatch(/^hush: no terminal to ask for the passphrase on: .*--passphrase-file/);
    const wrong = await run(runRevealCommand, ['--passphrase-file', file('bad.txt', 'wrong'), made.link]);
    expect(wrong).toEqual({
      code: 1,
      out: '',
      err: 'hush: wrong passphrase; nothing was used up: 9 attempts left\n',
    });
    expect(await receiptOf(made.receipt)).toMatchObject({
      views_used: 0,
      passphrase_required: true,
      failed_passphrase_attempts: 1,
    });
    const receiptText = await run(runReceiptCommand, [made.receipt]);
    expect(receiptText.out).toMatch(/^passphrase: +yes \(1 wrong passphrase\)$/m);
    const right = await run(runRevealCommand, ['--passphrase-file', pass, made.link]);
    expect(right).toMatchObject({ code: 0, out: 'locked' });

    const prompt = await run(runShareCommand, ['--passphrase-prompt'], { input: 'x' });
    expect(prompt).toMatchObject({ code: 2, out: '' });
    expect(prompt.err).toMatch(/no terminal to ask for the passphrase on: use --passphrase-file/);
    const both = await run(runShareCommand, ['--passphrase-prompt', '--passphrase-file', pass], {
      input: 'x',
    });
    expect(both).toMatchObject({ code: 2, err: expect.stringMatching(/not both/) });
    const missing = await run(runShareCommand, ['--passphrase-file', path.join(dir, 'nope')], { input: 'x' });
    expect(missing).toMatchObject({
      code: 4,
      err: expect.stringMatching(/cannot read the passphrase file .*\(ENOENT\)/),
    });
    const empty = await run(runShareCommand, ['--passphrase-file', file('empty.txt', '\n')], { input: 'x' });
    expect(empty).toMatchObject({ code: 2, err: expect.stringMatching(/the passphrase file .* is empty/) });
  });

  it('opens API-made shares: a link without a key shows the stored text, and says so for ciphertext', async () => {
    const api = createShareApi(server.url);
    const plain = await api.create({ secret: 'server-encrypted' });
    expect(await run(runRevealCommand, [formatShareLink(server.url, plain.secretKey)])).toMatchObject({
      code: 0,
      out: 'server-encrypted',
    });
    const sealed = await api.create({ secret: await encryptText(newContentKey(), 'sealed') });
    const keyless = await run(runRevealCommand, [formatShareLink(server.url, sealed.secretKey)]);
    expect(keyless.code).toBe(0);
    expect(keyless.out).toMatch(/^h1\./);
    expect(keyless.err).toMatch(/^hush: the link has no key/);
  });
});

describe('receipt and burn (in-process)', () => {
  it('shows the receipt before and after a reveal, never the content', async () => {
    const made = await share(['--views', '1'], 'receipt content');
    const before = await run(runReceiptCommand, [made.receipt]);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(
      /^state: +pending: Can still be opened 1 more time\nviews: +0 of 1 used, 1 left \(Opened 0 of 1 time\)\npassphrase: +no\n/,
    );
    expect(before.out).toMatch(/timeline:\n {2}\S+ {2}Created\n$/);
    expect(before.out).not.toMatch(/ended:/);
    await run(runRevealCommand, [made.link]);
    const after = await run(runReceiptCommand, [made.receipt]);
    expect(after.out).toMatch(/^state: +consumed: Ended: opened as many times as allowed$/m);
    expect(after.out).not.toMatch(/^expires:/m);
    expect(after.out).toMatch(/^ended: +\S+$/m);
    expect(after.out).not.toContain('receipt content');
    const json = await receiptOf(made.receipt);
    expect(json).toMatchObject({ state: 'consumed', views_used: 1, views_left: 0 });
    expect(json.timeline.map((event) => event.type)).toEqual(['CREATE', 'READ']);

    expect((await run(runReceiptCommand, [made.link])).code).toBe(2);
    const unknown = await run(runReceiptCommand, [formatReceiptLink(server.url, 'x'.repeat(43))]);
    expect(unknown).toMatchObject({ code: 1, err: expect.stringMatching(/^hush: no such receipt/) });
  });

  it('burns by receipt link and by share link (with its passphrase); burning twice is refused', async () => {
    const byReceipt = await share([]);
    expect(await run(runBurnCommand, [byReceipt.receipt])).toEqual({
      code: 0,
      out: '',
      err: 'hush: burned: nobody can reveal this secret any more\n',
    });
    expect((await run(runRevealCommand, [byReceipt.link])).code).toBe(1);
    expect(await receiptOf(byReceipt.receipt)).toMatchObject({ state: 'burned' });
    const twice = await run(runBurnCommand, [byReceipt.receipt]);
    expect(twice).toMatchObject({ code: 1, err: expect.stringMatching(/^hush: nothing to burn/) });

    const pass = file('burn-pass.txt', 'burn me');
    const byLink = await share(['--passphrase-file', pass]);
    const noTerminal = await run(runBurnCommand, [byLink.link]);
    expect(noTerminal).toMatchObject({ code: 2, err: expect.stringMatching(/or its receipt link/) });
    const burned = await run(runBurnCommand, ['--json', '--passphrase-file', pass, byLink.link]);
    expect(burned).toEqual({ code: 0, out: '{"burned":true}\n', err: '' });
    expect(await receiptOf(byLink.receipt)).toMatchObject({ state: 'burned' });

    const open = await share([]);
    expect((await run(runBurnCommand, ['-'], { input: `${open.link}\n` })).code).toBe(0);
    expect(await receiptOf(open.receipt)).toMatchObject({ state: 'burned' });
  });

  it('names what is wrong with a link that is neither kind', async () => {
    const cases: [string, RegExp][] = [
      ['https://h/x/y', /not a receipt link .* or share link/],
      ['https://h/s/short', /damaged or incomplete/],
      ['https://h/r/short', /damaged or incomplete \(the part after \/r\//],
    ];
    for (const [link, message] of cases) {
      const result = await run(runBurnCommand, [link]);
      expect({ link, code: result.code }).toEqual({ link, code: 2 });
      expect(result.err).toMatch(message);
    }
  });
});

describe('links from stdin (-)', () => {
  it('reads one link from stdin, keeping the key out of argv', async () => {
    const made = await share([], 'from a piped link');
    const revealed = await run(runRevealCommand, ['-'], { input: `${made.link}\n`, env: {} });
    expect(revealed).toMatchObject({ code: 0, out: 'from a piped link' });
    const receipt = await run(runReceiptCommand, ['--json', '-'], { input: made.receipt });
    expect(JSON.parse(receipt.out)).toMatchObject({ state: 'consumed' });
    expect(await run(runRevealCommand, ['-'], { input: ' \n' })).toMatchObject({
      code: 2,
      err: 'hush: no link on stdin\n',
    });
    const flood = await run(runRevealCommand, ['-'], { input: 'x'.repeat(5000) });
    expect(flood).toMatchObject({ code: 2, err: 'hush: stdin holds more than one link\n' });
  });
});

describe('input handling', () => {
  it('refuses an interactive stdin without `-`, and on `-` tells how to end the text', async () => {
    const bare = await run(runShareCommand, [], { input: 'x', stdinTTY: true });
    expect(bare).toMatchObject({
      code: 2,
      out: '',
      err: expect.stringMatching(/^hush: nothing to share: pipe/),
    });
    const typed = await run(runShareCommand, ['-'], { input: 'typed', stdinTTY: true });
    expect(typed.code, typed.err).toBe(0);
    expect(typed.err).toMatch(/^hush: type the secret, then press Ctrl-D on an empty line\n/);
    expect((await run(runRevealCommand, [typed.out.trim()])).out).toBe('typed');
  });

  it('refuses input that cannot be read, or is larger than any server takes', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('i/o error'), { code: 'EIO' }));
      },
    });
    expect(await run(runShareCommand, [], { input: failing })).toMatchObject({
      code: 4,
      err: 'hush: cannot read standard input (EIO)\n',
    });
    const huge = await run(runShareCommand, [], { input: Buffer.alloc(8 * 1024 * 1024 + 1, 0x61) });
    expect(huge).toMatchObject({
      code: 1,
      err: expect.stringMatching(/larger than 8\.0 MiB: too large to share/),
    });
  });

  it('shows a progress line on a terminal for slow input, and erases it', async () => {
    async function* slow() {
      yield Buffer.from('a');
      await new Promise((resolve) => setTimeout(resolve, 450));
      yield Buffer.from('b');
    }
    const result = await run(runShareCommand, ['--json'], { input: Readable.from(slow()), stderrTTY: true });
    expect(result.code, result.err).toBe(0);
    expect(result.err.startsWith(`${CLEAR}hush: reading 1 B`)).toBe(true);
    expect(result.err.endsWith(CLEAR)).toBe(true);
    expect((await run(runRevealCommand, [JSON.parse(result.out).link])).out).toBe('ab');
  });

  it('fails with exit 4 when stdout is closed', async () => {
    const io = memoryIo({ env: { HUSH_URL: server.url }, input: 'x' });
    (io.stdout as unknown as Readable).destroy();
    expect(await runShareCommand(['--json'], io)).toBe(4);
    expect(io.err()).toBe('hush: cannot write the output (the stream is closed)\n');
  });
});

describe('exit codes', () => {
  it('--server beats the link, which beats HUSH_URL', async () => {
    const viaFlag = await run(runShareCommand, ['--server', server.url], {
      input: 'x',
      env: { HUSH_URL: closed },
    });
    expect(viaFlag.code, viaFlag.err).toBe(0);
    const moved = viaFlag.out.trim().replace(server.url, closed);
    expect((await run(runRevealCommand, [moved])).code).toBe(3);
    expect(await run(runRevealCommand, ['--server', server.url, moved], { env: {} })).toMatchObject({
      code: 0,
      out: 'x',
    });
  });

  it('maps each failure class to its exit code, with a hush: message and no stack', async () => {
    const made = await share([], 'wrong key test');
    const otherKey = formatShareLink(server.url, parseShareLink(made.link).secretKey, newContentKey());
    const cases: [Command, string[], string | Buffer, number, RegExp][] = [
      [runShareCommand, ['--bogus'], 'x', 2, /Unknown option '--bogus'/],
      [runShareCommand, ['--views', 'two'], 'x', 2, /--views must be a whole number/],
      [runShareCommand, ['--ttl', 'soon'], 'x', 2, /--ttl must be a duration/],
      [runShareCommand, ['-', '-'], 'x', 2, /`-` \(standard input\) can be named once/],
      [runShareCommand, [], '', 2, /the input is empty/],
      [runShareCommand, [], Buffer.from([0xff, 0xfe, 0x00]), 2, /not UTF-8 text/],
      [runShareCommand, ['--server', 'ftp://x'], 'x', 2, /--server must be an http\(s\) URL/],
      [runShareCommand, ['--server', 'not a url'], 'x', 2, /--server must be an http\(s\) URL/],
      [runRevealCommand, ['https://h/s/short'], '', 2, /damaged or incomplete/],
      [runRevealCommand, [], '', 2, /wrong number of arguments/],
      [runReceiptCommand, ['a', 'b'], '', 2, /wrong number of arguments/],
      [
        runShareCommand,
        ['--ttl', '10'],
        'x',
        1,
        /--ttl is outside what this server allows: it must be between 1 minute and 30 days$/m,
      ],
      [runShareCommand, ['--views', '1000'], 'x', 1, /--views is outside what this server allows/],
      [
        runShareCommand,
        ['--ttl', '400d'],
        'x',
        1,
        /--ttl is outside what this server allows: it must be between 1 minute and 30 days$/m,
      ],
      [runShareCommand, [], 'x'.repeat(5000), 1, /too large for this server/],
      [
        runShareCommand,
        ['--server', closed],
        'x',
        3,
        /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      ],
      [runReceiptCommand, [formatReceiptLink(closed, 'r'.repeat(43))], '', 3, /ECONNREFUSED/],
      [runShareCommand, [path.join(dir, 'missing.txt')], '', 4, /cannot read .*missing\.txt \(ENOENT\)/],
      [runRevealCommand, [otherKey], '', 2, /damaged or incomplete.*nothing was used up/],
    ];
    for (const [command, args, input, code, message] of cases) {
      const result = await run(command, args, { input });
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.err).toMatch(/^hush: /);
      expect(result.err).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /);
    }
  });

  it('a proxy that is down is exit 3; a server that does not answer like hush is refused', async () => {
    let status = 503;
    let body: unknown = { error: 'unavailable', message: 'Upstream is down.' };
    const stub = await stubServer((_request, response) => answer(response, status, body));
    try {
      const down = await run(runShareCommand, ['--server', stub.url], { input: 'x' });
      expect(down).toMatchObject({
        code: 3,
        err: 'hush: the server is unavailable (HTTP 503): Upstream is down.\n',
      });
      status = 418;
      body = 'not json';
      const teapot = await run(runShareCommand, ['--server', stub.url], { input: 'x' });
      expect(teapot).toMatchObject({ code: 1, err: 'hush: HTTP 418 (http_418)\n' });
      status = 201;
      body = { secret_key: 'nope' };
      const junk = await run(runShareCommand, ['--server', stub.url], { input: 'x' });
      expect(junk).toMatchObject({
        code: 1,
        out: '',
        err: `hush: ${stub.url} did not answer like a hush server\n`,
      });
    } finally {
      await stub.close();
    }
  });
});
