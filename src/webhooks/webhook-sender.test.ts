import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from './webhook-sender.js';
import type { WebhookTarget } from './webhook-target.js';

describe('webhook sender', () => {
  let server: Server;
  let port: number;
  const paths: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      if (request.url === '/redirect') response.writeHead(302, { location: '/elsewhere' }).end();
      else if (request.url === '/big') response.writeHead(200).end('x'.repeat(1_000_000));
      else if (request.url === '/silent')
        return; // never answers
      else response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  /** A host name that resolves nowhere, pinned to the receiver's address: only the pin reaches it. */
  const target = (path: string): WebhookTarget => ({
    url: new URL(`http://hooks.invalid:${port}${path}`),
    address: '127.0.0.1',
    family: 4,
  });

  it('connects to the pinned address, with the headers and body given', async () => {
    expect(await sendWebhook(target('/ok'), { 'webhook-id': 'msg_1' }, '{}')).toEqual({ statusCode: 204 });
    expect(paths).toContain('/ok');
  });

  it('follows no redirect, reads only the start of a large answer, gives up on silence', async () => {
    expect(await sendWebhook(target('/redirect'), {}, '{}')).toEqual({ statusCode: 302 });
    expect(paths).not.toContain('/elsewhere');
    expect(await sendWebhook(target('/big'), {}, '{}')).toEqual({ statusCode: 200 });
    const started = Date.now();
    expect(await sendWebhook(target('/silent'), {}, '{}', 300)).toEqual({ error: 'timed out' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a refused connection and a TLS failure by their codes only', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await sendWebhook(
      { url: new URL(`http://x.invalid:${freePort}/`), address: '127.0.0.1', family: 4 },
      {},
      '{}',
    );
    expect(refused).toEqual({ error: 'ECONNREFUSED' });
    const tls = await sendWebhook(
      { url: new URL(`https://x.invalid:${port}/`), address: '127.0.0.1', family: 4 },
      {},
      '{}',
    );
    expect('error' in tls && tls.error.length).toBeGreaterThan(0);
    expect('error' in tls && tls.error.length).toBeLessThanOrEqual(64);
  });
});
