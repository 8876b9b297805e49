import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { SECRET } from './scenarios.js';
import { openSecretFloor } from './secret-floor.js';

/**
 * The secret store's floor: a bare Fastify 5 app, like bench/echo-server.ts (no logging, no plugins,
 * Fastify's own JSON parser), whose routes do the storage and crypto work of hush's secret read and
 * write (bench/secret-floor.ts) and nothing else: no validation schema, rate limiter, request log,
 * metrics, security headers, request ids, savepoints or token cache. Its own process, like hush.
 * Usage:
 *   node --import tsx bench/secret-floor-server.ts <port> [sqlite file]
 *
 *   GET  /secrets/:id       Bearer token → 200 {id, name, version, value, metadata}, 401, 404
 *   POST /secrets {name, value}  Bearer token → 201 {id, name, version: 1}, 401, 409
 *   POST /seed {count}      an admin, a session, an access token and `count` secrets (not measured)
 *                           → 200 {token, ids}
 *
 * Without a file it works in a temporary directory of its own, removed when it stops.
 */
const [portArg = '0', fileArg] = process.argv.slice(2);
const ownDir = fileArg === undefined ? mkdtempSync(path.join(tmpdir(), 'hush-floor-')) : undefined;
const file = fileArg ?? path.join(ownDir as string, 'floor.db');
const floor = await openSecretFloor(file);
const app = Fastify({ logger: false });

const client = (request: { ip: string; headers: { 'user-agent'?: string } }) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'],
});

app.get<{ Params: { id: string } }>('/secrets/:id', async (request, reply) => {
  const { status, body } = await floor.read(
    request.headers.authorization,
    request.params.id,
    client(request),
  );
  return reply.code(status).send(body);
});

app.post<{ Body: { name?: unknown; value?: unknown } }>('/secrets', async (request, reply) => {
  const { name, value } = request.body ?? {};
  if (typeof name !== 'string' || typeof value !== 'string') {
    return reply.code(400).send({ error: 'name and value must be strings' });
  }
  const { status, body } = await floor.create(request.headers.authorization, name, value, client(request));
  return reply.code(status).send(body);
});

app.post<{ Body: { count?: unknown } }>('/seed', async (request, reply) => {
  const count = request.body?.count;
  if (!Number.isInteger(count) || (count as number) < 0) {
    return reply.code(400).send({ error: 'count must be an integer >= 0' });
  }
  return floor.seed(count as number, SECRET);
});

const shutdown = () => {
  app
    .close()
    .then(() => floor.close())
    .then(() => {
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    })
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

const address = await app.listen({ host: '127.0.0.1', port: Number(portArg) });
process.stdout.write(`secret floor listening on ${address}\n`);
