import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptText, encryptText, newContentKey } from '../src/client/client-crypto.js';
import { deriveKeyCheck } from '../src/client/link-key-check.js';
import { createShareApi } from '../src/client/share-api.js';
import { formatShareLink, parseReceiptLink, parseShareLink } from '../src/client/share-link.js';
import { loadConfig } from '../src/config/config.js';
import { runHush, runHushOnTerminal } from './helpers/cli-process.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { freePort } from './servers/free-port.js';

const UNICODE = 'pässwörd ✓ 🔑\nsecond line\twith tab\n';
const hasScript = spawnSync('script', ['--version']).status === 0;

let server: ServerProcess;
let dir: string;
let env: Record<string, string>;
const file = (name: string, content: string | Buffer) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
const share = async (args: string[], input = 'a secret') => {
  const result = await runHush(['share', '--json', ...args], { input, env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { link: string; receipt: string };
};
const receiptOf = async (receipt: string) =>
  JSON.parse((await runHush(['receipt', '--json', receipt], { env })).stdout) as {
    state: string;
    views_used: number;
    timeline: { type: string }[];
  };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-'));
  // `hush` without a command serves; HUSH_URL in its environment must not stop it.
  server = await startServerProcess({
    HUSH_DATA_DIR: dir,
    HUSH_URL: 'http://somewhere-else.invalid',
    HUSH_SHARE_MAX_BYTES: '4096',
    HUSH_RATE_LIMIT_MAX: '0',
  });
  env = { HUSH_URL: server.url };
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush share and reveal', () => {
  it('round-trips stdin byte for byte (unicode, trailing newline) and counts views down', async () => {
    const made = await runHush(['share', '--views', '2'], { input: UNICODE, env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]{43}#1\.[\w-]{43}\n$/);
    expect(made.stderr).toMatch(/^hush: receipt .*\/r\/[\w-]{43}\nhush: expires .*, 2 views\n$/);
    const link = made.stdout.trim();

    const first = await runHush(['reveal', link], { env: {} });
    expect(first).toEqual({ code: 0, stdout: UNICODE, stderr: 'hush: 1 view left\n' });
    const second = await runHush(['reveal', '--json', link], { env });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ secret: UNICODE, views_left: 0 });
    const third = await runHush(['reveal', link], { env });
    expect(third.code).toBe(1);
    expect(third.stderr).toMatch(/^hush: no such secret: it was already viewed/);
    // The server held only ciphertext: nothing it logged or stored reads as the secret.
    expect(server.output()).not.toContain('pässwörd');
  });

  it('reads a file or `-`; --ttl takes units and seconds; --json has the documented shape', async () => {
    const before = Date.now();
    const fromFile = await runHush(
      ['share', '--ttl', '30m', '--views', '3', '--json', file('s.txt', 'from a file')],
      { env },
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toBe('');
    const json = JSON.parse(fromFile.stdout);
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
    expect((await runHush(['reveal', dash.link], { env })).stdout).toBe('dash');
  });

  it('asks for a passphrase only on a terminal; a file gives it; a wrong one consumes nothing', async () => {
    const pass = file('pass.txt', 'correct horse\n');
    const made = await share(['--passphrase-file', pass, '--views', '1'], 'locked');
    const noTerminal = await runHush(['reveal', made.link], { env });
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/no terminal to ask for the passphrase on.*--passphrase-file/);
    const wrong = await runHush(['reveal', '--passphrase-file', file('bad.txt', 'wrong'), made.link], {
      env,
    });
    expect(wrong).toMatchObject({
      code: 1,
      stderr: 'hush: wrong passphrase; nothing was used up: 9 attempts left\n',
    });
    expect((await receiptOf(made.receipt)).views_used).toBe(0);
    const right = await runHush(['reveal', '--passphrase-file', pass, made.link], { env });
    expect(right).toMatchObject({ code: 0, stdout: 'locked' });

    const prompt = await runHush(['share', '--passphrase-prompt'], { input: 'x', env });
    expect(prompt.code).toBe(2);
    expect(prompt.stderr).toMatch(/no terminal/);
    expect(prompt.stdout).toBe('');
  });

  it.skipIf(!hasScript)(
    'prompts on the terminal without echo: twice for a new share, once to reveal',
    async () => {
      const secret = ['--text', 'typed on a terminal'];
      const made = await runHushOnTerminal(
        ['share', '--passphrase-prompt', ...secret],
        ['p4ss\r', 'p4ss\r'],
        env,
      );
      expect(made.code, made.screen).toBe(0);
      expect(made.screen).toContain('Repeat the passphrase: ');
      expect(made.screen).not.toContain('p4ss');
      const link = /http\S+\/s\/\S+/.exec(made.screen.replaceAll('\r', ''))?.[0] ?? '';

      const mismatch = await runHushOnTerminal(
        ['share', '--passphrase-prompt', ...secret],
        ['a\r', 'b\r'],
        env,
      );
      expect(mismatch.code).toBe(2);
      expect(mismatch.screen).toContain('the passphrases do not match');
      const cancelled = await runHushOnTerminal(['reveal', link], ['\u0003'], env);
      expect(cancelled.code).toBe(130);
      // Arrow keys are escape sequences, not text: ← then → leave the passphrase as typed.
      const revealed = await runHushOnTerminal(['reveal', link], ['p4sx\u007f\u001b[D\u001b[Cs\r'], env);
      expect(revealed.code, revealed.screen).toBe(0);
      // On a terminal a newline follows the secret; the passphrase never shows.
      expect(revealed.screen).toContain('typed on a terminal\r\nhush: that was the last view');
      expect(revealed.screen).not.toMatch(/p4s/);
    },
  );
});

describe('hush receipt and burn', () => {
  it('shows the receipt before and after a reveal', async () => {
    const made = await share(['--views', '1']);
    const before = await runHush(['receipt', made.receipt], { env });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(
      /^state: +pending: Can still be opened 1 more time\nviews: +0 of 1 used, 1 left \(Opened 0 of 1 time\)\n/,
    );
    expect(before.stdout).toMatch(/expires: /);
    expect(before.stdout).toMatch(/timeline:\n {2}\S+ {2}Created\n$/);
    await runHush(['reveal', made.link], { env });
    const after = await receiptOf(made.receipt);
    expect(after).toMatchObject({ state: 'consumed', views_used: 1 });
    expect(after.timeline.map((event) => event.type)).toEqual(['CREATE', 'READ']);
    const asShareLink = await runHush(['receipt', made.link], { env });
    expect(asShareLink.code).toBe(2);
  });

  it('burns by receipt link and by share link (with its passphrase); burning twice is refused', async () => {
    const byReceipt = await share([]);
    expect(await runHush(['burn', byReceipt.receipt], { env })).toMatchObject({
      code: 0,
      stderr: 'hush: burned: nobody can reveal this secret any more\n',
    });
    expect((await runHush(['reveal', byReceipt.link], { env })).code).toBe(1);
    expect(await receiptOf(byReceipt.receipt)).toMatchObject({ state: 'burned' });
    expect((await runHush(['burn', byReceipt.receipt], { env })).code).toBe(1);

    const pass = file('burn-pass.txt', 'burn me');
    const byLink = await share(['--passphrase-file', pass]);
    expect((await runHush(['burn', byLink.link], { env })).code).toBe(2); // no terminal for it
    const burned = await runHush(['burn', '--json', '--passphrase-file', pass, byLink.link], { env });
    expect(burned).toMatchObject({ code: 0, stdout: '{"burned":true}\n' });
    expect(await receiptOf(byLink.receipt)).toMatchObject({ state: 'burned' });
  });
});

describe('one link format with the API client', () => {
  it('a CLI link opens with the API client, and API-made shares open with the CLI', async () => {
    const api = createShareApi(server.url);
    const made = await share([], 'made by the CLI');
    const link = parseShareLink(made.link);
    const contentKey = link.contentKey ?? new Uint8Array();
    // The CLI sent the link's verifier: a reveal proves the link with it.
    const revealed = await api.reveal(link.secretKey, undefined, await deriveKeyCheck(contentKey));
    expect(await decryptText(contentKey, revealed.secret)).toBe('made by the CLI');

    const key = newContentKey();
    const sealed = await api.create({ secret: await encryptText(key, 'made by the page') });
    const pageLink = formatShareLink(server.url, sealed.secretKey, key);
    expect((await runHush(['reveal', pageLink], { env })).stdout).toBe('made by the page');

    // Made through the API with no client encryption: the link has no fragment, shown as is.
    const plain = await api.create({ secret: 'server-encrypted' });
    const plainLink = formatShareLink(server.url, plain.secretKey);
    expect((await runHush(['reveal', plainLink], { env })).stdout).toBe('server-encrypted');
  });
});

describe('servers and exit codes', () => {
  it('--server beats the link, which beats HUSH_URL; client commands ignore server settings', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const viaFlag = await runHush(['share', '--server', server.url], {
      input: 'x',
      // An unknown HUSH_* setting would stop a server from starting; the client never reads them.
      env: { HUSH_URL: closed, HUSH_NOT_A_SETTING: '1' },
    });
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    const moved = viaFlag.stdout.trim().replace(server.url, closed);
    // The link names its server: a HUSH_URL set for sharing never sends the key elsewhere.
    expect((await runHush(['reveal', moved], { env })).code).toBe(3);
    expect((await runHush(['reveal', '--server', server.url, moved], { env: {} })).stdout).toBe('x');
  });

  it('reads the link from stdin with -, keeping the key out of argv', async () => {
    const made = await share([], 'from a piped link');
    const revealed = await runHush(['reveal', '-'], { input: `${made.link}\n`, env: {} });
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout).toBe('from a piped link');
    const receipt = await runHush(['receipt', '--json', '-'], { input: made.receipt, env: {} });
    expect(JSON.parse(receipt.stdout)).toMatchObject({ state: 'consumed' });
    expect((await runHush(['reveal', '-'], { input: '', env: {} })).code).toBe(2);
  });

  it('maps each failure class to its exit code, with a hush: message and no stack', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const made = await share([], 'wrong key test');
    const otherKey = formatShareLink(server.url, parseShareLink(made.link).secretKey, newContentKey());
    const cases: [string[], string | Buffer, number, RegExp][] = [
      [['share', '--bogus'], 'x', 2, /Unknown option '--bogus'/],
      [['share', '--views', 'two'], 'x', 2, /--views must be a whole number/],
      [['share', '--ttl', 'soon'], 'x', 2, /--ttl must be a duration/],
      [['share', '-', '-'], 'x', 2, /`-` \(standard input\) can be named once/],
      [['share'], '', 2, /the input is empty/],
      [['share'], Buffer.from([0xff, 0xfe, 0x00]), 2, /not UTF-8 text/],
      [['share', '--server', 'ftp://x'], 'x', 2, /--server must be an http\(s\) URL/],
      [['reveal', 'https://h/s/short'], '', 2, /damaged or incomplete/],
      [['reveal'], '', 2, /wrong number of arguments/],
      [['burn', 'https://h/x/y'], '', 2, /not a receipt link .* or share link/],
      [
        ['share', '--ttl', '10'],
        'x',
        1,
        /--ttl is outside what this server allows: it must be between 1 minute and 30 days$/m,
      ],
      [['share', '--views', '1000'], 'x', 1, /--views is outside what this server allows/],
      [['share', '--ttl', '400d'], 'x', 1, /--ttl is outside what this server allows/],
      [['share'], 'x'.repeat(5000), 1, /too large for this server/],
      [['share', '--server', closed], 'x', 3, /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
      [['share', path.join(dir, 'missing.txt')], '', 4, /cannot read .*missing\.txt \(ENOENT\)/],
      [['reveal', otherKey], '', 2, /damaged or incomplete.*nothing was used up/],
    ];
    for (const [args, input, code, message] of cases) {
      const result = await runHush(args, { input, env });
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.stderr).toMatch(/^hush: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('has --help on every command, `hush help`, and usage with exit 2 for an unknown command', async () => {
    for (const command of ['share', 'reveal', 'receipt', 'burn', 'serve', 'migrate', 'user', 'keys']) {
      const result = await runHush([command, '--help']);
      expect({ command, code: result.code }).toEqual({ command, code: 0 });
      expect(result.stdout).toMatch(new RegExp(`^usage: hush ${command}`));
    }
    expect((await runHush(['help', 'share'])).stdout).toMatch(/^usage: hush share/);
    const help = await runHush(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 [\s\S]* {2}3 .*\n {2}4 /);
    expect((await runHush(['--help'])).stdout).toBe(help.stdout);
    // A slip gets the nearest command, not the whole help; a command of the server too.
    const unknown = await runHush(['shrae']);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: "hush: unknown command 'shrae'. Did you mean 'share'?\n",
    });
    const sub = await runHush(['user', 'lsit'], { env: { HUSH_DATA_DIR: dir } });
    expect(sub).toEqual({
      code: 2,
      stdout: '',
      stderr: "hush: unknown command 'user lsit'. Did you mean 'user list'?\n",
    });
    expect((await runHush(['serve', 'now'])).code).toBe(2);
  });

  it('`hush serve` serves with HUSH_URL set, which the server config accepts', async () => {
    expect(() => loadConfig({ HUSH_DATA_DIR: dir, HUSH_URL: 'https://hush.example.com' })).not.toThrow();
    expect(() => loadConfig({ HUSH_DATA_DIR: dir, HUSH_URLS: 'x' })).toThrow(/unknown setting HUSH_URLS/);
    const data = mkdtempSync(path.join(tmpdir(), 'hush-serve-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH ?? '', HUSH_PORT: '0', HUSH_DATA_DIR: data, HUSH_URL: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('hush is listening')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`hush serve exited:\n${out}`)));
    });
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    rmSync(data, { recursive: true, force: true });
  }, 60_000);
});
