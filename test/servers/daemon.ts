import { type ChildProcess, spawn } from 'node:child_process';

export interface DaemonOptions {
  readonly uid?: number;
  readonly gid?: number;
}

/** Every daemon started and not yet seen exit: killed if the test process exits first. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A server process in the foreground, its output kept for error messages. */
export interface Daemon {
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startDaemon(command: string, args: readonly string[], options: DaemonOptions = {}): Daemon {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  live.add(child);
  let out = '';
  const collect = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  return {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: readonly string[], options: DaemonOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const daemon = startDaemon(command, args, options);
    daemon.child.once('error', reject);
    daemon.child.once('exit', (code) => {
      if (code === 0) resolve(daemon.output());
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${daemon.output()}`));
    });
  });
}
