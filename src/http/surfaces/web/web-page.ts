import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The built page (`vite build`), found from this file in src/ (tsx) and in dist/ alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

/** index.html, read on each request (a rebuild takes effect at once); undefined when not built. */
export async function readIndex(): Promise<Buffer | undefined> {
  try {
    return await readFile(path.join(WEB_ROOT, 'index.html'));
  } catch {
    return undefined;
  }
}

/** What the create form needs to offer only what the server accepts. */
export interface PageShareLimits {
  readonly ttlDefaultSeconds: number;
  readonly ttlMinSeconds: number;
  readonly ttlMaxSeconds: number;
  readonly maxViews: number;
  /** `shares.max_file_bytes`: plaintext bytes of all files of one share. */
  readonly maxFileBytes: number;
}

const LIMITS_META = /<meta name="hush-limits" content="[^"]*"/;

/** index.html with the share limits in its `hush-limits` meta tag (numbers only, so nothing to escape). */
export function withShareLimits(html: Buffer, limits: PageShareLimits): string {
  const content = [
    `ttl-default=${limits.ttlDefaultSeconds}`,
    `ttl-min=${limits.ttlMinSeconds}`,
    `ttl-max=${limits.ttlMaxSeconds}`,
    `max-views=${limits.maxViews}`,
    `max-file-bytes=${limits.maxFileBytes}`,
  ].join(' ');
  return html.toString('utf8').replace(LIMITS_META, `<meta name="hush-limits" content="${content}"`);
}

/** A browser's navigation rather than an API client's call: a GET or HEAD that asks for HTML. */
export function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return (request.method === 'GET' || request.method === 'HEAD') && /\btext\/html\b/i.test(accept);
}

/**
 * Answers a browser's unknown path with the page and a 404: the page sees a path it does not know
 * and says so in words. False (nothing sent) when the page is not built, so the caller answers JSON.
 */
export async function sendNotFoundPage(reply: FastifyReply): Promise<boolean> {
  const html = await readIndex();
  if (!html) return false;
  reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  return true;
}
