import type { KvReadResponse } from '../client/kv-api.js';
import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { secretName, wholeNumber } from './secret-args.js';
import { openKv, SERVER_HELP } from './secret-client.js';
import { printable, textTable } from './text-table.js';

export const SECRET_GET_USAGE = `usage: hush secret get [options] <name>
  Prints a version of the secret <name>: the current one, or --version's.
  On a terminal: its name and version, then a KEY  VALUE table (a value holding a line break or a
  control character is shown JSON-quoted). Piped: the data as one JSON object, {"KEY":"VALUE",…}.

  --field <key>    print only this key's value, exactly as stored (a newline is added only on a
                   terminal, and only when the value does not end with one)
  --version <n>    this version instead of the current one
  --json           print the API's whole answer: {id, name, data, metadata, version, created_at,
                   deleted_at, destroyed, custom_metadata, expires_at}
${SERVER_HELP}
  -h, --help       this help

  PGPASSWORD=$(hush secret get apps/billing/db --field password) psql …
`;

const OPTIONS = { ...CLIENT_OPTIONS, field: { type: 'string' }, version: { type: 'string' } } as const;

/** `hush secret get`: returns the exit code. */
export function runSecretGetCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('secret get', args, OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, SECRET_GET_USAGE);
    const name = secretName(positionals[0]);
    const version = values.version === undefined ? undefined : wholeNumber('--version', values.version, 1);
    if (values.field !== undefined && values.json)
      throw new CliError(EXIT.usage, 'choose --field or --json, not both');
    const { kv, failure } = await openKv(io, values.server);
    const read = await kv.read(name, version).catch(failure({ name, version }));
    if (values.json) return write(io.stdout, `${JSON.stringify(read)}\n`);
    if (values.field !== undefined) return write(io.stdout, fieldOf(read, values.field, io));
    if (!io.stdout.isTTY) return write(io.stdout, `${JSON.stringify(read.data)}\n`);
    await write(io.stdout, describe(read));
  });
}

function fieldOf(read: KvReadResponse, field: string, io: CliIo): string {
  if (!Object.hasOwn(read.data, field)) {
    const keys = Object.keys(read.data).map((key) => JSON.stringify(key));
    throw new CliError(
      EXIT.refused,
      `${read.name} version ${read.version} has no key ${JSON.stringify(field)} (its keys: ${keys.join(', ') || 'none'})`,
    );
  }
  const value = read.data[field] ?? '';
  return io.stdout.isTTY && !value.endsWith('\n') ? `${value}\n` : value;
}

function describe(read: KvReadResponse): string {
  const expiry = read.expires_at ? `, expires ${read.expires_at}` : '';
  const heading = `${printable(read.name)}  version ${read.version}, created ${read.created_at}${expiry}\n`;
  const rows = Object.entries(read.data).map(([key, value]) => [key, value]);
  return rows.length === 0 ? `${heading}(no keys)\n` : `${heading}${textTable(['KEY', 'VALUE'], rows)}`;
}
