import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { isHushError } from '../errors/hush-error.js';
import { createHush } from '../server.js';

export const USER_USAGE = `usage: hush user create [--admin] [--email <address>] <username>
  The password is read from standard input (never from an argument, which other users can see):
    printf '%s' "$PASSWORD" | hush user create --admin alice
`;

/** Standard input up to its end, without one trailing newline. */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `hush user create …`: makes an account (the first admin, typically); returns the exit code. */
export async function runUserCommand(
  args: readonly string[],
  config: Config,
  logger: Logger,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    process.stderr.write(`hush: ${(error as Error).message}\n${USER_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  const [action, username] = positionals;
  if (action !== 'create' || username === undefined || positionals.length !== 2) {
    process.stderr.write(USER_USAGE);
    return 2;
  }
  const password = await readPassword();
  const hush = await createHush(config, logger);
  try {
    const user = await hush.users.create({
      username,
      email: values.email,
      role: values.admin ? 'admin' : 'user',
      password,
    });
    process.stdout.write(`created ${user.role} ${user.username}\n`);
    return 0;
  } catch (error) {
    if (isHushError(error) && (error.code === 'invalid_user' || error.code === 'username_taken')) {
      process.stderr.write(`hush: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await hush.close();
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      admin: { type: 'boolean', default: false },
      email: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
