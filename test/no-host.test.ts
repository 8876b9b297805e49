import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError, sendRaw } from './fuzz/raw-socket.js';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';

/** A request without a Host header, over a raw socket (fetch and inject() always send one). */
describe('requests without a Host header', () => {
  let f: HushFixture;
  let port: number;
  beforeAll(async () => {
    f = await makeHush();
    await f.hush.app.listen({ port: 0, host: '127.0.0.1' });
    port = (f.hush.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => f?.close());

  it.each([
    'GET /healthz HTTP/1.1\r\n\r\n',
    'GET /api/v1/shares/x HTTP/1.1\r\n\r\n',
    'POST /api/v1/shares HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    'GET /nowhere HTTP/1.1\r\n\r\n',
  ])('answers %j with a 400 in the JSON error shape and the API security headers', async (request) => {
    const answer = await sendRaw(port, request);
    expect(expectJsonError(answer, request)).toBe('bad_request');
    expect(JSON.parse(answer.body).message).toBe('The Host header is required.');
    expect(answer.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-request-id': JSON.parse(answer.body).request_id,
    });
  });

  it('still serves HTTP/1.0 without a Host, and HTTP/1.1 with one', async () => {
    const old = await sendRaw(port, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect(old.status, old.raw).toBe(200);
    const withHost = await sendRaw(
      port,
      'GET /healthz HTTP/1.1\r\nHost: hush.test\r\nConnection: close\r\n\r\n',
    );
    expect(withHost.status, withHost.raw).toBe(200);
  });
});
