import { connect } from 'node:net';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBodyLimits } from '../src/http/plugins/body-limit.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/** The attack: a 6 MB JSON object of 450,000 keys, sent without signing in. */
const MANY_KEYS = `{${Array.from({ length: 450_000 }, (_, i) => `"k${i}":1`).join(',')}}`;

/** Every route that takes a body from anyone, and the path to send it to. */
const ANONYMOUS = [
  ['POST', '/api/v1/shares'],
  ['POST', `/api/v1/shares/${'A'.repeat(43)}/reveal`],
  ['DELETE', `/api/v1/shares/${'A'.repeat(43)}`],
  ['POST', `/api/v1/receipts/${'A'.repeat(43)}/burn`],
  ['POST', '/api/secret'],
  ['DELETE', `/api/secret/${'A'.repeat(43)}`],
  ['POST', '/generate'],
  ['POST', `/secrets/${'A'.repeat(43)}`],
  ['POST', '/api/v1/token/create'],
  ['POST', '/api/v1/token/renew'],
  ['POST', '/api/v1/token/revoke'],
  ['POST', '/api/v1/auth/github/exchange'],
] as const;

describe('body limits per route', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  let listening: Promise<string> | undefined;
  /** The fixture's app on a loopback port, listened on once for the raw-socket tests. */
  const portOf = async () => {
    listening ??= f.hush.app.listen({ host: '127.0.0.1', port: 0 });
    return Number(new URL(await listening).port);
  };

  const send = (method: string, url: string, payload: string | Readable, headers = {}) =>
    f.hush.app.inject({
      method: method as 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it.each(ANONYMOUS)('%s %s refuses the 6 MB many-keys body with 413 before parsing', async (method, url) => {
    const res = await send(method, url, MANY_KEYS);
    expect(res.statusCode, res.body).toBe(413);
    expect(json(res).error).toBe('payload_too_large');
    expect(res.headers.connection).toBe('close');
  });

  it('a body within the size but with too many keys is refused before it is parsed or validated', async () => {
    const keys = `{"secret":"x",${Array.from({ length: 20_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(keys.length).toBeLessThan(400 * 1024);
    const res = await send('POST', '/api/v1/shares', keys);
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('body_too_complex');
  });

  it('deep nesting is refused as too complex, not handed to the parser', async () => {
    const res = await send(
      'POST',
      '/api/v1/sys/setting',
      `{"key":"x","value":${'['.repeat(40)}${']'.repeat(40)}}`,
      f.adminAuth,
    );
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('body_too_complex');
  });

  it('a stored secret with the most metadata there may be fits its budget', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`key-${i}`, `value ${i}`]));
    const res = await send(
      'POST',
      '/api/v1/secrets/create',
      JSON.stringify({ name: 'apps/many-labels', value: 'v', metadata }),
      f.adminAuth,
    );
    expect(res.statusCode, res.body).toBe(201);
  });

  it('a sign-in body is a few KiB: 64 KiB is refused', async () => {
    const res = await send(
      'POST',
      '/api/v1/token/create',
      JSON.stringify({ grant_type: 'password', username: 'admin', password: 'p'.repeat(64 * 1024) }),
    );
    expect(res.statusCode).toBe(413);
    const form = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: `grant_type=password&username=admin&password=${'p'.repeat(64 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(413);
  });

  it("a share's limit follows the shares.max_bytes setting, declared or streamed", async () => {
    const set = (value: number) =>
      send('POST', '/api/v1/sys/setting', JSON.stringify({ key: 'shares.max_bytes', value }), f.adminAuth);
    const body = JSON.stringify({ secret: 'x'.repeat(40 * 1024) });
    expect((await set(1000)).statusCode).toBe(200);
    try {
      const declared = await send('POST', '/api/v1/shares', body);
      expect(declared.statusCode).toBe(413);
      expect(json(declared).error).toBe('payload_too_large');
      const streamed = await send(
        'POST',
        '/api/v1/shares',
        Readable.from([body.slice(0, 20_000), body.slice(20_000)]),
      );
      expect(streamed.statusCode).toBe(413);
      expect(json(streamed).error).toBe('payload_too_large');
      // Within the body limit but over the setting: the service's own check answers.
      const small = await send('POST', '/api/v1/shares', JSON.stringify({ secret: 'x'.repeat(2000) }));
      expect(json(small).error).toBe('secret_too_large');
    } finally {
      expect((await set(64 * 1024)).statusCode).toBe(200);
    }
    expect((await send('POST', '/api/v1/shares', body)).statusCode).toBe(201);
  });

  /** Writes `text` on a raw socket and resolves with all the server sent before it hung up. */
  const exchange = async (text: string) => {
    const port = await portOf();
    return new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      socket.write(text);
    });
  };
  const head = (length: number) =>
    `POST /api/v1/shares HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it('refuses a body of too many keys at its first chunk, without waiting for the rest', async () => {
    // 300 KB announced, within the share limit; only the first 20 KB ever come.
    const answer = await exchange(head(300_000) + MANY_KEYS.slice(0, 20_000));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"error":"body_too_complex"');
  });

  it('answers 413 as soon as the headers announce too much, without reading the body', async () => {
    // Headers only: the 1 MB body (over the share limit, under the old global 6 MiB) never comes.
    const answer = await exchange(`${head(1_000_000)}{"secret":"`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"error":"payload_too_large"');
  });
});

describe('the body limit table', () => {
  it('refuses to start with a body-taking route that has no limit', async () => {
    const app = Fastify();
    registerBodyLimits(app, { get: () => 1 } as never);
    expect(() => app.post('/api/v1/new-thing', async () => ({}))).toThrow(/no entry in BODY_LIMITS/);
    await app.close();
  });
});
