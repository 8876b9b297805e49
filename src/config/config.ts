import path from 'node:path';
import { ConfigReader } from './config-reader.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The whole configuration of a hush process, read once from HUSH_* variables and then frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Path of the SQLite database file (embedded default). */
  readonly sqlitePath: string;
  readonly masterKey: string | undefined;
  readonly masterKeyFile: string;
  readonly publicUrl: string | undefined;
  readonly trustProxy: TrustProxy;
  readonly adminToken: string | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly migrateOnStart: boolean;
  readonly shares: {
    readonly ttlDefaultSeconds: number;
    readonly ttlMinSeconds: number;
    readonly ttlMaxSeconds: number;
    readonly maxBytes: number;
    readonly maxViews: number;
    readonly passphraseMaxAttempts: number;
    readonly retentionSeconds: number;
  };
  readonly sweep: { readonly intervalSeconds: number; readonly batchSize: number };
  /** How long audit events (client IPs, user agents) are kept; 0 keeps them forever. */
  readonly eventRetentionSeconds: number;
  readonly rateLimit: { readonly max: number; readonly windowSeconds: number };
  readonly shutdownTimeoutSeconds: number;
}

/** Thrown when HUSH_* settings are invalid; `problems` lists every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DAY = 86_400;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = new ConfigReader(env);
  const dataDir = path.resolve(r.string('HUSH_DATA_DIR', './data'));
  const ttlMinSeconds = r.int('HUSH_SHARE_TTL_MIN_SECONDS', 60, 1, 365 * DAY);
  const ttlMaxSeconds = r.int('HUSH_SHARE_TTL_MAX_SECONDS', 30 * DAY, 1, 365 * DAY);
  const ttlDefaultSeconds = r.int('HUSH_SHARE_TTL_DEFAULT_SECONDS', DAY, 1, 365 * DAY);
  if (ttlMinSeconds > ttlMaxSeconds)
    r.fail('HUSH_SHARE_TTL_MIN_SECONDS must not exceed HUSH_SHARE_TTL_MAX_SECONDS');
  if (ttlDefaultSeconds < ttlMinSeconds || ttlDefaultSeconds > ttlMaxSeconds) {
    r.fail('HUSH_SHARE_TTL_DEFAULT_SECONDS must lie between the TTL minimum and maximum');
  }

  const config: Config = {
    host: r.string('HUSH_HOST', '127.0.0.1'),
    port: r.int('HUSH_PORT', 8080, 0, 65_535),
    dataDir,
    sqlitePath: path.join(dataDir, 'hush.db'),
    masterKey: r.optionalString('HUSH_MASTER_KEY'),
    masterKeyFile: path.resolve(r.string('HUSH_MASTER_KEY_FILE', path.join(dataDir, 'master.key'))),
    publicUrl: readPublicUrl(r),
    trustProxy: parseTrustProxy(r),
    adminToken: readAdminToken(r),
    logLevel: r.oneOf('HUSH_LOG_LEVEL', 'info', LOG_LEVELS),
    migrateOnStart: r.bool('HUSH_MIGRATE_ON_START', true),
    shares: {
      ttlDefaultSeconds,
      ttlMinSeconds,
      ttlMaxSeconds,
      maxBytes: r.int('HUSH_SHARE_MAX_BYTES', 64 * 1024, 1, 1024 * 1024),
      maxViews: r.int('HUSH_SHARE_MAX_VIEWS', 100, 1, 100),
      passphraseMaxAttempts: r.int('HUSH_PASSPHRASE_MAX_ATTEMPTS', 10, 1, 100),
      retentionSeconds: r.int('HUSH_RETENTION_SECONDS', 30 * DAY, 0, 3650 * DAY),
    },
    sweep: {
      intervalSeconds: r.int('HUSH_SWEEP_INTERVAL_SECONDS', 60, 1, DAY),
      // Each batch runs synchronously on the event loop (with secure_delete, 500 shares of 64 KiB
      // took ~120 ms); 100 keeps a batch's stall short, and the sweeper yields between batches.
      batchSize: r.int('HUSH_SWEEP_BATCH_SIZE', 100, 1, 10_000),
    },
    eventRetentionSeconds: r.int('HUSH_EVENT_RETENTION_SECONDS', 90 * DAY, 0, 3650 * DAY),
    rateLimit: {
      max: r.int('HUSH_RATE_LIMIT_MAX', 300, 0, 1_000_000_000),
      windowSeconds: r.int('HUSH_RATE_LIMIT_WINDOW_SECONDS', 60, 1, DAY),
    },
    shutdownTimeoutSeconds: r.int('HUSH_SHUTDOWN_TIMEOUT_SECONDS', 10, 1, 600),
  };

  rejectUnsupportedBackends(r);
  rejectUnknownSettings(r, env);
  if (r.errors.length > 0) throw new ConfigError(r.errors);
  return deepFreeze(config);
}

function readPublicUrl(r: ConfigReader): string | undefined {
  const value = r.optionalString('HUSH_PUBLIC_URL');
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.href.replace(/\/+$/, '');
  } catch {
    r.fail(`HUSH_PUBLIC_URL must be an http(s) URL, got "${value}"`);
    return undefined;
  }
}

function readAdminToken(r: ConfigReader): string | undefined {
  const value = r.optionalString('HUSH_ADMIN_TOKEN');
  if (value !== undefined && value.length < 32) {
    // Never echo the value: it is a credential.
    r.fail('HUSH_ADMIN_TOKEN must be at least 32 characters (try: openssl rand -base64 32)');
  }
  return value;
}

/** PostgreSQL and Redis backends are not built yet; refuse rather than silently use SQLite. */
function rejectUnsupportedBackends(r: ConfigReader): void {
  if (r.optionalString('HUSH_DATABASE_URL') !== undefined) {
    r.fail(
      'HUSH_DATABASE_URL is not supported by this version: hush stores data in SQLite under HUSH_DATA_DIR',
    );
  }
  if (r.optionalString('HUSH_REDIS_URL') !== undefined) {
    r.fail('HUSH_REDIS_URL is not supported by this version');
  }
  r.oneOf('HUSH_SHARE_STORE', 'sql', ['sql'] as const);
}

/** A misspelt setting would otherwise be ignored without a word. */
function rejectUnknownSettings(r: ConfigReader, env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(env)) {
    if (name.startsWith('HUSH_') && !r.seen.has(name)) r.fail(`unknown setting ${name}`);
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
