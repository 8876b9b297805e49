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
import { secretData, secretName, wholeNumber } from './secret-args.js';
import { openKv, SERVER_HELP } from './secret-client.js';

export const SECRET_PUT_USAGE = `usage: hush secret put [options] <name> KEY=VALUE… | KEY=@file | -
  Stores a new version of the secret <name> (e.g. apps/billing/db) holding these keys, and only
  these: keys of the previous version that are not given are not carried over.

  KEY=VALUE        the value as given; the process list and the shell history show it
  KEY=@file        the file's content, byte for byte (a trailing newline is kept)
  -                a JSON object of strings on stdin: {"user":"billing","password":"…"}
                   KEY=@file and - keep values out of argv; a value starting with @ must come
                   one of these two ways.
  --cas <n>        check-and-set: store only if <n> is the current version (0: only if the
                   secret does not exist yet)
  --ttl <duration> the secret expires after this: 3600, 30m, 1h, 2d, 1w (replaces its expiry)
${SERVER_HELP}
  --json           print the API's answer: {id, name, version, created_at, created, expires_at}
  -h, --help       this help

  hush secret put apps/billing/db user=billing password=@./db-password
  jq -n --arg pw "$PW" '{password: $pw}' | hush secret put apps/billing/db - --cas 3
`;

const OPTIONS = { ...CLIENT_OPTIONS, cas: { type: 'string' }, ttl: { type: 'string' } } as const;

/** `hush secret put`: returns the exit code. */
export function runSecretPutCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('secret put', args, OPTIONS, [
      1,
      Number.MAX_SAFE_INTEGER,
    ]);
    if (values.help) return write(io.stdout, SECRET_PUT_USAGE);
    const [nameArgument, ...items] = positionals;
    const name = secretName(nameArgument);
    const cas = values.cas === undefined ? undefined : wholeNumber('--cas', values.cas, 0);
    const ttlSeconds = values.ttl === undefined ? undefined : parseDuration(values.ttl);
    if (values.ttl !== undefined && ttlSeconds === undefined) {
      throw new CliError(EXIT.usage, '--ttl must be a duration like 3600, 30m, 1h, 2d or 1w');
    }
    const data = await secretData(items, io);
    const { kv, failure } = await openKv(io, values.server);
    const written = await kv
      .write(name, { data, cas, ttl_seconds: ttlSeconds })
      .catch(failure({ name, cas }));
    if (values.json) return write(io.stdout, `${JSON.stringify(written)}\n`);
    const expiry = written.expires_at ? `, expires ${written.expires_at}` : '';
    await note(
      io,
      `stored ${name} version ${written.version}${written.created ? ' (new secret)' : ''}${expiry}`,
    );
  });
}
