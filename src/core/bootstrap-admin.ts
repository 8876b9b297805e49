import type { Logger } from 'pino';
import type { UserService } from '../auth/user-service.js';
import { normalizeUsername } from '../auth/user-validation.js';
import { type Config, ConfigError } from '../config/config.js';
import { HushError } from '../errors/hush-error.js';

/** Creates the first admin from HUSH_BOOTSTRAP_ADMIN_* when no admin exists yet (at serve start). */
export async function bootstrapAdmin(config: Config, users: UserService, logger: Logger): Promise<void> {
  if (!config.bootstrapAdmin) return;
  const { username, password } = config.bootstrapAdmin;
  try {
    if (await users.bootstrapAdmin(username, password)) {
      logger.warn(
        { username: normalizeUsername(username) },
        'created the first admin account (HUSH_BOOTSTRAP_ADMIN_*)',
      );
    }
  } catch (error) {
    // A username or password the account rules refuse is a configuration error (exit 2).
    if (error instanceof HushError && error.code === 'invalid_user') {
      throw new ConfigError([`HUSH_BOOTSTRAP_ADMIN_*: ${error.message}`]);
    }
    throw error;
  }
}
