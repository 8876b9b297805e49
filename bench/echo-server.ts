import Fastify from 'fastify';

/**
 * The baseline: a bare Fastify 5 app with one JSON echo route, no logging, no plugins. It runs as
 * its own process (like hush) so both get the same CPU budget. Usage:
 *   node --import tsx bench/echo-server.ts <port>
 */
const port = Number(process.argv[2] ?? '0');
const app = Fastify({ logger: false });

app.post('/echo', async (request) => request.body);

const shutdown = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

const url = await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`echo listening on ${url}\n`);
