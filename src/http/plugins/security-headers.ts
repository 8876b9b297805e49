import type { FastifyInstance } from 'fastify';

/**
 * API answers carry secrets: no cache may keep them, no page may frame them, and no referrer
 * may carry a key to another site. The docs UI sets its own policy and is left alone.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/docs')) return payload;
    reply.header('cache-control', 'no-store');
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    return payload;
  });
}
