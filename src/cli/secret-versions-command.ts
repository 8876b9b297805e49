import type { KvMetadataResponse, KvVersionInfo } from '../client/kv-api.js';
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
import { secretName, versionList } from './secret-args.js';
import { openKv, SERVER_HELP } from './secret-client.js';
import { textTable } from './text-table.js';

const COMMON = `  --json           print what was done as JSON
${SERVER_HELP}
  -h, --help       this help
`;

export const SECRET_VERSIONS_USAGE = `usage: hush secret versions [options] <name>
  The versions the secret keeps, oldest first: number, when it was written, and its state (live,
  deleted (can be undeleted), destroyed (gone for good), or when it will be deleted by itself).

  --json           print {name, current_version, versions:[{version, created_at, deleted_at,
                   destroyed}]}
${SERVER_HELP}
  -h, --help       this help
`;
export const SECRET_DELETE_USAGE = `usage: hush secret delete [options] <name>
  Soft-deletes the current version, or the --versions given: reading one fails until it is
  undeleted.

  --versions <n,…> these versions instead of the current one
${COMMON}`;
export const SECRET_UNDELETE_USAGE = `usage: hush secret undelete [options] <name> --versions <n,…>
  Brings soft-deleted versions back (destroyed ones stay destroyed).

  --versions <n,…> the versions, e.g. 3 or 1,2
${COMMON}`;
export const SECRET_DESTROY_USAGE = `usage: hush secret destroy [options] <name> --versions <n,…> | --all
  Erases versions' data for good: unlike delete, it cannot be undone.

  --versions <n,…> the versions to erase
  --all            erase the whole secret: every version and its metadata
${COMMON}`;

const VERSION_OPTIONS = { ...CLIENT_OPTIONS, versions: { type: 'string' } } as const;

/** `hush secret versions`: returns the exit code. */
export function runSecretVersionsCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('secret versions', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, SECRET_VERSIONS_USAGE);
    const name = secretName(positionals[0]);
    const { kv, failure } = await openKv(io, values.server);
    const metadata = await kv.metadata(name).catch(failure({ name }));
    if (values.json) {
      const { current_version, versions } = metadata;
      return write(io.stdout, `${JSON.stringify({ name: metadata.name, current_version, versions })}\n`);
    }
    await write(io.stdout, versionTable(metadata));
  });
}

export function versionTable(metadata: KvMetadataResponse, now = Date.now()): string {
  const rows = metadata.versions.map((v) => [
    String(v.version),
    v.created_at,
    `${stateOf(v, now)}${v.version === metadata.current_version ? ' (current)' : ''}`,
  ]);
  return rows.length === 0 ? '(no versions)\n' : textTable(['VERSION', 'CREATED', 'STATE'], rows);
}

function stateOf(version: KvVersionInfo, now: number): string {
  if (version.destroyed) return 'destroyed';
  if (version.deleted_at === null) return 'live';
  return Date.parse(version.deleted_at) > now
    ? `live, deleted at ${version.deleted_at}`
    : `deleted ${version.deleted_at}`;
}

type Action = 'delete' | 'undelete' | 'destroy';
const USAGE_OF: Record<Action, string> = {
  delete: SECRET_DELETE_USAGE,
  undelete: SECRET_UNDELETE_USAGE,
  destroy: SECRET_DESTROY_USAGE,
};
const DONE: Record<Action, string> = { delete: 'deleted', undelete: 'undeleted', destroy: 'destroyed' };

/** `hush secret delete|undelete|destroy`: returns the exit code. */
export function runSecretVersionAction(action: Action, args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const options =
      action === 'destroy'
        ? ({ ...VERSION_OPTIONS, all: { type: 'boolean', default: false } } as const)
        : VERSION_OPTIONS;
    const { values, positionals } = parseCommandArgs(`secret ${action}`, args, options, [1, 1]);
    if (values.help) return write(io.stdout, USAGE_OF[action]);
    const name = secretName(positionals[0]);
    const all = (values as { all?: boolean }).all === true;
    if (all && values.versions !== undefined)
      throw new CliError(EXIT.usage, 'choose --versions or --all, not both');
    const versions = values.versions === undefined ? undefined : versionList(values.versions);
    if (versions === undefined && action !== 'delete' && !all) {
      throw new CliError(EXIT.usage, `--versions is needed (see hush secret ${action} --help)`);
    }
    const { kv, failure } = await openKv(io, values.server);
    const done = failure({ name });
    if (all) await kv.deleteAll(name).catch(done);
    else if (versions === undefined) await kv.deleteLatest(name).catch(done);
    else if (action === 'delete') await kv.deleteVersions(name, versions).catch(done);
    else if (action === 'undelete') await kv.undeleteVersions(name, versions).catch(done);
    else await kv.destroyVersions(name, versions).catch(done);
    const which = all ? 'all' : (versions ?? 'current');
    if (values.json) return write(io.stdout, `${JSON.stringify({ name, [DONE[action]]: which })}\n`);
    const what = all
      ? `${name}: every version and its metadata`
      : versions === undefined
        ? `the current version of ${name}`
        : `${versions.length === 1 ? 'version' : 'versions'} ${versions.join(', ')} of ${name}`;
    await note(io, `${DONE[action]} ${what}`);
  });
}

export const runSecretDeleteCommand = (args: readonly string[], io: CliIo = processIo()) =>
  runSecretVersionAction('delete', args, io);
export const runSecretUndeleteCommand = (args: readonly string[], io: CliIo = processIo()) =>
  runSecretVersionAction('undelete', args, io);
export const runSecretDestroyCommand = (args: readonly string[], io: CliIo = processIo()) =>
  runSecretVersionAction('destroy', args, io);
