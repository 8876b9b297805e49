import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHush, runHushOnTerminal } from './helpers/cli-process.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';

// jsqr is CommonJS: under NodeNext its default export is the module, whose `default` is jsQR.
const jsQR = jsQRModule.default;

const hasScript = spawnSync('script', ['--version']).status === 0;
const LINK = /^http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]{43}#1\.[\w-]{43}$/;
const QR_LINE = /^[█▀▄ ]+$/;

let server: ServerProcess;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-qr-'));
  server = await startServerProcess({ HUSH_DATA_DIR: dir, HUSH_RATE_LIMIT_MAX: '0' });
  env = { HUSH_URL: server.url };
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The QR block's lines as a camera sees them: each character two modules high, blocks light. */
function decodeBlock(lines: readonly string[]): string | undefined {
  const SCALE = 4;
  const MARGIN = 8;
  const rows = lines.flatMap((line) => {
    const cells = [...line];
    return [cells.map((c) => c === '█' || c === '▀'), cells.map((c) => c === '█' || c === '▄')];
  });
  const width = (rows[0]?.length ?? 0) * SCALE + 2 * MARGIN;
  const height = rows.length * SCALE + 2 * MARGIN;
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  rows.forEach((row, y) => {
    row.forEach((light, x) => {
      if (light) return;
      for (let dy = 0; dy < SCALE; dy += 1) {
        for (let dx = 0; dx < SCALE; dx += 1) {
          const at = ((MARGIN + y * SCALE + dy) * width + MARGIN + x * SCALE + dx) * 4;
          pixels.fill(0, at, at + 3);
        }
      }
    });
  });
  return jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' })?.data;
}

describe('hush share --qr', () => {
  it('prints the QR code of the link on stderr (plain, when redirected) and only the link on stdout', async () => {
    const made = await runHush(['share', '--qr'], { input: 'scan me', env });
    expect(made.code, made.stderr).toBe(0);
    const link = made.stdout.trimEnd();
    expect(link).toMatch(LINK);
    expect(made.stdout).toBe(`${link}\n`);
    const lines = made.stderr.split('\n');
    const block = lines.filter((line) => QR_LINE.test(line));
    expect(block.length).toBeGreaterThan(10);
    expect(made.stderr).not.toContain('\u001b[');
    expect(decodeBlock(block)).toBe(link);
    // The usual notes follow the code.
    expect(lines.slice(block.length).join('\n')).toMatch(/^hush: receipt .*\/r\/[\w-]{43}\nhush: expires /);
  });

  it('with --json: stdout is the JSON line alone, the code (of its link) on stderr', async () => {
    const made = await runHush(['share', '--qr', '--json'], { input: 'scan me too', env });
    expect(made.code, made.stderr).toBe(0);
    const { link } = JSON.parse(made.stdout) as { link: string };
    expect(made.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(decodeBlock(made.stderr.split('\n').filter((line) => QR_LINE.test(line)))).toBe(link);
  });

  it('says in --help where the code goes', async () => {
    const help = await runHush(['share', '--help'], { env });
    expect(help.stdout).toMatch(
      /--qr\s+also print the link's QR code, on stderr \(stdout keeps only the link\)/,
    );
  });

  it.skipIf(!hasScript)(
    'on a terminal sets its colours (white on black) unless NO_COLOR is set',
    async () => {
      const secret = path.join(dir, 'secret.txt');
      writeFileSync(secret, 'on a terminal');
      const coloured = await runHushOnTerminal(['share', '--qr', secret], [], env);
      expect(coloured.code, coloured.screen).toBe(0);
      expect(coloured.screen).toContain('\u001b[97;40m█');
      const link = /http\S+\/s\/\S+/.exec(coloured.screen.replaceAll('\r', ''))?.[0] ?? '';
      const block = coloured.screen
        .replaceAll('\r', '')
        .split('\n')
        .filter((line) => line.startsWith('\u001b[97;40m'))
        .map((line) => line.replace('\u001b[97;40m', '').replace('\u001b[0m', ''));
      expect(decodeBlock(block)).toBe(link);

      const plain = await runHushOnTerminal(['share', '--qr', secret], [], { ...env, NO_COLOR: '1' });
      expect(plain.code, plain.screen).toBe(0);
      expect(plain.screen).toContain('█');
      expect(plain.screen).not.toContain('\u001b[97;40m');
    },
  );
});
