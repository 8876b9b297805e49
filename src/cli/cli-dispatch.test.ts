import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../test/servers/free-port.js';
import { runCli } from './cli.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** `process.exit` stand-in: ends the command where the real one would end the process. */
class Exited extends Error {
  constructor(readonly code: number | undefined) {
    super(`exit ${code}`);
  }
}

/** Takes what is written to `stream`, calling back as a stream does (client commands wait for it). */
const capture = (stream: NodeJS.WriteStream, take: (text: string) => void) =>
  vi.spyOn(stream, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
    take(String(chunk));
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (done) queueMicrotask(done);
    return true;
  });

/** `hush …` in-process: the dispatcher writes to the process's own streams, captured here. */
const hush = async (argv: string[]) => {
  let out = '';
  let err = '';
  capture(process.stdout, (text) => {
    out += text;
  });
  capture(process.stderr, (text) => {
    err += text;
  });
  const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Exited(code === undefined || code === null ? undefined : Number(code));
  });
  try {
    const code = await runCli(argv).catch((error: unknown) => {
      if (error instanceof Exited) return error.code;
      throw error;
    });
    return { code, out, err, exited: exit.mock.calls.length > 0 };
  } finally {
    vi.restoreAllMocks();
  }
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-dispatch-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Server commands read process.env: only the given HUSH_* settings, whatever the shell has. */
const serverEnv = (settings: Record<string, string>) => {
  for (const name of Object.keys(process.env)) if (name.startsWith('HUSH_')) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
};

describe('hush (dispatch, in-process)', () => {
  it('shows each command its own usage with --help, on stdout with exit 0', async () => {
    const commands = ['share', 'reveal', 'receipt', 'burn', 'token', 'serve', 'migrate', 'user', 'keys'];
    for (const command of commands) {
      const usage = new RegExp(`^usage: hush ${command}`);
      const viaFlag = await hush([command, '--help']);
      expect({ command, code: viaFlag.code, err: viaFlag.err }).toEqual({ command, code: 0, err: '' });
      expect(viaFlag.out).toMatch(usage);
      const viaHelp = await hush(['help', command]);
      expect(viaHelp).toMatchObject({ code: 0, out: viaFlag.out });
    }
    expect((await hush(['serve', '-h'])).out).toMatch(/^usage: hush serve/);
  });

  it('has general help with the exit codes, a version, and usage with exit 2 for what it does not know', async () => {
    const help = await hush(['help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: hush <command>/);
    expect(help.out).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 [\s\S]* {2}3 .*\n {2}4 [\s\S]* {2}130 /);
    expect((await hush(['--help'])).out).toBe(help.out);
    expect((await hush(['-h'])).out).toBe(help.out);
    expect(await hush(['--version'])).toMatchObject({ code: 0, out: `hush ${version}\n` });
    expect((await hush(['-v'])).out).toBe(`hush ${version}\n`);

    // A slip names the nearest command instead of printing the whole help.
    const suggested = {
      shrae: 'share',
      uesr: 'user',
      USER: 'user',
      srve: 'serve',
      mirgate: 'migrate',
      kyes: 'keys',
      tokn: 'token',
      '--verison': '--version',
    };
    for (const [typed, meant] of Object.entries(suggested)) {
      expect(await hush([typed])).toMatchObject({
        code: 2,
        out: '',
        err: `hush: unknown command '${typed}'. Did you mean '${meant}'?\n`,
      });
    }
    // Nothing near: no guess, a pointer to the help; the typed word quoted safely.
    for (const typed of ['frobnicate', 'ab', 'x', 'constructor']) {
      expect(await hush([typed])).toMatchObject({
        code: 2,
        out: '',
        err: `hush: unknown command '${typed}'. Run 'hush --help' to see the commands.\n`,
      });
    }
    expect((await hush(["it's\u001b[2J"])).err).toBe(
      `hush: unknown command "it's\\u001b[2J". Run 'hush --help' to see the commands.\n`,
    );
    const noHelp = await hush(['help', 'shrae']);
    expect(noHelp).toMatchObject({ code: 2, err: "hush: unknown command 'shrae'. Did you mean 'share'?\n" });
    for (const command of ['serve', 'migrate']) {
      const extra = await hush([command, 'now']);
      expect(extra).toMatchObject({ code: 2, out: '' });
      expect(extra.err).toMatch(new RegExp(`^hush: ${command} takes no arguments\\nusage: hush ${command}`));
    }
  });

  it('runs a client command with its arguments', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await hush(['receipt', `${closed}/r/${'r'.repeat(43)}`]);
    expect(result).toMatchObject({ code: 3, out: '', exited: false });
    expect(result.err).toMatch(/^hush: cannot reach .*ECONNREFUSED/);
  });
});

describe('server commands (in-process)', () => {
  it('migrate and user run on the HUSH_* settings of the environment', async () => {
    const data = path.join(dir, 'data');
    // The default log level: the logs go to stderr, stdout holds the answer alone.
    serverEnv({ HUSH_DATA_DIR: data });
    expect(await hush(['migrate'])).toMatchObject({
      code: 0,
      exited: false,
      out: '',
      err: expect.stringContaining('"msg":"migrations applied"'),
    });
    expect(existsSync(path.join(data, 'hush.db'))).toBe(true);
    const listed = await hush(['user', 'list', '--json']);
    expect(listed).toMatchObject({ code: 0, err: expect.stringContaining('"msg":"opening SQLite storage"') });
    expect(JSON.parse(listed.out)).toEqual({ total: 0, users: [] });
    expect(await hush(['user', 'bogus'])).toMatchObject({
      code: 2,
      err: "hush: unknown command 'user bogus'. Run 'hush user --help' to see the commands.\n",
    });
    expect(await hush(['user', 'lsit'])).toMatchObject({
      code: 2,
      err: "hush: unknown command 'user lsit'. Did you mean 'user list'?\n",
    });
    expect(await hush(['keys', 'rotat'])).toMatchObject({
      code: 2,
      err: "hush: unknown command 'keys rotat'. Did you mean 'keys rotate'?\n",
    });
  });

  it('an invalid configuration exits 2 naming the setting; storage that does not answer exits 1', async () => {
    serverEnv({ HUSH_DATA_DIR: dir, HUSH_PORT: 'eighty' });
    const invalid = await hush(['migrate']);
    expect(invalid).toMatchObject({ code: 2, out: '', exited: true });
    expect(invalid.err).toMatch(/^hush: invalid configuration:\n.*HUSH_PORT must be a whole number/);

    serverEnv({ HUSH_DATA_DIR: dir, HUSH_PROT: '1' });
    expect((await hush(['keys', 'rotate'])).err).toMatch(/unknown setting HUSH_PROT/);

    serverEnv({
      HUSH_DATA_DIR: dir,
      HUSH_LOG_LEVEL: 'silent',
      HUSH_DATABASE_URL: `postgres://hush@127.0.0.1:${await freePort()}/hush`,
    });
    const down = await hush(['migrate']);
    expect(down).toMatchObject({ code: 1, out: '', exited: true });
    expect(down.err).toMatch(/^hush: PostgreSQL or Redis did not answer at start \(ECONNREFUSED/);
    expect(down.err).not.toMatch(/\n\s+at /);

    // Anything else is a bug report: its stack is what an operator needs.
    const notADirectory = path.join(dir, 'a-file');
    writeFileSync(notADirectory, '');
    serverEnv({ HUSH_DATA_DIR: notADirectory, HUSH_LOG_LEVEL: 'silent' });
    const broken = await hush(['user', 'list']);
    expect(broken).toMatchObject({ code: 1, out: '', exited: true });
    expect(broken.err).toMatch(/^hush: failed to start: \w*Error/);
  });
});
