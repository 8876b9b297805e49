import { existsSync } from 'node:fs';
import { runKeysCommand } from './cli/keys-command.js';
import { runUserCommand } from './cli/user-command.js';
import { ConfigError, loadConfig } from './config/config.js';
import { MasterKeyError } from './crypto/master-key.js';
import { HushError } from './errors/hush-error.js';
import { createLogger } from './logging/logger.js';
import { startServer } from './server.js';
import { openSqlStorage } from './storage/open-storage.js';

/**
 * `node dist/main.js` serves; `node dist/main.js migrate` applies migrations and exits;
 * `node dist/main.js user create …` makes an account (src/cli/user-command.ts);
 * `node dist/main.js keys rotate|rewrap` manages the secret store's keyring (src/cli/keys-command.ts).
 * Configuration errors end the process with a readable message and exit code 2.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  if (process.argv[2] === 'migrate') {
    // Migrations touch only the SQL database: Redis need not be up for them.
    const storage = openSqlStorage(config, logger);
    try {
      await storage.migrate();
    } finally {
      await storage.close();
    }
    logger.info('migrations applied');
    return;
  }

  if (process.argv[2] === 'keys') {
    process.exitCode = await runKeysCommand(process.argv.slice(3), config, logger);
    return;
  }

  if (process.argv[2] === 'user') {
    process.exitCode = await runUserCommand(process.argv.slice(3), config, logger);
    return;
  }

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

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MasterKeyError) {
    process.stderr.write(`hush: ${error.message}\n`);
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
  process.stderr.write(`hush: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
