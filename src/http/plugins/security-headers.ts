import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** On every answer. */
const COMMON = { 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' } as const;

/**
 * On API answers, which carry secrets: no cache may keep them, no page may frame them, and no
 * referrer may carry a key to another site.
 */
const API = {
  ...COMMON,
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
} as const;

/**
 * On the web page and its assets: scripts, styles and API calls from hush itself only, nothing
 * inline, no plugins, forms or framing. Caching is the route's choice (immutable hashed assets);
 * anything that did not choose is not stored.
 */
const PAGE = {
  ...COMMON,
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

/**
 * On the API docs (Swagger UI, served from hush): its scripts and styles from hush only, calls to
 * hush only ("Try it out"), data: images for its icons. Swagger UI sets inline styles from script
 * (allowed: CSSOM is not governed by style-src) but never loads inline script.
 */
const DOCS = {
  ...COMMON,
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

const PAGE_PATH = /^\/(?:$|\?|[sr]\/|assets\/)/;

/**
 * Browsers that once reached hush over HTTPS refuse plain HTTP to it for a year. Sent only on
 * answers to HTTPS requests (direct TLS, or X-Forwarded-Proto from a trusted proxy), as RFC 6797 asks.
 */
const HSTS = 'max-age=31536000; includeSubDomains';

export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  if (request.url.startsWith('/api/docs')) reply.headers(DOCS);
  else if (PAGE_PATH.test(request.url)) {
    reply.headers(PAGE);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  } else reply.headers(elsewhere(reply));
  if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
}

/**
 * Beyond the page paths, HTML is the page answering a browser's unknown path (404): it needs the
 * page's policy to load its assets, and is never stored. Everything else is the API.
 */
function elsewhere(reply: FastifyReply): Record<string, string> {
  const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
  return html ? { ...PAGE, 'cache-control': 'no-store' } : API;
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onSend', (request, reply, payload, done) => {
    setSecurityHeaders(request, reply);
    done(null, payload);
  });
}
