import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { secretName, writeSecret } from './env-api.js';
import { importFormat, readKeys } from './env-parse.js';
import { signIn } from './saved-login.js';

export const IMPORT_USAGE = `usage: hush import <name> --from <file|-> [options]
  Writes the keys of a .env or JSON file as one new version of the secret (created if new). The
  new version holds exactly the file's keys: keys of the previous version that the file lacks are
  not kept (hush secret versions shows the old ones).

  --from <file|->     a .env file (read by the dotenv package), or a .json file holding one object
                      of string values; - reads standard input (then --format is needed)
  --format <format>   dotenv or json, when the file's name does not tell (.env, .env.*, *.env,
                      *.json)
  --cas <n>           check-and-set: write only if the secret's current version is n (0: only if
                      it does not exist yet); refused otherwise, and nothing is written
  --server <url>      the hush server (default: the saved login's, as for hush run)
  --json              print the API's answer: {id, name, version, created_at, created, expires_at}
  -h, --help          this help

  Signed in with hush login, or HUSH_TOKEN (scope secrets:write).

  hush import apps/billing/db --from .env.production
  hush export --format json apps/old | hush import apps/new --from - --format json
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  from: { type: 'string' },
  format: { type: 'string' },
  cas: { type: 'string' },
} as const;

/** `hush import`: returns the exit code. */
export function runImportCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('import', args, OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, IMPORT_USAGE);
    const name = secretName(positionals[0] ?? '');
    if (values.from === undefined)
      throw new CliError(EXIT.usage, '--from is needed (see hush import --help)');
    const cas = casFlag(values.cas);
    const format = importFormat(values.from, values.format);
    const keys = await readKeys(values.from, format, io);
    const api = await signIn(io, values.server);
    const written = await writeSecret(api, name, keys, cas);
    if (values.json) return write(io.stdout, `${JSON.stringify(written)}\n`);
    const count = Object.keys(keys).length;
    const made = written.created ? 'created' : 'wrote';
    await note(io, `${made} ${name} version ${written.version} (${count} key${count === 1 ? '' : 's'})`);
  });
}

function casFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text.trim()))) {
    throw new CliError(EXIT.usage, '--cas must be a version number (0: only if the secret does not exist)');
  }
  return Number(text.trim());
}
