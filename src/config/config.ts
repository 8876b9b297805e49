import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigReader } from './config-reader.js';
import { type GithubConfig, readGithubConfig } from './github-config.js';
import { type HttpConfig, readHttpConfig } from './http-config.js';
import { readTlsFiles, type TlsFiles } from './tls.js';
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
  /** Serve HTTPS with this certificate and key (checked at load) instead of plain HTTP. */
  readonly tls: TlsFiles | undefined;
  /** Refuse API calls that did not arrive over HTTPS (directly or from a trusted proxy). */
  readonly requireHttps: boolean;
  /** The first admin account, created at start when no admin exists yet. */
  readonly bootstrapAdmin: { readonly username: string; readonly password: string } | undefined;
  /** GitHub sign-in, when HUSH_GITHUB_CLIENT_ID/SECRET are set. */
  readonly github: GithubConfig | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly migrateOnStart: boolean;
  /** PostgreSQL instead of the embedded SQLite file, when HUSH_DATABASE_URL is set. */
  readonly database: DatabaseConfig | undefined;
  /** Redis, when HUSH_REDIS_URL is set: the rate limiter, the sweeper lock, and shares if chosen. */
  readonly redis: RedisConfig | undefined;
  /** HUSH_BLOB_DIR: where file parts' bytes live as files; undefined keeps them in SQL rows. */
  readonly blobDir: string | undefined;
  /** Where share content lives: the SQL database, or Redis with native expiry. */
  readonly shareStore: 'sql' | 'redis';
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
  /** Connection timeouts and caps, and the /metrics bearer. */
  readonly http: HttpConfig;
}

export interface DatabaseConfig {
  readonly url: string;
  readonly poolMax: number;
  /** A new connection that takes longer fails the request with 503 instead of queueing it. */
  readonly connectTimeoutMs: number;
  /** Bound on any one query, enforced by the client and by the server (statement_timeout). */
  readonly queryTimeoutMs: number;
  readonly tls: 'off' | 'require' | 'verify-full';
  /** PEM CA bundle that signs the server certificate (verify-full), instead of the system's. */
  readonly tlsCaFile: string | undefined;
}

export interface RedisConfig {
  readonly url: string;
  /** Prefix for every key hush writes, so several deployments can share one Redis. */
  readonly keyPrefix: string;
  /** Bound on connecting and on any one command; past it the request fails with 503. */
  readonly timeoutMs: number;
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

  const publicUrl = readPublicUrl(r);
  const trustProxy = parseTrustProxy(r);
  const config: Config = {
    host: r.string('HUSH_HOST', '127.0.0.1'),
    port: r.int('HUSH_PORT', 8080, 0, 65_535),
    dataDir,
    sqlitePath: path.join(dataDir, 'hush.db'),
    masterKey: r.optionalString('HUSH_MASTER_KEY'),
    masterKeyFile: path.resolve(r.string('HUSH_MASTER_KEY_FILE', path.join(dataDir, 'master.key'))),
    publicUrl,
    trustProxy,
    tls: readTlsFiles(r),
    requireHttps: r.bool('HUSH_REQUIRE_HTTPS', false),
    bootstrapAdmin: readBootstrapAdmin(r),
    github: readGithubConfig(r, publicUrl),
    logLevel: r.oneOf('HUSH_LOG_LEVEL', 'info', LOG_LEVELS),
    migrateOnStart: r.bool('HUSH_MIGRATE_ON_START', true),
    database: readDatabase(r),
    redis: readRedis(r),
    blobDir: readBlobDir(r),
    shareStore: r.oneOf('HUSH_SHARE_STORE', 'sql', ['sql', 'redis'] as const),
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
    http: readHttpConfig(r, trustProxy),
  };

  if (config.requireHttps && config.tls === undefined && config.trustProxy === false) {
    // Nothing could ever arrive as HTTPS: every API call would be refused.
    r.fail(
      'HUSH_REQUIRE_HTTPS needs HUSH_TLS_CERT_FILE/HUSH_TLS_KEY_FILE or a HUSH_TRUST_PROXY that sets X-Forwarded-Proto',
    );
  }
  if (config.shareStore === 'redis' && config.redis === undefined) {
    r.fail('HUSH_SHARE_STORE=redis needs HUSH_REDIS_URL');
  }
  refuseAdminToken(r);
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

/** The interim admin bearer of earlier versions: accounts replaced it. Never echo its value. */
function refuseAdminToken(r: ConfigReader): void {
  if (r.optionalString('HUSH_ADMIN_TOKEN') !== undefined) {
    r.fail(
      'HUSH_ADMIN_TOKEN is gone: admins sign in with an account now ' +
        '(HUSH_BOOTSTRAP_ADMIN_USERNAME/PASSWORD or `hush user create --admin`); unset it',
    );
  }
}

function readBootstrapAdmin(r: ConfigReader): Config['bootstrapAdmin'] {
  const username = r.optionalString('HUSH_BOOTSTRAP_ADMIN_USERNAME');
  const password = r.optionalString('HUSH_BOOTSTRAP_ADMIN_PASSWORD');
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined) {
    r.fail('HUSH_BOOTSTRAP_ADMIN_USERNAME and HUSH_BOOTSTRAP_ADMIN_PASSWORD go together');
    return undefined;
  }
  // The account rules (username shape, password length) are checked when it is created.
  return { username, password };
}

function readDatabase(r: ConfigReader): DatabaseConfig | undefined {
  const url = r.optionalString('HUSH_DATABASE_URL');
  const settings: DatabaseConfig = {
    url: url ?? '',
    // At least 2: the sweeper's lock holds one connection for a whole pass.
    poolMax: r.int('HUSH_DATABASE_POOL_MAX', 10, 2, 1000),
    connectTimeoutMs: r.int('HUSH_DATABASE_CONNECT_TIMEOUT_MS', 3000, 100, 600_000),
    queryTimeoutMs: r.int('HUSH_DATABASE_QUERY_TIMEOUT_MS', 5000, 100, 600_000),
    tls: r.oneOf('HUSH_DATABASE_TLS', 'off', ['off', 'require', 'verify-full'] as const),
    tlsCaFile: r.optionalString('HUSH_DATABASE_TLS_CA_FILE'),
  };
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the value: it usually carries a password.
    r.fail('HUSH_DATABASE_URL must be a URL like postgres://user:password@host:5432/hush');
    return undefined;
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    r.fail(`HUSH_DATABASE_URL must start with postgres://, got ${parsed.protocol}//…`);
  }
  if ([...parsed.searchParams.keys()].some((key) => key.startsWith('ssl'))) {
    // One way to say it: the driver reads sslmode differently from libpq, which surprises people.
    r.fail(
      'set TLS with HUSH_DATABASE_TLS (off, require, verify-full) and HUSH_DATABASE_TLS_CA_FILE, ' +
        'not ssl* parameters in HUSH_DATABASE_URL',
    );
  }
  if (settings.tlsCaFile !== undefined && settings.tls !== 'verify-full') {
    r.fail('HUSH_DATABASE_TLS_CA_FILE needs HUSH_DATABASE_TLS=verify-full');
  }
  if (settings.tlsCaFile !== undefined && !existsSync(settings.tlsCaFile)) {
    r.fail(`HUSH_DATABASE_TLS_CA_FILE: no such file ${settings.tlsCaFile}`);
  }
  return settings;
}

function readRedis(r: ConfigReader): RedisConfig | undefined {
  const url = r.optionalString('HUSH_REDIS_URL');
  const keyPrefix = r.string('HUSH_REDIS_KEY_PREFIX', 'hush:');
  const timeoutMs = r.int('HUSH_REDIS_TIMEOUT_MS', 2000, 100, 600_000);
  if (url === undefined) return undefined;
  try {
    const { protocol } = new URL(url);
    if (protocol !== 'redis:' && protocol !== 'rediss:') {
      r.fail(`HUSH_REDIS_URL must start with redis:// or rediss://, got ${protocol}//…`);
    }
  } catch {
    r.fail('HUSH_REDIS_URL must be a URL like redis://:password@host:6379/0');
  }
  return { url, keyPrefix, timeoutMs };
}

/**
 * A misspelt setting would otherwise be ignored without a word. HUSH_URL, HUSH_TOKEN and
 * HUSH_CONFIG_DIR are the CLI's settings (src/cli): a shell that carries them may still run `hush serve`.
 */
function rejectUnknownSettings(r: ConfigReader, env: NodeJS.ProcessEnv): void {
  r.seen.add('HUSH_URL');
  r.seen.add('HUSH_TOKEN');
  r.seen.add('HUSH_CONFIG_DIR');
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

/** HUSH_BLOB_DIR: a directory (resolved to an absolute path); unset keeps the bytes in SQL. */
function readBlobDir(r: ConfigReader): string | undefined {
  const dir = r.optionalString('HUSH_BLOB_DIR');
  return dir === undefined ? undefined : path.resolve(dir);
}
