import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUN_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-child.ts');

/**
 * A process standing where `hush run` stands: it calls runChild with the command in its argv and
 * exits as `hush run` does (the child's code, or a start failure's message and code). Its stdio
 * are pipes, so the command's output and the signals sent to it can be observed.
 */
const HARNESS = `
import { runChild } from ${JSON.stringify(RUN_CHILD)};
const [onTerminal, command, ...args] = process.argv.slice(process.argv.indexOf('harness:') + 1);
try {
  process.exitCode = await runChild({ command, args, env: { ...process.env, GIVEN: 'given value' }, onTerminal: onTerminal === 'tty' });
} catch (error) {
  process.stderr.write('hush: ' + error.message + '\\n');
  process.exitCode = error.exitCode;
}
`;

interface Running {
  readonly pid: number;
  /** Resolves once stdout holds `text`. */
  waitFor(text: string): Promise<void>;
  done: Promise<{ code: number | null; signal: string | null; out: string; err: string }>;
}

function harness(command: readonly string[], options: { input?: string; tty?: boolean } = {}): Running {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      HARNESS,
      'harness:',
      options.tty ? 'tty' : 'pipe',
      ...command,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } },
  );
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return {
    pid: child.pid as number,
    waitFor: (text) =>
      new Promise((resolve) => (out.includes(text) ? resolve() : waiters.push({ text, resolve }))),
    done: new Promise((resolve) =>
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, out, err });
      }),
    ),
  };
}

const node = (script: string, ...args: string[]) => [process.execPath, '-e', script, ...args];

/** A child that reports each listed signal it gets on stdout, and exits 40 + its count on TERM. */
const LISTENER = `
let seen = [];
for (const s of ['SIGINT','SIGTERM','SIGHUP','SIGQUIT','SIGUSR1','SIGUSR2']) process.on(s, () => {
  seen.push(s); process.stdout.write('got ' + s + '\\n');
  if (s === 'SIGTERM') process.exit(40 + seen.length);
});
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

const hasScript = spawnSync('script', ['--version']).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-run-child-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runChild: stdio, arguments, environment, exit codes', () => {
  it('exits with the command’s own code', async () => {
    expect((await harness(node('process.exit(42)')).done).code).toBe(42);
    expect((await harness(node('')).done).code).toBe(0);
  });

  it('passes stdin, stdout and stderr through, and arguments without a shell', async () => {
    const echo = `process.stdin.pipe(process.stdout); process.stderr.write(JSON.stringify(process.argv.slice(1)))`;
    const odd = ['two words', '$HOME', '"quoted"', "it's", '*', '; rm -rf /'];
    const result = await harness(node(echo, ...odd), { input: 'from stdin\nline 2\n' }).done;
    expect(result).toMatchObject({ code: 0, out: 'from stdin\nline 2\n', err: JSON.stringify(odd) });
  });

  it('gives the command exactly the environment asked for', async () => {
    const result = await harness(node('process.stdout.write(process.env.GIVEN)')).done;
    expect(result).toMatchObject({ code: 0, out: 'given value' });
  });

  it('answers 128 + N when signal N ended the command', async () => {
    expect((await harness(node("process.kill(process.pid, 'SIGKILL')")).done).code).toBe(137);
    expect((await harness(node("process.kill(process.pid, 'SIGTERM')")).done).code).toBe(143);
  });

  it('a missing command is 127 and a non-executable one 126, in one line', async () => {
    const missing = await harness(['no-such-command-hush-test']).done;
    expect(missing).toMatchObject({
      code: 127,
      out: '',
      err: "hush: command not found: 'no-such-command-hush-test'\n",
    });
    const script = path.join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const refused = await harness([script]).done;
    expect(refused.code).toBe(126);
    expect(refused.err).toBe(`hush: cannot run '${script}': not an executable (EACCES)\n`);
    expect((await harness([dir]).done).code).toBe(126);
  });
});

describe('runChild: signals', () => {
  it.each(['SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const)(
    'forwards %s to the command, and hush outlives it',
    async (signal) => {
      const running = harness(node(LISTENER));
      await running.waitFor('ready');
      process.kill(running.pid, signal);
      await running.waitFor(`got ${signal}`);
      process.kill(running.pid, 'SIGTERM');
      const result = await running.done;
      expect(result).toMatchObject({ code: 42, signal: null, out: `ready\ngot ${signal}\ngot SIGTERM\n` });
    },
  );

  it('forwards SIGTERM: the command decides how to end, hush reports its code', async () => {
    const running = harness(node(LISTENER));
    await running.waitFor('ready');
    process.kill(running.pid, 'SIGTERM');
    expect(await running.done).toMatchObject({ code: 41, out: 'ready\ngot SIGTERM\n' });
  });

  it('on a terminal, leaves Ctrl-C and Ctrl-\\ to the terminal (the command gets them once) but survives them', async () => {
    const running = harness(node(LISTENER), { tty: true });
    await running.waitFor('ready');
    process.kill(running.pid, 'SIGINT');
    process.kill(running.pid, 'SIGQUIT');
    process.kill(running.pid, 'SIGUSR1');
    await running.waitFor('got SIGUSR1');
    process.kill(running.pid, 'SIGTERM');
    expect(await running.done).toMatchObject({
      code: 42,
      signal: null,
      out: 'ready\ngot SIGUSR1\ngot SIGTERM\n',
    });
  });
});

describe('runChild on a real terminal (util-linux script)', () => {
  it.skipIf(!hasScript)(
    'Ctrl-C reaches the command once, from the terminal, and hush reports its code',
    async () => {
      const harnessFile = path.join(dir, 'harness.mjs');
      writeFileSync(harnessFile, HARNESS);
      const once = `process.on('SIGINT', () => { process.stdout.write('got SIGINT\\n'); setTimeout(() => process.exit(3), 500); });
process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
      const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
      // exec: the shell `script` starts must not stand between, taking Ctrl-C itself.
      const command = `exec ${[
        process.execPath,
        '--import',
        'tsx',
        harnessFile,
        'harness:',
        'tty',
        process.execPath,
        '-e',
        once,
      ]
        .map(quote)
        .join(' ')}`;
      const child = spawn('script', ['-qefc', command, '/dev/null'], {
        cwd: path.dirname(RUN_CHILD),
        env: { PATH: process.env.PATH ?? '', TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        const before = screen;
        screen += chunk.toString('utf8');
        if (!before.includes('ready') && screen.includes('ready')) child.stdin.write('\x03');
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      clearTimeout(timer);
      expect(screen.match(/got SIGINT/g), screen).toEqual(['got SIGINT']);
      expect(code).toBe(3);
    },
  );
});
