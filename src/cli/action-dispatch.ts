import { EXIT } from './cli-errors.js';
import { type CliIo, note, write } from './client-command.js';
import { unknownCommandMessage } from './suggest.js';

export type ActionRun = (args: readonly string[], io: CliIo) => Promise<number>;

/** Runs `<command> <action> …`: its help, the action, or the nearest action to a mistyped one. */
export async function dispatchAction(
  command: string,
  actions: Record<string, ActionRun>,
  usage: string,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    await write(io.stdout, usage);
    return EXIT.ok;
  }
  const run = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (run) return run(rest, io);
  if (action !== undefined) {
    await write(io.stderr, unknownCommandMessage(action, Object.keys(actions), command));
    return EXIT.usage;
  }
  await note(io, 'which action?');
  await write(io.stderr, usage);
  return EXIT.usage;
}
