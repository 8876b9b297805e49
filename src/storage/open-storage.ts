import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';

/** Picks the backend from config. SQLite under HUSH_DATA_DIR is the embedded default. */
export function openStorage(config: Config, logger: Logger): Storage {
  logger.info({ file: config.sqlitePath }, 'opening SQLite storage');
  return openSqliteStorage({ file: config.sqlitePath });
}
