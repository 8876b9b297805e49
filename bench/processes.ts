import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Child processes of one bench run. Every child is registered here so that a failure, Ctrl-C or
 * an uncaught error never leaves a server running: `stopAll` is called from `finally` and from the
 * signal handlers, and `killAllNow` from the synchronous `exit` handler as a last resort.
 */
const children = new Set<ChildProcess>();

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** The last few KiB the child wrote to stderr, for error messages. */
  stderrTail(): string;
}

export interface SpawnOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** 'null' sends stdout to /dev/null (hush's production logs); 'pipe' keeps it for the caller. */
  readonly stdout: 'null' | 'pipe';
}

const STDERR_TAIL = 8 * 1024;

export function spawnNode(options: SpawnOptions): Child {
  const stdout = options.stdout === 'null' ? openSync('/dev/null', 'w') : 'pipe';
  const child = spawn(process.execPath, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', stdout, 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL);
  });
  return { name: options.name, process: child, stderrTail: () => tail };
}

/** Runs a node script to completion and returns its stdout; fails on a non-zero exit. */
export async function runNode(options: Omit<SpawnOptions, 'stdout'>): Promise<string> {
  const child = spawnNode({ ...options, stdout: 'pipe' });
  let out = '';
  child.process.stdout?.setEncoding('utf8');
  child.process.stdout?.on('data', (chunk: string) => {
    out += chunk;
  });
  const [code, signal] = (await once(child.process, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    throw new Error(`${options.name} exited with ${code ?? signal}:\n${child.stderrTail()}`);
  }
  return out;
}

/** Asks the OS for a port that is free right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  if (port === 0) throw new Error('could not find a free port');
  return port;
}

/** Polls `url` until it answers 2xx, the child dies, or the timeout passes. */
export async function waitForHttp(child: Child, url: string, init: RequestInit = {}, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(
        `${child.name} exited before it was ready (${child.process.exitCode ?? child.process.signalCode}):\n` +
          child.stderrTail(),
      );
    }
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${child.name} was not ready at ${url} after ${timeoutMs} ms:\n${child.stderrTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM (graceful: hush drains and a --cpu-prof profile gets written), then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}

/** Synchronous last resort for process 'exit': no time to be graceful. */
export function killAllNow(): void {
  for (const child of children) child.kill('SIGKILL');
}
