import type { KvMetadataBody, KvMetadataResponse } from '../client/kv-api.js';
import { humanDuration } from '../format/human-duration.js';
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
import { parseDuration } from './duration.js';
import { secretName, wholeNumber } from './secret-args.js';
import { openKv, SERVER_HELP } from './secret-client.js';
import { printable } from './text-table.js';

export const SECRET_METADATA_USAGE = `usage: hush secret metadata [options] <name>
  Shows the secret's settings and versions (never its data); with a setting flag, changes it
  first (then shows the result).

  --max-versions <n>
                   versions to keep; older ones are erased on write (0: the server's
                   secrets.max_versions setting)
  --cas-required   every write must then give --cas; --no-cas-required lifts it
  --delete-after <duration>
                   versions are soft-deleted this long after they are written: 30d, 12h,
                   3600 (0: never)
  --custom <key=value>
                   labels about the secret, shown to whoever may read it (not secret);
                   repeatable; replaces every label it had
  --json           print the API's answer: {id, name, current_version, oldest_version,
                   created_at, updated_at, expires_at, max_versions, cas_required,
                   delete_version_after_seconds, custom_metadata, versions}
${SERVER_HELP}
  -h, --help       this help

  hush secret metadata apps/billing/db --max-versions 5 --cas-required
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  'max-versions': { type: 'string' },
  'cas-required': { type: 'boolean' },
  'no-cas-required': { type: 'boolean' },
  'delete-after': { type: 'string' },
  custom: { type: 'string', multiple: true },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

/** `hush secret metadata`: returns the exit code. */
export function runSecretMetadataCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('secret metadata', args, OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, SECRET_METADATA_USAGE);
    const name = secretName(positionals[0]);
    const changes = settingsOf(values);
    const { kv, failure } = await openKv(io, values.server);
    const metadata = await (changes ? kv.setMetadata(name, changes) : kv.metadata(name)).catch(
      failure({ name }),
    );
    if (values.json) return write(io.stdout, `${JSON.stringify(metadata)}\n`);
    if (changes) await note(io, `changed the settings of ${name}`);
    await write(io.stdout, describe(metadata));
  });
}

/** The settings the flags change, or undefined when they change none. */
export function settingsOf(values: Values): KvMetadataBody | undefined {
  if (values['cas-required'] && values['no-cas-required']) {
    throw new CliError(EXIT.usage, 'choose --cas-required or --no-cas-required, not both');
  }
  const body: KvMetadataBody = {
    max_versions:
      values['max-versions'] === undefined
        ? undefined
        : wholeNumber('--max-versions', values['max-versions'], 0),
    cas_required: values['cas-required'] ? true : values['no-cas-required'] ? false : undefined,
    delete_version_after_seconds:
      values['delete-after'] === undefined ? undefined : deleteAfter(values['delete-after']),
    custom_metadata: values.custom === undefined ? undefined : labels(values.custom),
  };
  return Object.values(body).some((value) => value !== undefined) ? body : undefined;
}

function deleteAfter(text: string): number {
  if (text.trim() === '0') return 0;
  const seconds = parseDuration(text);
  if (seconds === undefined)
    throw new CliError(EXIT.usage, '--delete-after must be a duration like 30d, 12h or 3600, or 0');
  return seconds;
}

function labels(pairs: readonly string[]): Record<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new CliError(EXIT.usage, '--custom takes key=value');
    const key = pair.slice(0, equals);
    if (map.has(key)) throw new CliError(EXIT.usage, `--custom gives ${JSON.stringify(key)} twice`);
    map.set(key, pair.slice(equals + 1));
  }
  return Object.fromEntries(map);
}

function describe(m: KvMetadataResponse): string {
  const deleted = m.versions.filter((v) => v.deleted_at !== null && !v.destroyed).length;
  const destroyed = m.versions.filter((v) => v.destroyed).length;
  const custom = Object.entries(m.custom_metadata).map(([key, value]) => `${key}=${value}`);
  const lines = [
    ['name', m.name],
    ['id', m.id],
    ['current version', String(m.current_version)],
    ['oldest version', String(m.oldest_version)],
    ['versions kept', `${m.versions.length} (${deleted} deleted, ${destroyed} destroyed)`],
    ['created', m.created_at],
    ['updated', m.updated_at],
    ['expires', m.expires_at ?? 'never'],
    ['max versions', m.max_versions === 0 ? "0 (the server's setting)" : String(m.max_versions)],
    ['cas required', m.cas_required ? 'yes' : 'no'],
    [
      'delete after',
      m.delete_version_after_seconds === 0 ? 'never' : humanDuration(m.delete_version_after_seconds),
    ],
    ['custom', custom.length === 0 ? 'none' : custom.join(', ')],
  ];
  return lines.map(([label, value]) => `${`${label}:`.padEnd(17)}${printable(value ?? '')}\n`).join('');
}
