import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'src/main.ts');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Written to stdin, then closed (stdin is empty otherwise). */
  readonly input?: string | Buffer;
  /** The whole environment besides PATH: a developer's HUSH_URL must not leak in. */
  readonly env?: Record<string, string>;
  /** Killed after this long (30 s unless said: large file transfers take longer). */
  readonly timeoutMs?: number;
}

/**
 * Runs `hush …` (src/main.ts) as its own process to its end. It starts in a new session
 * (detached), so it has no controlling terminal: a passphrase prompt must refuse, never hang.
 */
export function runHush(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    }),
  );
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Runs `hush …` on a pseudo-terminal (util-linux `script`), typing `answers` one per passphrase or
 * password prompt (ending with ": "). Resolves with everything the terminal showed and the exit code.
 */
export function runHushOnTerminal(
  args: readonly string[],
  answers: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, '--import', 'tsx', ENTRY, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let answered = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    const prompts = screen.match(/(?:assphrase|assword)[^:\n]*: /g)?.length ?? 0;
    while (answered < prompts && answered < answers.length) child.stdin.write(answers[answered++]);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    }),
  );
}
