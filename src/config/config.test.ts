import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const load = (env: Record<string, string>) => loadConfig(env);
const problems = (env: Record<string, string>): readonly string[] => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:8080 with data in ./data', () => {
    const config = load({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.sqlitePath).toBe(path.resolve('data/hush.db'));
    expect(config.masterKeyFile).toBe(path.resolve('data/master.key'));
    expect(config.shares).toMatchObject({
      ttlDefaultSeconds: 86_400,
      ttlMinSeconds: 60,
      ttlMaxSeconds: 2_592_000,
    });
    expect(config.shares.maxBytes).toBe(65_536);
    expect(config.shares.passphraseMaxAttempts).toBe(10);
    expect(config.trustProxy).toBe(false);
    expect(config.sweep).toEqual({ intervalSeconds: 60, batchSize: 100 });
    expect(config.eventRetentionSeconds).toBe(90 * 86_400);
    expect(Object.isFrozen(config.shares)).toBe(true);
  });

  it('reads every HUSH_* setting', () => {
    const config = load({
      HUSH_HOST: '0.0.0.0',
      HUSH_PORT: '9000',
      HUSH_DATA_DIR: '/tmp/hush-x',
      HUSH_PUBLIC_URL: 'https://hush.example.com/',
      HUSH_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      HUSH_LOG_LEVEL: 'warn',
      HUSH_MIGRATE_ON_START: 'false',
      HUSH_SHARE_MAX_VIEWS: '5',
      HUSH_SWEEP_INTERVAL_SECONDS: '5',
      HUSH_SWEEP_BATCH_SIZE: '250',
      HUSH_EVENT_RETENTION_SECONDS: '0',
      HUSH_RATE_LIMIT_MAX: '0',
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(9000);
    expect(config.sqlitePath).toBe('/tmp/hush-x/hush.db');
    expect(config.publicUrl).toBe('https://hush.example.com');
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(config.logLevel).toBe('warn');
    expect(config.migrateOnStart).toBe(false);
    expect(config.shares.maxViews).toBe(5);
    expect(config.sweep).toEqual({ intervalSeconds: 5, batchSize: 250 });
    expect(config.eventRetentionSeconds).toBe(0);
    expect(config.rateLimit.max).toBe(0);
  });

  it('parses trust-proxy forms', () => {
    expect(load({ HUSH_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(load({ HUSH_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(load({ HUSH_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(problems({ HUSH_TRUST_PROXY: 'proxy.local' })[0]).toMatch(/HUSH_TRUST_PROXY/);
    expect(problems({ HUSH_TRUST_PROXY: '10.0.0.0/33' })[0]).toMatch(/10\.0\.0\.0\/33/);
  });

  it('reports every bad setting at once, with clear messages', () => {
    const list = problems({
      HUSH_PORT: 'eighty',
      HUSH_LOG_LEVEL: 'loud',
      HUSH_MIGRATE_ON_START: 'maybe',
      HUSH_SHARE_MAX_VIEWS: '500',
      HUSH_PUBLIC_URL: 'ftp://x',
      HUSH_EVENT_RETENTION_SECONDS: '-1',
    });
    expect(list).toHaveLength(6);
    expect(list.join('\n')).toMatch(/HUSH_PORT must be a whole number/);
    expect(list.join('\n')).toMatch(/HUSH_LOG_LEVEL must be one of/);
    expect(list.join('\n')).toMatch(/HUSH_SHARE_MAX_VIEWS must be between 1 and 100/);
    // A range of seconds is also said in words.
    expect(list.join('\n')).toMatch(
      /HUSH_EVENT_RETENTION_SECONDS must be between 0 \(0 seconds\) and 315360000 \(3650 days\), got -1/,
    );
  });

  it('rejects inconsistent TTL bounds', () => {
    expect(problems({ HUSH_SHARE_TTL_MIN_SECONDS: '100', HUSH_SHARE_TTL_MAX_SECONDS: '50' }).join()).toMatch(
      /must not exceed/,
    );
    expect(problems({ HUSH_SHARE_TTL_DEFAULT_SECONDS: '10' }).join()).toMatch(
      /DEFAULT_SECONDS must lie between/,
    );
  });

  it('refuses the removed HUSH_ADMIN_TOKEN without echoing it', () => {
    const list = problems({ HUSH_ADMIN_TOKEN: 'an-old-admin-token-value-0123456789' });
    expect(list.join()).toMatch(/HUSH_ADMIN_TOKEN is gone: admins sign in with an account/);
    expect(list.join()).not.toContain('an-old-admin-token-value');
  });

  it('rejects unknown HUSH_* variables (typos)', () => {
    expect(problems({ HUSH_PROT: '1' }).join()).toMatch(/unknown setting HUSH_PROT/);
  });

  it('reads PostgreSQL and Redis settings', () => {
    const caFile = path.resolve('package.json'); // any existing file stands in for a CA bundle
    const config = load({
      HUSH_DATABASE_URL: 'postgres://hush:pw@db:5432/hush',
      HUSH_DATABASE_POOL_MAX: '20',
      HUSH_DATABASE_TLS: 'verify-full',
      HUSH_DATABASE_TLS_CA_FILE: caFile,
      HUSH_REDIS_URL: 'redis://cache:6379/1',
      HUSH_SHARE_STORE: 'redis',
    });
    expect(config.database).toMatchObject({ poolMax: 20, tls: 'verify-full', tlsCaFile: caFile });
    expect(config.redis).toMatchObject({ url: 'redis://cache:6379/1', keyPrefix: 'hush:' });
    expect(config.shareStore).toBe('redis');
    expect(load({}).database).toBeUndefined();
    expect(load({}).redis).toBeUndefined();
  });

  it('refuses malformed backend settings without echoing credentials', () => {
    const bad = problems({ HUSH_DATABASE_URL: 'mysql://u:secretpw@h/x' }).join();
    expect(bad).toMatch(/postgres:\/\//);
    expect(bad).not.toContain('secretpw');
    expect(problems({ HUSH_DATABASE_URL: 'not a url secretpw' }).join()).not.toContain('secretpw');
    expect(problems({ HUSH_DATABASE_URL: 'postgres://h/x?sslmode=require' }).join()).toMatch(
      /HUSH_DATABASE_TLS/,
    );
    expect(problems({ HUSH_DATABASE_URL: 'postgres://h/x?sslrootcert=/ca.pem' }).join()).toMatch(
      /HUSH_DATABASE_TLS/,
    );
    const missingCa = { HUSH_DATABASE_URL: 'postgres://h/x', HUSH_DATABASE_TLS: 'verify-full' };
    expect(problems({ ...missingCa, HUSH_DATABASE_TLS_CA_FILE: '/nonexistent/ca.pem' }).join()).toMatch(
      /no such file/,
    );
    expect(problems({ HUSH_DATABASE_URL: 'postgres://h/x', HUSH_DATABASE_POOL_MAX: '1' }).join()).toMatch(
      /HUSH_DATABASE_POOL_MAX must be between 2/,
    );
    expect(problems({ HUSH_REDIS_URL: 'http://x' }).join()).toMatch(/redis:\/\//);
    expect(problems({ HUSH_SHARE_STORE: 'redis' }).join()).toMatch(/needs HUSH_REDIS_URL/);
    expect(problems({ HUSH_SHARE_STORE: 'memcached' }).join()).toMatch(/HUSH_SHARE_STORE/);
  });

  it('takes the bootstrap admin as a pair, never echoing the password', () => {
    const pair = {
      HUSH_BOOTSTRAP_ADMIN_USERNAME: 'ops',
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-secret-pw',
    };
    expect(load(pair).bootstrapAdmin).toEqual({ username: 'ops', password: 'bootstrap-secret-pw' });
    const half = problems({ HUSH_BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-secret-pw' }).join();
    expect(half).toMatch(/go together/);
    expect(half).not.toContain('bootstrap-secret-pw');
  });

  it('turns GitHub sign-in on with the client id and secret, callback from HUSH_PUBLIC_URL', () => {
    expect(load({}).github).toBeUndefined();
    const pair = { HUSH_GITHUB_CLIENT_ID: 'Iv1.abc', HUSH_GITHUB_CLIENT_SECRET: 'github-secret-value' };
    expect(load({ ...pair, HUSH_PUBLIC_URL: 'https://hush.example.com/' }).github).toEqual({
      clientId: 'Iv1.abc',
      clientSecret: 'github-secret-value',
      oauthUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      redirectUrl: 'https://hush.example.com/api/v1/auth/github/callback',
    });
    const enterprise = load({
      ...pair,
      HUSH_GITHUB_OAUTH_URL: 'https://ghe.example.com/',
      HUSH_GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      HUSH_GITHUB_REDIRECT_URL: 'https://login.example.com/api/v1/auth/github/callback',
    }).github;
    expect(enterprise).toMatchObject({
      oauthUrl: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3',
      redirectUrl: 'https://login.example.com/api/v1/auth/github/callback',
    });
  });

  it('refuses half or unusable GitHub settings, never echoing the client secret', () => {
    const half = problems({ HUSH_GITHUB_CLIENT_SECRET: 'github-secret-value' }).join();
    expect(half).toMatch(/HUSH_GITHUB_CLIENT_ID and HUSH_GITHUB_CLIENT_SECRET go together/);
    expect(half).not.toContain('github-secret-value');
    const pair = { HUSH_GITHUB_CLIENT_ID: 'Iv1.abc', HUSH_GITHUB_CLIENT_SECRET: 'github-secret-value' };
    const noCallback = problems(pair).join();
    expect(noCallback).toMatch(/needs HUSH_PUBLIC_URL or HUSH_GITHUB_REDIRECT_URL/);
    expect(noCallback).not.toContain('github-secret-value');
    expect(problems({ ...pair, HUSH_GITHUB_REDIRECT_URL: 'callback' }).join()).toMatch(
      /HUSH_GITHUB_REDIRECT_URL/,
    );
    expect(problems({ HUSH_GITHUB_API_URL: 'ftp://x' }).join()).toMatch(
      /HUSH_GITHUB_API_URL must be an http/,
    );
    expect(problems({ HUSH_GITHUB_OAUTH_URL: 'nope' }).join()).toMatch(/HUSH_GITHUB_OAUTH_URL/);
  });

  it('treats blank values as unset', () => {
    expect(load({ HUSH_PORT: '  ' }).port).toBe(8080);
  });
});
