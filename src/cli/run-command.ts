import { isatty } from 'node:tty';
import { CliError, EXIT } from './cli-errors.js';
import { type CliIo, parseCommandArgs, runClient, write } from './client-command.js';
import { readSecrets, secretNames } from './env-api.js';
import { childEnvironment, mergeSecrets } from './env-names.js';
import { runChild } from './run-child.js';
import { signIn } from './saved-login.js';
import { DEFAULT_SERVER } from './share-client.js';

export const RUN_USAGE = `usage: hush run --secret <name>[,<name>…] [options] -- <command> [arguments…]
  Reads the secrets (their latest versions, all at once) and runs the command with each of their
  keys as an environment variable. The values go only into the command's environment: never into
  arguments, which the process list shows, nor into any output. The command gets this terminal's
  (or these pipes') stdin, stdout and stderr, and the signals hush receives (INT, TERM, HUP,
  QUIT, USR1, USR2; on a terminal, Ctrl-C and Ctrl-\\ reach it directly). It runs without a shell.

  --secret <names>   secrets to read, comma-separated or repeated; a key in two of them is refused
  --override         let a key replace a variable this environment already has, or set a loader,
                     shell or interpreter variable (PATH, LD_*, DYLD_*, NODE_OPTIONS, BASH_ENV,
                     PYTHONPATH, GIT_SSH_COMMAND, …) even when unset: refused otherwise, so that a
                     secret cannot silently change what code the command runs
  --keep-token       pass HUSH_TOKEN on to the command (it is removed otherwise)
  --server <url>     the hush server (default: the saved login's; with HUSH_TOKEN, HUSH_URL, else
                     ${DEFAULT_SERVER})
  -h, --help         this help

  Keys must be variable names (letters, digits and _, not starting with a digit). Signed in with
  hush login, or HUSH_TOKEN (scope secrets:read). Exits with the command's code, 128 + N when
  signal N ended it, 127 when it is not found, 126 when it cannot be run; before it starts, with
  hush's codes (hush --help).

  hush run --secret apps/billing/db,apps/billing/stripe -- node server.js
`;

const OPTIONS = {
  server: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  secret: { type: 'string', multiple: true },
  override: { type: 'boolean', default: false },
  'keep-token': { type: 'boolean', default: false },
} as const;

/**
 * The process's streams, stdin left untouched: the command reads fd 0 itself, and a stream
 * opened on it here could take input meant for the command.
 */
const runIo = (): CliIo => ({
  env: process.env,
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
});

/** `hush run`: returns the command's exit code, or hush's when it never started. */
export async function runRunCommand(args: readonly string[], io: CliIo = runIo()): Promise<number> {
  const split = args.indexOf('--');
  const own = split === -1 ? args : args.slice(0, split);
  const [command, ...commandArgs] = split === -1 ? [] : args.slice(split + 1);
  let exitCode: number | undefined;
  const code = await runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('run', own, OPTIONS, [0, Number.MAX_SAFE_INTEGER]);
    if (values.help) return write(io.stdout, RUN_USAGE);
    if (positionals.length > 0 || command === undefined || command === '') {
      throw new CliError(EXIT.usage, 'the command goes after --: hush run --secret <name> -- <command>');
    }
    if (values.secret === undefined)
      throw new CliError(EXIT.usage, '--secret is needed (see hush run --help)');
    const names = secretNames(values.secret);
    const api = await signIn(io, values.server);
    const variables = mergeSecrets(await readSecrets(api, names), { envNames: true });
    const env = childEnvironment(io.env, variables, {
      override: values.override,
      keepToken: values['keep-token'],
    });
    exitCode = await runChild({
      command,
      args: commandArgs,
      env,
      onTerminal: isatty(0) || isatty(1) || isatty(2),
    });
  });
  return exitCode ?? code;
}
