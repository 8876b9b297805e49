import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { keyCheckValue, loadMasterKey, MasterKeyError } from '../crypto/master-key.js';
import type { Storage } from '../storage/storage.js';

/**
 * Loads the master key and checks it against the one the database was written with. A wrong or
 * lost key refuses to start: running on would turn every reveal into an error.
 */
export async function openMasterKey(config: Config, storage: Storage, logger: Logger): Promise<Buffer> {
  const stored = await storage.keyCheck.read().catch((error: unknown) => {
    throw new MasterKeyError(
      `cannot read the database's key check (${(error as Error).message}); ` +
        'if migrations are disabled, run `node dist/main.js migrate` first',
    );
  });
  const masterKey = loadMasterKey(config, stored === undefined);
  if (masterKey.origin === 'created') {
    logger.warn(
      { file: masterKey.file },
      'created a new master key file (mode 0600): back it up, shares cannot be read without it',
    );
  } else {
    logger.info({ source: masterKey.origin, file: masterKey.file }, 'master key loaded');
  }
  if (masterKey.tightenedFrom !== undefined) {
    logger.warn(
      { file: masterKey.file, previousMode: masterKey.tightenedFrom },
      'master key file was readable by others: set to mode 0600',
    );
  }
  const check = keyCheckValue(masterKey.key);
  if (stored === undefined) await storage.keyCheck.write(check);
  // Re-read: when two processes start on a fresh file, the first write wins and both must agree.
  const agreed = (await storage.keyCheck.read()) ?? check;
  if (agreed !== check) {
    const source = masterKey.origin === 'env' ? 'HUSH_MASTER_KEY' : masterKey.file;
    const where = config.database ? 'HUSH_DATABASE_URL' : config.sqlitePath;
    throw new MasterKeyError(
      `the master key (${source}) is not the key this database was written with (${where}); ` +
        'restore the original key',
    );
  }
  return masterKey.key;
}
