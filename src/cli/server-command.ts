import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import { MasterKeyError } from '../crypto/master-key.js';
import { HushError } from '../errors/hush-error.js';
import { createLogger } from '../logging/logger.js';
import { startServer } from '../server.js';
import { openSqlStorage } from '../storage/open-storage.js';
import { runKeysCommand } from './keys-command.js';
import { listenFailure } from './listen-failure.js';
import { runUserCommand } from './user-command.js';

export type ServerCommand = 'serve' | 'migrate' | 'user' | 'keys';

/**
 * The commands that run on the server's own configuration (HUSH_* variables, and `.env` in the
 * working directory). Resolves with the exit code, or undefined while serving. A configuration
 * error, or an address it names that cannot be listened on, exits with 2; storage that does not
 * answer at start with 1.
 */
export async function runServerCommand(
  command: ServerCommand,
  args: readonly string[],
): Promise<number | undefined> {
  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const config = loadConfig();
    // `serve` logs JSON lines on stdout, where collectors read them. For the other commands stdout
    // is their answer (`hush user list --json | jq`), so their logs go to stderr.
    const logger = createLogger(config.logLevel, command === 'serve' ? undefined : process.stderr);
    if (command === 'migrate') return await migrate(config, logger);
    if (command === 'keys') return await runKeysCommand(args, config, logger);
    if (command === 'user') return await runUserCommand(args, config, logger);
    await serve(config, logger);
    return undefined;
  } catch (error) {
    return exitOnStartFailure(error);
  }
}

async function migrate(config: Config, logger: Logger): Promise<number> {
  // Migrations touch only the SQL database: Redis need not be up for them.
  const storage = openSqlStorage(config, logger);
  try {
    await storage.migrate();
  } finally {
    await storage.close();
  }
  logger.info('migrations applied');
  return 0;
}

/** Serves until SIGTERM or SIGINT, then drains requests within the shutdown timeout. */
async function serve(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, logger);
  // pino writes stdout asynchronously: flush before exiting, or the last lines are lost.
  const exit = (code: number) => logger.flush(() => process.exit(code));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      exit(1);
    }, config.shutdownTimeoutSeconds * 1000);
    force.unref();
    server.close().then(
      () => {
        logger.info('shutdown complete');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ errName: (error as Error).name }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Ends the process at once: pools and timers opened before the failure must not keep it alive. */
function exitOnStartFailure(error: unknown): never {
  if (error instanceof ConfigError || error instanceof MasterKeyError) {
    process.stderr.write(`hush: ${error.message}\n`);
    process.exit(2);
  }
  const listen = listenFailure(error);
  if (listen !== undefined) {
    process.stderr.write(`hush: ${listen}\n`);
    process.exit(2);
  }
  if (error instanceof HushError && error.code === 'unavailable') {
    // A driver's connection error names host and port (never the URL's password).
    const cause = error.cause as { code?: string; message?: string } | undefined;
    process.stderr.write(
      `hush: PostgreSQL or Redis did not answer at start (${cause?.code ?? ''} ${cause?.message ?? ''}); ` +
        'check HUSH_DATABASE_URL / HUSH_REDIS_URL and that the server is up\n',
    );
    process.exit(1);
  }
  // An operator's bug report needs the stack; client commands never get here.
  process.stderr.write(`hush: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
