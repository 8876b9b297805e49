import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CliError } from './cli-errors.js';
import { quoteWord } from './suggest.js';

/** Signals passed on to the command, so a supervisor that stops `hush run` stops what it runs. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
/** Signals a terminal sends to its whole foreground process group, the command included. */
const KEYBOARD_SIGNALS: ReadonlySet<string> = new Set(['SIGINT', 'SIGQUIT']);

/** What the shell answers when a command is missing (127) or found but not executable (126). */
export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;

export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /**
   * Whether `hush run` sits on a terminal. Ctrl-C and Ctrl-\ then reach the command from the
   * terminal itself, so they are not forwarded: the command would see each one twice (and many
   * programs take a second Ctrl-C as "quit now"). They are still caught, so hush outlives them
   * and reports how the command ended.
   */
  readonly onTerminal: boolean;
}

/**
 * Runs the command with the terminal's (or the pipes') stdin, stdout and stderr, without a shell
 * (its arguments are not re-parsed), and resolves with its exit code: its own, or 128 + N when
 * signal N ended it, as a shell reports it. A command that cannot be started is a CliError with
 * the shell's code (127 not found, 126 not executable).
 */
export function runChild(spec: ChildSpec): Promise<number> {
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(spec.command, [...spec.args], { stdio: 'inherit', env: spec.env });
    } catch (error) {
      // Node's own message may quote the environment, values included: only its code is shown.
      reject(startFailure(spec.command, error as NodeJS.ErrnoException));
      return;
    }
    const handlers = FORWARDED_SIGNALS.map((signal) => {
      const handler =
        spec.onTerminal && KEYBOARD_SIGNALS.has(signal)
          ? () => undefined
          : () => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      for (const [signal, handler] of handlers) process.off(signal, handler);
      finish();
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // After a start, 'error' means a signal could not be sent; 'exit' still tells the end.
      if (child.pid !== undefined) return;
      settle(() => reject(startFailure(spec.command, error)));
    });
    child.once('exit', (code, signal) => {
      settle(() => resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))));
    });
  });
}

function startFailure(command: string, error: NodeJS.ErrnoException): CliError {
  const name = quoteWord(command);
  if (error.code === 'ENOENT') return new CliError(EXIT_NOT_FOUND, `command not found: ${name}`);
  if (error.code === 'EACCES' || error.code === 'EISDIR' || error.code === 'ENOEXEC') {
    return new CliError(EXIT_NOT_EXECUTABLE, `cannot run ${name}: not an executable (${error.code})`);
  }
  return new CliError(EXIT_NOT_EXECUTABLE, `cannot run ${name} (${error.code ?? 'unknown failure'})`);
}
