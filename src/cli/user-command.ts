import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { unknownCommandMessage } from './suggest.js';
import { runUserCreateCommand } from './user-create-command.js';
import { runUserDeleteCommand } from './user-delete-command.js';
import { runUserListCommand } from './user-list-command.js';
import { USER_USAGE, userUsageError } from './user-usage.js';

export { USER_USAGE } from './user-usage.js';

export type UserAction = (args: readonly string[], config: Config, logger: Logger) => Promise<number>;

const ACTIONS: Record<string, UserAction> = {
  create: runUserCreateCommand,
  list: runUserListCommand,
  delete: runUserDeleteCommand,
};

/** `hush user create|list|delete …`: returns the exit code. */
export async function runUserCommand(
  args: readonly string[],
  config: Config,
  logger: Logger,
): Promise<number> {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  if (action === undefined) return userUsageError();
  if (!Object.hasOwn(ACTIONS, action)) {
    process.stderr.write(unknownCommandMessage(action, Object.keys(ACTIONS), 'user'));
    return 2;
  }
  return (ACTIONS[action] as UserAction)(rest, config, logger);
}
