import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { withCore } from '../core/with-core.js';
import { isHushError } from '../errors/hush-error.js';
import { USER_USAGE, userUsageError } from './user-usage.js';

/**
 * `hush user delete <username>`: deletes the account through the user service, which audits
 * user.deleted and ends the account's sessions with it; returns the exit code.
 */
export async function runUserDeleteCommand(
  args: readonly string[],
  config: Config,
  logger: Logger,
): Promise<number> {
  let parsed: { values: { help: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    return userUsageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  const [username] = parsed.positionals;
  if (username === undefined || parsed.positionals.length !== 1) return userUsageError();
  return withCore(config, logger, async ({ users }) => {
    try {
      await users.delete(username);
      process.stdout.write(`deleted ${username}: its sessions and tokens no longer work\n`);
      return 0;
    } catch (error) {
      if (isHushError(error) && error.code === 'not_found') {
        process.stderr.write('hush: no such user\n');
        return 1;
      }
      if (isHushError(error) && error.code === 'last_admin') {
        process.stderr.write(`hush: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  });
}
