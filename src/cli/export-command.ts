import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { readSecrets, secretNames } from './env-api.js';
import { EXPORT_FORMATS, type ExportFormat, formatVariables } from './env-format.js';
import { mergeSecrets } from './env-names.js';
import { signIn } from './saved-login.js';

export const EXPORT_USAGE = `usage: hush export <name>… [options]
  Prints the keys of the secrets' latest versions, read all at once, on stdout: to load into a
  shell, to hand to a tool that reads .env files, or to keep elsewhere. A key in two secrets is
  refused. What it prints holds the values: mind where stdout goes.

  --format <format>   dotenv (default): KEY="value" lines, read back exactly by the dotenv package
                      (line breaks as \\n; a value with " in single quotes);
                      shell: export KEY='value' lines, for eval or source in sh, bash and zsh
                      (unchecked: a secret's PATH, LD_PRELOAD or BASH_ENV lands in that shell, see
                      hush run --help);
                      json: one object {"KEY":"value",…}
  --json              the same as --format json
  --server <url>      the hush server (default: the saved login's, as for hush run)
  -h, --help          this help

  dotenv and shell need keys that are variable names; json takes any key. Signed in with
  hush login, or HUSH_TOKEN (scope secrets:read).

  hush export apps/billing/db > .env
  eval "$(hush export --format shell apps/billing/db)"
`;

const OPTIONS = { ...CLIENT_OPTIONS, format: { type: 'string' } } as const;

/** `hush export`: returns the exit code. */
export function runExportCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('export', args, OPTIONS, [1, Number.MAX_SAFE_INTEGER]);
    if (values.help) return write(io.stdout, EXPORT_USAGE);
    const format = exportFormat(values.format, values.json);
    const names = secretNames(positionals);
    const api = await signIn(io, values.server);
    const variables = mergeSecrets(await readSecrets(api, names), { envNames: format !== 'json' });
    await write(io.stdout, formatVariables(format, variables));
  });
}

function exportFormat(flag: string | undefined, json: boolean): ExportFormat {
  if (flag === undefined) return json ? 'json' : 'dotenv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(flag)) {
    throw new CliError(EXIT.usage, `--format must be ${EXPORT_FORMATS.join(', ')}`);
  }
  if (json && flag !== 'json') throw new CliError(EXIT.usage, `--json and --format ${flag} disagree`);
  return flag as ExportFormat;
}
