import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { withCore } from '../core/with-core.js';
import { isHushError } from '../errors/hush-error.js';
import { CliError } from './cli-errors.js';
import { newAccountPassword } from './new-password-input.js';
import { USER_USAGE, userUsageError } from './user-usage.js';

/** `hush user create …`: makes an account (the first admin, typically); returns the exit code. */
export async function runUserCreateCommand(
  args: readonly string[],
  config: Config,
  logger: Logger,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return userUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  const [username] = positionals;
  if (username === undefined || positionals.length !== 1) return userUsageError();
  let password: string;
  try {
    // Before storage is opened: a refused or cancelled prompt touches nothing.
    password = await newAccountPassword(values['password-file'], username);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`hush: ${error.message}\n`);
    return error.exitCode;
  }
  return withCore(config, logger, async ({ users }) => {
    try {
      const user = await users.create({
        username,
        email: values.email,
        role: values.admin ? 'admin' : 'user',
        password,
      });
      process.stdout.write(`created ${user.role} ${user.username}\n`);
      return 0;
    } catch (error) {
      if (
        isHushError(error) &&
        (error.code === 'invalid_user' ||
          error.code === 'username_taken' ||
          error.code === 'username_confusable')
      ) {
        process.stderr.write(`hush: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  });
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      admin: { type: 'boolean', default: false },
      email: { type: 'string' },
      'password-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
