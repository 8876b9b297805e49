import Fastify from 'fastify';
import { openRawQueries, RAW_BACKENDS, type RawBackend } from './raw-queries.js';

/**
 * The PostgreSQL / Redis baseline: a bare Fastify 5 app, like bench/echo-server.ts (no logging, no
 * plugins, Fastify's own JSON parser), whose routes each run the one raw query of a share create or
 * reveal. It runs as its own process, like hush. Usage:
 *   node --import tsx bench/raw-query-server.ts <port> <postgres|redis> <url>
 *
 *   POST /create {secret}   INSERT a share-shaped row / SET key value PX ttl  → 201 {id}
 *   POST /reveal/:id {}     DELETE … RETURNING ciphertext / GETDEL            → 200 {ciphertext}, 404
 *   POST /seed {count}      bulk-creates rows for the reveal run (not measured) → 200 {ids}
 */
const [portArg = '0', backendArg = '', url = ''] = process.argv.slice(2);
if (!(RAW_BACKENDS as readonly string[]).includes(backendArg) || url === '') {
  process.stderr.write('usage: raw-query-server.ts <port> <postgres|redis> <url>\n');
  process.exit(2);
}
const queries = await openRawQueries(backendArg as RawBackend, url);
const app = Fastify({ logger: false });

app.post<{ Body: { secret?: unknown } }>('/create', async (request, reply) => {
  const secret = request.body?.secret;
  if (typeof secret !== 'string') return reply.code(400).send({ error: 'secret must be a string' });
  const id = await queries.create(Buffer.byteLength(secret));
  return reply.code(201).send({ id });
});

app.post<{ Params: { id: string } }>('/reveal/:id', async (request, reply) => {
  const content = await queries.reveal(request.params.id);
  if (content === undefined) return reply.code(404).send({ error: 'not found' });
  return { ciphertext: content.toString('base64') };
});

app.post<{ Body: { count?: unknown; secretBytes?: unknown } }>('/seed', async (request, reply) => {
  const { count, secretBytes } = request.body ?? {};
  if (!Number.isInteger(count) || !Number.isInteger(secretBytes)) {
    return reply.code(400).send({ error: 'count and secretBytes must be integers' });
  }
  return { ids: await queries.seed(count as number, secretBytes as number) };
});

const shutdown = () => {
  app
    .close()
    .then(() => queries.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

const address = await app.listen({ host: '127.0.0.1', port: Number(portArg) });
process.stdout.write(`raw ${backendArg} baseline listening on ${address}\n`);
