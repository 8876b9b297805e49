import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { makeTestCertificates, type TestCertificates } from './helpers/test-certificate.js';

const HSTS = 'max-age=31536000; includeSubDomains';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

let certs: TestCertificates;
const servers: RunningServer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  certs = await makeTestCertificates();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  certs?.remove();
});

/** A real listening hush on a free port, on a fresh SQLite directory. */
async function serve(env: Record<string, string>): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-https-'));
  dirs.push(dir);
  const config = loadConfig({ HUSH_DATA_DIR: dir, HUSH_PORT: '0', HUSH_RATE_LIMIT_MAX: '0', ...env });
  const server = await startServer(config, createLogger('silent'));
  servers.push(server);
  return server;
}

function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** One HTTPS call that trusts only the test CA. */
function callTls(url: string, method: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest(
      url,
      { method, ca: certs.ca, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function callPlain(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const jsonPost = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('TLS from HUSH_TLS_CERT_FILE / HUSH_TLS_KEY_FILE', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ HUSH_TLS_CERT_FILE: certs.certFile, HUSH_TLS_KEY_FILE: certs.keyFile });
  });

  it('listens on https:// and serves a share create and reveal over TLS, with HSTS', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const created = await callTls(`${server.url}/api/v1/shares`, 'POST', { secret: 'over-tls' });
    expect(created.status).toBe(201);
    expect(created.headers['strict-transport-security']).toBe(HSTS);
    const revealed = await callTls(`${server.url}/api/v1/shares/${created.body.secret_key}/reveal`, 'POST');
    expect(revealed.status).toBe(200);
    expect(revealed.body.secret).toBe('over-tls');
    expect(revealed.headers['strict-transport-security']).toBe(HSTS);
  });

  it('sends HSTS on errors and health answers too', async () => {
    const missing = await callTls(`${server.url}/api/v1/no-such-route`, 'GET');
    expect(missing.status).toBe(404);
    expect(missing.headers['strict-transport-security']).toBe(HSTS);
    const health = await callTls(`${server.url}/healthz`, 'GET');
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe(HSTS);
  });

  it('serves the configured certificate: a client without the test CA refuses it', async () => {
    const untrusting = new Promise((resolve, reject) => {
      httpsRequest(`${server.url}/healthz`, resolve).on('error', reject).end();
    });
    await expect(untrusting).rejects.toThrow(/certificate/i);
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    await expect(fetch(`${server.url.replace('https:', 'http:')}/healthz`)).rejects.toThrow();
  });
});

describe('HUSH_REQUIRE_HTTPS on a plain-HTTP listener', () => {
  let trusting: RunningServer;
  let untrusting: RunningServer;
  beforeAll(async () => {
    // Test calls come from 127.0.0.1: a trusted proxy for one server, a stranger for the other.
    [trusting, untrusting] = await Promise.all([
      serve({ HUSH_REQUIRE_HTTPS: 'true', HUSH_TRUST_PROXY: '127.0.0.1' }),
      serve({ HUSH_REQUIRE_HTTPS: 'true', HUSH_TRUST_PROXY: '10.0.0.1' }),
    ]);
  });

  it('refuses a plain API call with 403 https_required and no HSTS', async () => {
    const answer = await callPlain(`${trusting.url}/api/v1/shares`, jsonPost({ secret: 'x' }));
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'https_required', request_id: expect.any(String) });
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('refuses before body parsing and authentication', async () => {
    const badJson = await callPlain(`${trusting.url}/api/v1/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(badJson.body.error).toBe('https_required');
    const noToken = await callPlain(`${trusting.url}/api/v1/events`);
    expect(noToken.body.error).toBe('https_required');
    const unknown = await callPlain(`${trusting.url}/api/v1/no-such-route`);
    expect(unknown.body.error).toBe('https_required');
  });

  it('keeps /healthz and /readyz reachable over plain HTTP', async () => {
    expect((await callPlain(`${trusting.url}/healthz`)).status).toBe(200);
    expect((await callPlain(`${trusting.url}/readyz`)).status).toBe(200);
    expect((await callPlain(`${trusting.url}/healthz?probe=1`)).status).toBe(200);
  });

  it('allows a call a trusted proxy marks X-Forwarded-Proto: https, and answers with HSTS', async () => {
    const created = await callPlain(
      `${trusting.url}/api/v1/shares`,
      jsonPost({ secret: 'via-proxy' }, { 'x-forwarded-proto': 'https' }),
    );
    expect(created.status).toBe(201);
    expect(created.headers['strict-transport-security']).toBe(HSTS);
    const revealed = await callPlain(`${trusting.url}/api/v1/shares/${created.body.secret_key}/reveal`, {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(revealed.body.secret).toBe('via-proxy');
  });

  it('refuses a trusted proxy that says http', async () => {
    const answer = await callPlain(
      `${trusting.url}/api/v1/shares`,
      jsonPost({ secret: 'x' }, { 'x-forwarded-proto': 'http' }),
    );
    expect(answer.body.error).toBe('https_required');
  });

  it('ignores X-Forwarded-Proto: https from an untrusted peer', async () => {
    const answer = await callPlain(
      `${untrusting.url}/api/v1/shares`,
      jsonPost({ secret: 'x' }, { 'x-forwarded-proto': 'https' }),
    );
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('https_required');
    expect(answer.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('without HUSH_REQUIRE_HTTPS', () => {
  it('serves plain HTTP and sends no HSTS on it', async () => {
    const server = await serve({});
    const created = await callPlain(`${server.url}/api/v1/shares`, jsonPost({ secret: 'plain' }));
    expect(created.status).toBe(201);
    expect(created.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('TLS configuration errors', () => {
  const tlsEnv = (cert: string, key: string) => ({ HUSH_TLS_CERT_FILE: cert, HUSH_TLS_KEY_FILE: key });

  it('needs both files', () => {
    expect(configProblems({ HUSH_TLS_CERT_FILE: certs.certFile })).toMatch(
      /HUSH_TLS_CERT_FILE and HUSH_TLS_KEY_FILE go together/,
    );
    expect(configProblems({ HUSH_TLS_KEY_FILE: certs.keyFile })).toMatch(/go together/);
  });

  it('names a missing file', () => {
    const missing = path.join(certs.dir, 'missing.crt');
    expect(configProblems(tlsEnv(missing, certs.keyFile))).toBe(
      `HUSH_TLS_CERT_FILE: no such file ${missing}`,
    );
  });

  it('refuses a key that does not belong to the certificate, without quoting either', () => {
    const message = configProblems(tlsEnv(certs.certFile, certs.otherKeyFile));
    expect(message).toMatch(/HUSH_TLS_KEY_FILE: .*other\.key is not the key of the certificate/);
    expect(message).not.toMatch(/BEGIN|PRIVATE KEY|error:/);
  });

  it('refuses files that are not a PEM certificate or key', () => {
    expect(configProblems(tlsEnv(certs.keyFile, certs.keyFile))).toMatch(/is not a PEM certificate/);
    expect(configProblems(tlsEnv(certs.certFile, certs.certFile))).toMatch(
      /is not an unencrypted PEM private key/,
    );
  });

  it('refuses HUSH_REQUIRE_HTTPS when nothing could arrive over HTTPS', () => {
    expect(configProblems({ HUSH_REQUIRE_HTTPS: 'true' })).toMatch(/HUSH_REQUIRE_HTTPS needs/);
    expect(() => loadConfig({ HUSH_REQUIRE_HTTPS: 'true', HUSH_TRUST_PROXY: '1' })).not.toThrow();
    expect(() =>
      loadConfig({ HUSH_REQUIRE_HTTPS: 'true', ...tlsEnv(certs.certFile, certs.keyFile) }),
    ).not.toThrow();
  });
});
