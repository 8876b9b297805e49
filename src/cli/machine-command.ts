import { EXIT } from './cli-errors.js';
import { type CliIo, note, processIo, write } from './client-command.js';
import { runMachineCreateCommand } from './machine-create-command.js';
import {
  runMachineDeleteCommand,
  runMachineListCommand,
  runMachineShowCommand,
} from './machine-list-command.js';
import { runMachineSecretIdCommand } from './machine-secret-id-command.js';
import { unknownCommandMessage } from './suggest.js';

export const MACHINE_USAGE = `usage: hush machine create|list|show|delete|secret-id [options]
  Machine identities (AppRole-like): a service or CI job signs in with the machine's role_id and
  one of its secret_ids, and gets an access token with the machine's role and policies. Admins
  only (a token with scope admin, from hush login or HUSH_TOKEN).

  create <name> [options]     a new machine: role, token and secret_id limits, networks, policies
  list                        every machine
  show <name>                 one machine, with its role_id
  delete <name>               the machine, its secret_ids, policies and sessions (its tokens stop)
  secret-id create <name>     a new secret_id: printed once on stdout, its accessor on stderr
  secret-id list <name>       the machine's live secret_ids, by accessor (never the secret_id)
  secret-id revoke <name> <accessor>
                              that secret_id stops signing in

  Every action takes --server <url> (default: the saved login's), --json (the API's answer) and
  --help (its options).

  hush machine create ci --policy 'apps/ci/**=read,list' --token-ttl 15m
  hush machine secret-id create ci --ttl 1d --uses 1 > ci.secret-id
`;

type Run = (args: readonly string[], io: CliIo) => Promise<number>;
const ACTIONS: Record<string, Run> = {
  create: runMachineCreateCommand,
  list: runMachineListCommand,
  show: runMachineShowCommand,
  delete: runMachineDeleteCommand,
  'secret-id': runMachineSecretIdCommand,
};

/** `hush machine <action>`: returns the exit code. */
export async function runMachineCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    await write(io.stdout, MACHINE_USAGE);
    return EXIT.ok;
  }
  const run = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (run) return run(rest, io);
  if (action !== undefined) {
    await write(io.stderr, unknownCommandMessage(action, Object.keys(ACTIONS), 'machine'));
    return EXIT.usage;
  }
  await note(io, 'which action?');
  await write(io.stderr, MACHINE_USAGE);
  return EXIT.usage;
}
