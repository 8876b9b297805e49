import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * API answers carry secrets: no cache may keep them, no page may frame them, and no referrer
 * may carry a key to another site. The docs UI sets its own policy and is left alone.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-content-type-options', 'nosniff');
  if (request.url.startsWith('/api/docs')) return;
  reply.header('cache-control', 'no-store');
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    setSecurityHeaders(request, reply);
    return payload;
  });
}
