import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** On every answer. */
const COMMON = { 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' } as const;

/**
 * On API answers, which carry secrets: no cache may keep them, no page may frame them, and no
 * referrer may carry a key to another site. The docs UI sets its own policy and is left alone.
 */
const API = {
  ...COMMON,
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
} as const;

/**
 * Browsers that once reached hush over HTTPS refuse plain HTTP to it for a year. Sent only on
 * answers to HTTPS requests (direct TLS, or X-Forwarded-Proto from a trusted proxy), as RFC 6797 asks.
 */
const HSTS = 'max-age=31536000; includeSubDomains';

export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  reply.headers(request.url.startsWith('/api/docs') ? COMMON : API);
  if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onSend', (request, reply, payload, done) => {
    setSecurityHeaders(request, reply);
    done(null, payload);
  });
}
