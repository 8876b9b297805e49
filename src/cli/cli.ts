import { createRequire } from 'node:module';
import { BURN_USAGE, runBurnCommand } from './burn-command.js';
import { EXIT } from './cli-errors.js';
import { EXPORT_USAGE, runExportCommand } from './export-command.js';
import { IMPORT_USAGE, runImportCommand } from './import-command.js';
import { LOGIN_USAGE, runLoginCommand } from './login-command.js';
import { LOGOUT_USAGE, runLogoutCommand } from './logout-command.js';
import { MACHINE_USAGE, runMachineCommand } from './machine-command.js';
import { POLICY_USAGE, runPolicyCommand } from './policy-command.js';
import { RECEIPT_USAGE, runReceiptCommand } from './receipt-command.js';
import { REQUEST_USAGE, runRequestCommand } from './request-command.js';
import { RESPOND_USAGE, runRespondCommand } from './respond-command.js';
import { REVEAL_USAGE, runRevealCommand } from './reveal-command.js';
import { RUN_USAGE, runRunCommand } from './run-command.js';
import { runSecretCommand, SECRET_USAGE } from './secret-command.js';
import type { ServerCommand } from './server-command.js';
import { runShareCommand, SHARE_USAGE } from './share-command.js';
import { runSharesCommand, SHARES_USAGE } from './shares-command.js';
import { unknownCommandMessage } from './suggest.js';
import { runTokenCommand, TOKEN_USAGE } from './token-command.js';
import { runWebhookCommand, WEBHOOK_USAGE } from './webhook-command.js';

export const USAGE = `usage: hush <command> [options]

Share a secret (talks to a hush server over HTTP; encryption happens here, on this machine):
  share [file…|-]      encrypt a text (stdin) or files, store them, print the link (stdout) and
                       the receipt link (stderr)
  reveal <link>        reveal a share (uses one view), decrypt it, print the secret; a share with
                       files needs -o <dir> to write them into; a request's link to keep opens
                       its answer (once)
  receipt <link>       a share's state, views and timeline, from its receipt link
  burn <link>          destroy a share now, by its receipt link or its share link
  shares list|burn     the shares you made while signed in: their state, a burn by id
  request [--note …]   ask someone for a secret: the link to send (stdout), the link to keep (stderr)
  respond <link> [file|-]
                       answer a request: encrypted here to the requester, who alone can read it
  Server: --server <url>; else the link's own for reveal, receipt and burn; for share HUSH_URL,
  else http://127.0.0.1:8080. A link argument may be - to read it from stdin (keeps the key out of
  the shell history and the process list).

Access tokens (talk to a hush server over HTTP: --server, else HUSH_URL, else http://127.0.0.1:8080):
  token create …       sign in with a password (asked without echo), print an access token
  token lookup|revoke  what HUSH_TOKEN (or stdin's token, with -) is; end its session
  token renew          trade a refresh token (stdin) for new tokens (hush token --help)

Secret store (signs in once with hush login; HUSH_TOKEN, when set, wins over the saved login):
  login                sign in (password, --github-token-stdin, or --role-id for a machine) and
                       save the session, renewed while it may be (hush login --help)
  logout               end the saved session and remove it
  secret put|get|list|versions|delete|undelete|destroy|metadata
                       secrets by name, with versions (hush secret --help)
  run --secret <name>[,…] -- <command…>
                       run a command with the secrets' keys as environment variables; exits
                       with its code (128+N after signal N, 127 not found, 126 not runnable)
  export <name…>       print the secrets' keys: --format dotenv (default), shell or json
  import <name> --from <file|->
                       write a .env or .json file's keys as the secret's new version
  policy list|add|remove
                       path policies, for admins (hush policy --help)
  machine create|list|show|delete|secret-id
                       machine identities and their secret_ids (admin; hush machine --help)
  webhook add|list|deliveries|remove
                       webhook endpoints told of your shares and requests (hush webhook --help)

Run a server (reads the HUSH_* settings and ./.env, see docs/configuration.md; all but serve
log to stderr, so their stdout is only their answer):
  serve                serve the API and the web page (what \`hush\` alone does)
  migrate              apply database migrations and exit
  user create|list|delete
                       accounts on this server's storage (hush user --help)
  keys rotate|rewrap   the secret store's keyring (hush keys --help)

  hush help <command>, or hush <command> --help, shows a command's options; hush --version.

Exit codes:
  0    done
  1    the service refused: gone, a wrong passphrase or password, a dead token, too large, its error
  2    usage: an unknown command, bad flags, a bad link, unusable input (empty, not UTF-8), no
       terminal for a passphrase or password, passwords that differ, not signed in (or the saved
       login expired); for server commands: invalid configuration, or an address (HUSH_HOST,
       HUSH_PORT) that cannot be listened on
  3    cannot reach the server: network failure, timeout, HTTP 502/503/504
  4    local failure: a file or stream cannot be read or written; the link's key does not open it
  130  cancelled at a passphrase or password prompt
`;

const SERVE_USAGE = `usage: hush serve
  Serves the API and the web page with the HUSH_* settings (see docs/configuration.md) until
  SIGTERM or SIGINT, then drains requests. \`hush\` without a command does the same.
`;
const MIGRATE_USAGE = `usage: hush migrate
  Applies the database migrations of this version and exits (needed when HUSH_MIGRATE_ON_START=false).
`;

type Run = (args: readonly string[]) => Promise<number>;
const CLIENT_COMMANDS: Record<string, { run: Run; usage: string }> = {
  share: { run: runShareCommand, usage: SHARE_USAGE },
  reveal: { run: runRevealCommand, usage: REVEAL_USAGE },
  receipt: { run: runReceiptCommand, usage: RECEIPT_USAGE },
  burn: { run: runBurnCommand, usage: BURN_USAGE },
  shares: { run: runSharesCommand, usage: SHARES_USAGE },
  request: { run: runRequestCommand, usage: REQUEST_USAGE },
  respond: { run: runRespondCommand, usage: RESPOND_USAGE },
  token: { run: runTokenCommand, usage: TOKEN_USAGE },
  login: { run: runLoginCommand, usage: LOGIN_USAGE },
  logout: { run: runLogoutCommand, usage: LOGOUT_USAGE },
  secret: { run: runSecretCommand, usage: SECRET_USAGE },
  policy: { run: runPolicyCommand, usage: POLICY_USAGE },
  run: { run: runRunCommand, usage: RUN_USAGE },
  export: { run: runExportCommand, usage: EXPORT_USAGE },
  import: { run: runImportCommand, usage: IMPORT_USAGE },
  machine: { run: runMachineCommand, usage: MACHINE_USAGE },
  webhook: { run: runWebhookCommand, usage: WEBHOOK_USAGE },
};
const SERVER_COMMANDS: readonly string[] = ['serve', 'migrate', 'user', 'keys'] satisfies ServerCommand[];
/** What a mistyped command is compared with (`--verison` is meant as `--version` too). */
const KNOWN = [...Object.keys(CLIENT_COMMANDS), ...SERVER_COMMANDS, 'help', '--help', '--version'];

const print = (text: string, code: number = EXIT.ok) => {
  (code === EXIT.ok ? process.stdout : process.stderr).write(text);
  return code;
};

/**
 * The `hush` command line: resolves with the exit code (undefined while serving). Client commands
 * run before, and without, the server's configuration: a shell's HUSH_* settings do not concern them.
 */
export async function runCli(argv: readonly string[]): Promise<number | undefined> {
  const [command = 'serve', ...args] = argv;
  if (command === '--help' || command === '-h') return print(USAGE);
  if (command === 'help') return args[0] === undefined ? print(USAGE) : help(args[0]);
  if (command === '--version' || command === '-v') return print(`hush ${version()}\n`);
  const client = Object.hasOwn(CLIENT_COMMANDS, command) ? CLIENT_COMMANDS[command] : undefined;
  if (client) return client.run(args);
  if (!SERVER_COMMANDS.includes(command)) return print(unknownCommandMessage(command, KNOWN), EXIT.usage);
  if (args.includes('--help') || args.includes('-h')) return help(command);
  if ((command === 'serve' || command === 'migrate') && args.length > 0) {
    return print(`hush: ${command} takes no arguments\n${await usageOf(command)}`, EXIT.usage);
  }
  // Loaded only here: the server's modules (Fastify, drivers) are not needed to share a secret.
  const { runServerCommand } = await import('./server-command.js');
  return runServerCommand(command as ServerCommand, args);
}

async function help(command: string): Promise<number> {
  const usage = await usageOf(command);
  return usage === undefined ? print(unknownCommandMessage(command, KNOWN), EXIT.usage) : print(usage);
}

async function usageOf(command: string): Promise<string | undefined> {
  if (command === 'serve') return SERVE_USAGE;
  if (command === 'migrate') return MIGRATE_USAGE;
  if (command === 'user') return (await import('./user-command.js')).USER_USAGE;
  if (command === 'keys') return (await import('./keys-command.js')).KEYS_USAGE;
  return CLIENT_COMMANDS[command]?.usage;
}

function version(): string {
  // dist/cli/cli.js and src/cli/cli.ts both sit two levels below package.json.
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
