import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { machineApi, machineName } from './machine-api.js';
import { describeMachine, machineTable } from './machine-format.js';
import { signIn } from './saved-login.js';

const usage = (line: string, what: string, json: string) => `usage: hush machine ${line} [options]
  ${what}

  --server <url>   the hush server (default: the saved login's)
  --json           ${json}
  -h, --help       this help
`;

export const MACHINE_LIST_USAGE = usage(
  'list',
  'Every machine identity: name, role, token and secret_id limits, creation time.',
  'print the API\'s answer: {"machines":[…]}',
);
export const MACHINE_SHOW_USAGE = usage(
  'show <name>',
  'One machine identity: its role_id, role, limits and networks.',
  "print the API's answer (the machine)",
);
export const MACHINE_DELETE_USAGE = usage(
  'delete <name>',
  'Deletes the machine with its secret_ids, policies and sessions: its tokens stop working at once.',
  'print {"deleted":true}',
);

/** `hush machine list`: returns the exit code. */
export function runMachineListCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values } = parseCommandArgs('machine list', args, CLIENT_OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, MACHINE_LIST_USAGE);
    const listed = await machineApi(await signIn(io, values.server)).list();
    await write(io.stdout, values.json ? `${JSON.stringify(listed)}\n` : machineTable(listed.machines));
  });
}

/** `hush machine show <name>`: returns the exit code. */
export function runMachineShowCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('machine show', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, MACHINE_SHOW_USAGE);
    const name = machineName(positionals[0]);
    const machine = await machineApi(await signIn(io, values.server)).get(name);
    await write(io.stdout, values.json ? `${JSON.stringify(machine)}\n` : describeMachine(machine));
  });
}

/** `hush machine delete <name>`: returns the exit code. */
export function runMachineDeleteCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('machine delete', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, MACHINE_DELETE_USAGE);
    const name = machineName(positionals[0]);
    await machineApi(await signIn(io, values.server)).delete(name);
    if (values.json) return write(io.stdout, '{"deleted":true}\n');
    await note(io, `deleted machine ${name}: its secret_ids, policies and sessions with it`);
  });
}
