import { CliError, EXIT } from './cli-errors.js';
import { CLIENT_OPTIONS, type CliIo, note, parseCommandArgs, runClient, write } from './client-command.js';
import { machineApi, machineName } from './machine-api.js';
import { countFlag, durationFlag } from './machine-create-command.js';
import { secretIdTable } from './machine-format.js';
import { signIn } from './saved-login.js';
import { unknownCommandMessage } from './suggest.js';

export const MACHINE_SECRET_ID_USAGE = `usage: hush machine secret-id create|list|revoke <name> [options]
  A machine's secret_ids: each signs the machine in (with its role_id) until it expires, is used
  up or is revoked. The server keeps only a hash of it, so it is shown once, when created.

  create <name>              prints the new secret_id alone on stdout, its accessor on stderr
    --ttl <duration>         its lifetime: 3600, 30m, 1h, 2d (default and limit: the machine's)
    --uses <n>               sign-ins it allows (default and limit: the machine's)
    --cidr <network>         sign-ins only from this network, within the machine's (repeatable)
    --json                   print the API's answer: {secret_id, accessor, created_at,
                             expires_at, uses_left, cidrs, metadata}
  list <name>                the live secret_ids by accessor (never the secret_id itself);
                             --json: {"secret_ids":[…]}
  revoke <name> <accessor>   that secret_id stops signing in; --json: {"revoked":true}

  Each takes --server <url> (default: the saved login's) and -h, --help.

  hush machine secret-id create ci --ttl 1d --uses 1 > ci.secret-id
`;

const CREATE_OPTIONS = {
  ...CLIENT_OPTIONS,
  ttl: { type: 'string' },
  uses: { type: 'string' },
  cidr: { type: 'string', multiple: true },
} as const;

type Run = (args: readonly string[], io: CliIo) => Promise<number>;
const ACTIONS: Record<string, Run> = { create, list, revoke };

/** `hush machine secret-id <action>`: returns the exit code. */
export async function runMachineSecretIdCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    await write(io.stdout, MACHINE_SECRET_ID_USAGE);
    return EXIT.ok;
  }
  const run = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (run) return run(rest, io);
  if (action !== undefined) {
    await write(io.stderr, unknownCommandMessage(action, Object.keys(ACTIONS), 'machine secret-id'));
    return EXIT.usage;
  }
  await note(io, 'which action?');
  await write(io.stderr, MACHINE_SECRET_ID_USAGE);
  return EXIT.usage;
}

function create(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('machine secret-id', args, CREATE_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, MACHINE_SECRET_ID_USAGE);
    const name = machineName(positionals[0]);
    const body = {
      ttl_seconds: durationFlag('--ttl', values.ttl),
      num_uses: countFlag('--uses', values.uses),
      cidrs: values.cidr,
    };
    const issued = await machineApi(await signIn(io, values.server)).createSecretId(name, body);
    if (typeof issued.secret_id !== 'string' || typeof issued.accessor !== 'string') {
      throw new CliError(EXIT.refused, 'the server did not answer like a hush server');
    }
    if (values.json) return write(io.stdout, `${JSON.stringify(issued)}\n`);
    await write(io.stdout, `${issued.secret_id}\n`);
    const uses =
      issued.uses_left === null
        ? 'unlimited uses'
        : `${issued.uses_left} use${issued.uses_left === 1 ? '' : 's'}`;
    await note(
      io,
      `secret_id for ${name} (shown once): accessor ${issued.accessor}, ${uses}, ` +
        `expires ${issued.expires_at ?? 'never'}`,
    );
  });
}

function list(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('machine secret-id', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, MACHINE_SECRET_ID_USAGE);
    const name = machineName(positionals[0]);
    const listed = await machineApi(await signIn(io, values.server)).listSecretIds(name);
    await write(io.stdout, values.json ? `${JSON.stringify(listed)}\n` : secretIdTable(listed.secret_ids));
  });
}

function revoke(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('machine secret-id', args, CLIENT_OPTIONS, [2, 2]);
    if (values.help) return write(io.stdout, MACHINE_SECRET_ID_USAGE);
    const name = machineName(positionals[0]);
    const accessor = positionals[1] ?? '';
    if (!/^[\x21-\x7e]{1,256}$/.test(accessor)) throw new CliError(EXIT.usage, 'that is not an accessor');
    await machineApi(await signIn(io, values.server)).revokeSecretId(name, accessor);
    if (values.json) return write(io.stdout, '{"revoked":true}\n');
    await note(io, `revoked the secret_id ${accessor} of ${name}`);
  });
}
