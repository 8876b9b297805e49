import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHush, runHushOnTerminal } from './helpers/cli-process.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { startSlowProxy } from './helpers/slow-proxy.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const MiB = 1024 * 1024;
const FILES_LINK = /^http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]{43}#2\.[\w-]{43}$/;

let server: ServerProcess;
let dir: string;
let env: Record<string, string>;
const file = (name: string, content: Buffer | string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
const share = async (args: string[], input = '') => {
  const made = await runHush(['share', '--json', ...args], { input, env });
  expect(made.code, made.stderr).toBe(0);
  return JSON.parse(made.stdout) as { link: string; receipt: string };
};
const viewsUsed = async (receipt: string) =>
  (JSON.parse((await runHush(['receipt', '--json', receipt], { env })).stdout) as { views_used: number })
    .views_used;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-files-'));
  server = await startServerProcess({ HUSH_DATA_DIR: dir, HUSH_RATE_LIMIT_MAX: '0' });
  env = { HUSH_URL: server.url };
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush share <files> and hush reveal -o', () => {
  it('round-trips several files and a text byte for byte; the server never sees a name', async () => {
    const big = randomBytes(3 * MiB + 12345);
    const paths = [file('report.pdf', big), file('empty.txt', ''), file('.env', 'TOKEN=abc\n')];
    const made = await runHush(['share', ...paths, '-', '--views', '2'], { input: 'see attached\n', env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toMatch(FILES_LINK);
    const link = made.stdout.trim();

    const out = path.join(dir, 'out', 'nested');
    const revealed = await runHush(['reveal', '-o', out, link], { env: {} });
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout).toBe('see attached\n');
    expect(revealed.stderr).toContain(`hush: saved ${path.join(out, 'report.pdf')} (3.0 MiB)`);
    expect(revealed.stderr).toContain('hush: 1 view left');
    expect(readdirSync(out).sort()).toEqual(['_env', 'empty.txt', 'report.pdf']);
    expect(readFileSync(path.join(out, 'report.pdf')).equals(big)).toBe(true);
    expect(readFileSync(path.join(out, 'empty.txt')).length).toBe(0);
    expect(readFileSync(path.join(out, '_env'), 'utf8')).toBe('TOKEN=abc\n');
    expect(statSync(path.join(out, 'report.pdf')).mode & 0o777).toBe(0o600);

    // The second view: an existing file is kept, the new one numbered; --json lists where each went.
    writeFileSync(path.join(out, 'report.pdf'), 'mine');
    const again = await runHush(['reveal', '--json', '-o', out, link], { env: {} });
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout) as {
      secret: string;
      views_left: number;
      files: { name: string }[];
    };
    expect(json).toMatchObject({ secret: 'see attached\n', views_left: 0 });
    expect(json.files.map((f) => f.name)).toEqual(['report (2).pdf', 'empty (2).txt', '_env (2)']);
    expect(readFileSync(path.join(out, 'report.pdf'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(out, 'report (2).pdf')).equals(big)).toBe(true);
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]); // no temporary left
    expect(server.output()).not.toMatch(/report|\.env|see attached/);
  }, 90_000);

  it('without -o refuses before a view is spent; --force replaces files', async () => {
    const made = await share([file('a.bin', randomBytes(70_000))]);
    const refused = await runHush(['reveal', made.link], { env: {} });
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^hush: this share holds files: .* -o <dir> \(nothing was used up\)\n$/);
    expect(await viewsUsed(made.receipt)).toBe(0);

    const out = path.join(dir, 'forced');
    mkdirSync(out);
    writeFileSync(path.join(out, 'a.bin'), 'old');
    const forced = await runHush(['reveal', '--force', '-o', out, made.link], { env: {} });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toBe('');
    expect(readFileSync(path.join(out, 'a.bin'))).toEqual(readFileSync(path.join(dir, 'a.bin')));
    expect(readdirSync(out)).toEqual(['a.bin']);
  });

  it('refuses what it cannot send before anything is sent, and files over the server limit', async () => {
    const cases: [string[], number, RegExp][] = [
      [['share', dir], 2, /is a directory/],
      [
        ['share', file('ok.txt', 'x'), path.join(dir, 'missing.bin')],
        4,
        /cannot read .*missing\.bin \(ENOENT\)/,
      ],
      [['share', file('ok2.txt', 'x'), '--text', 'a', '-'], 2, /choose --text or `-`/],
      [['share', file('huge.bin', Buffer.alloc(26 * MiB))], 1, /too large for this server/],
      [
        ['reveal', '-o', file('not-a-dir', 'x'), `${server.url}/s/${'A'.repeat(43)}#2.${'A'.repeat(43)}`],
        4,
        /cannot write files into/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await runHush(args, { env });
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  }, 90_000);

  it.skipIf(!hasScript)(
    'shows progress on a terminal while uploading',
    async () => {
      const at = file('progress.bin', randomBytes(8 * MiB));
      // Through a proxy that slows the upload: the line shows only once a transfer passes 300 ms,
      // and on an idle machine 8 MiB to loopback takes less.
      const slow = await startSlowProxy(server.url, 15);
      const made = await runHushOnTerminal(['share', at], [], { HUSH_URL: slow.url }).finally(() =>
        slow.close(),
      );
      expect(made.code, made.screen).toBe(0);
      expect(made.screen).toMatch(/hush: encrypting and uploading [\d.]+ MiB of 8\.0 MiB \(\d+%\)/);
      const link = (/http\S+\/s\/\S+#2\.[\w-]{43}/.exec(made.screen.replaceAll('\r', ''))?.[0] ?? '').replace(
        /^http:\/\/127\.0\.0\.1:\d+/,
        server.url,
      );
      const out = path.join(dir, 'progress-out');
      const revealed = await runHushOnTerminal(['reveal', '-o', out, link], [], {});
      expect(revealed.code, revealed.screen).toBe(0);
      // (A download here may end before the line's 300 ms delay: src/cli/save-files.test.ts sees its words.)
      expect(revealed.screen).toContain('hush: saved');
      expect(readFileSync(path.join(out, 'progress.bin')).equals(readFileSync(at))).toBe(true);
      expect(existsSync(path.join(out, 'progress.bin'))).toBe(true);
    },
    60_000,
  );
});
