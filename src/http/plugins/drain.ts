import type { FastifyInstance } from 'fastify';

/**
 * While shutting down, every response closes its connection. Otherwise a keep-alive socket that
 * was busy when close() began turns idle afterwards and holds the server open until it times out.
 */
export function registerDrain(app: FastifyInstance, accepting: () => boolean): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!accepting()) reply.header('connection', 'close');
    done(null, payload);
  });
}
