import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { HushError } from '../../../errors/hush-error.js';
import { hushErrorShape } from '../../plugins/error-shapes.js';
import type { RouteDeps, TypedApp } from '../../route-types.js';
import { defineSurface } from '../surface.js';
import { readIndex, WEB_ROOT, withShareLimits } from './web-page.js';

/** Names Vite emits (`index-DKyjw8ze.js`): no slash, no leading dot, so never outside assets/. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const hidden = { hide: true } as const;

/**
 * The web page: `/`, `/s/<key>` and `/r/<key>` all answer index.html (the page routes itself) and
 * consume nothing, so link previewers are harmless. Asset names carry a content hash and are cached
 * for a year; index.html is read on each request and never cached, so a rebuild takes effect at once,
 * and it carries the share limits of that moment (`<meta name="hush-limits">`, read by create-view.ts).
 */
function webRoutes(app: TypedApp, { settings }: RouteDeps): void {
  const assets = new Map<string, Buffer>();

  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    const html = await readIndex();
    if (!html) throw new HushError('unavailable', 'The web page is not built: run `npm run build`.');
    // The create form offers only what the server accepts now (settings are read per request).
    const limits = withShareLimits(html, {
      ttlDefaultSeconds: settings.get('shares.ttl_default_seconds'),
      ttlMinSeconds: settings.get('shares.ttl_min_seconds'),
      ttlMaxSeconds: settings.get('shares.ttl_max_seconds'),
      maxViews: settings.get('shares.max_views'),
      maxFileBytes: settings.get('shares.max_file_bytes'),
    });
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(limits);
  };
  app.get('/', { schema: hidden }, sendIndex);
  app.get('/s/:secretKey', { schema: hidden }, sendIndex);
  app.get('/r/:receiptKey', { schema: hidden }, sendIndex);

  app.get<{ Params: { name: string } }>('/assets/:name', { schema: hidden }, async (request, reply) => {
    const { name } = request.params;
    const type = TYPES[path.extname(name)];
    if (!type || !ASSET_NAME.test(name)) throw new HushError('route_not_found');
    let body = assets.get(name);
    if (!body) {
      try {
        body = await readFile(path.join(WEB_ROOT, 'assets', name));
      } catch {
        throw new HushError('route_not_found');
      }
      assets.set(name, body);
    }
    return reply.header('cache-control', IMMUTABLE).type(type).send(body);
  });
}

/** The browser page and its assets, at the root; a browser's unknown path is the root's not-found page. */
export const webSurface = defineSurface<RouteDeps>({
  tag: 'web',
  errorShape: hushErrorShape,
  bodyLimits: {},
  routes: webRoutes,
});
