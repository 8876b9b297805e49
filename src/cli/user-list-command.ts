import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { User } from '../auth/user-types.js';
import type { Config } from '../config/config.js';
import { withCore } from '../core/with-core.js';
import { toUserResponse } from '../http/surfaces/native/users.js';
import { USER_USAGE, userUsageError } from './user-usage.js';

const PAGE = 500;

/** `hush user list [--json]`: every account, never a password hash; returns the exit code. */
export async function runUserListCommand(
  args: readonly string[],
  config: Config,
  logger: Logger,
): Promise<number> {
  let values: { json: boolean; help: boolean };
  try {
    const parsed = parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values;
  } catch (error) {
    return userUsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  return withCore(config, logger, async ({ users: service }) => {
    const users: User[] = [];
    let total = 0;
    do {
      const page = await service.list(users.length, PAGE);
      total = page.total;
      users.push(...page.users);
      if (page.users.length === 0) break;
    } while (users.length < total);
    process.stdout.write(
      values.json ? `${JSON.stringify({ total, users: users.map(toUserResponse) })}\n` : table(users),
    );
    return 0;
  });
}

function table(users: readonly User[]): string {
  const rows = [
    ['USERNAME', 'ROLE', 'EMAIL', 'CREATED'],
    ...users.map((u) => [u.username, u.role, u.email ?? '-', u.createdAt.toISOString()]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const lines = rows.map((row) =>
    row.map((cell, column) => (column < 3 ? cell.padEnd((widths[column] ?? 0) + 2) : cell)).join(''),
  );
  return `${lines.join('\n')}\n`;
}
