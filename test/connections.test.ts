import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';
import { makeTestCertificates, type TestCertificates } from './helpers/test-certificate.js';

interface Exchange {
  readonly socket: Socket;
  /** Resolves with everything the server sent once it closes the connection, and how long that took. */
  readonly closed: Promise<{ text: string; ms: number }>;
}

function open(port: number): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    const closed = new Promise<{ text: string; ms: number }>((done) =>
      socket.on('close', () => done({ text, ms: performance.now() - started })),
    );
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Raw sockets against a listening hush with short timeouts and a small per-client cap. */
describe('slow and idle clients', () => {
  let f: HushFixture;
  let port: number;
  beforeAll(async () => {
    f = await makeHush({
      HUSH_REQUEST_TIMEOUT_MS: '1000',
      HUSH_KEEP_ALIVE_TIMEOUT_MS: '1000',
      HUSH_MAX_CONNECTIONS_PER_CLIENT: '8',
    });
    port = Number(new URL(await f.hush.app.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  afterAll(() => f.close());

  it('a client that sends the headers and part of a body, then goes silent, is answered 408 and closed', async () => {
    const { socket, closed } = await open(port);
    socket.write(
      'POST /api/v1/shares HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sec',
    );
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"error":"request_timeout"');
    // The request timeout plus Node's check interval, never "for good".
    expect(ms).toBeLessThan(10_000);
  });

  it('a client that never finishes its headers is closed', async () => {
    const { socket, closed } = await open(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(10_000);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { socket, closed } = await open(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toMatch(/keep-alive: timeout=1/i);
    expect(ms).toBeLessThan(10_000);
  });

  it('one client cannot hold more than its share of connections; others still get through', async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => open(port)));
    const refused = await open(port);
    const { text } = await refused.closed;
    expect(text).toBe('');
    // The held ones still work, and once one closes a new connection is accepted.
    held[0]?.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await held[0]?.closed)?.text).toMatch(/^HTTP\/1\.1 200 /);
    const again = await open(port);
    again.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await again.closed).text).toMatch(/^HTTP\/1\.1 200 /);
    for (const { socket } of held) socket.destroy();
  });
});

describe('slow TLS clients', () => {
  let f: HushFixture;
  let port: number;
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await makeTestCertificates();
    f = await makeHush({
      HUSH_REQUEST_TIMEOUT_MS: '1000',
      HUSH_TLS_CERT_FILE: certs.certFile,
      HUSH_TLS_KEY_FILE: certs.keyFile,
    });
    port = Number(new URL(await f.hush.app.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  afterAll(async () => {
    await f.close();
    certs.remove();
  });

  it('a client that connects and never starts the TLS handshake is closed', async () => {
    const { closed } = await open(port);
    const { ms } = await closed;
    // The handshake gets as long as the headers (1 s here), not Node's 120 s.
    expect(ms).toBeLessThan(10_000);
  });
});

describe('connection settings', () => {
  it('default to a 30 s request timeout, a per-client cap, and no cap behind a proxy', () => {
    const plain = loadConfig({}).http;
    expect(plain.requestTimeoutMs).toBe(30_000);
    expect(plain.headersTimeoutMs).toBe(10_000);
    expect(plain.maxConnectionsPerClient).toBeGreaterThan(0);
    expect(loadConfig({ HUSH_TRUST_PROXY: '1' }).http.maxConnectionsPerClient).toBe(0);
    expect(loadConfig({ HUSH_REQUEST_TIMEOUT_MS: '5000' }).http.headersTimeoutMs).toBe(5000);
  });

  it('refuse a request timeout out of range and a guessable metrics token, without echoing it', () => {
    expect(() => loadConfig({ HUSH_REQUEST_TIMEOUT_MS: '10' })).toThrow(/HUSH_REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ HUSH_METRICS_TOKEN: 'hunter2' })).toThrow(
      /HUSH_METRICS_TOKEN must be at least/,
    );
    try {
      loadConfig({ HUSH_METRICS_TOKEN: 'hunter2' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
