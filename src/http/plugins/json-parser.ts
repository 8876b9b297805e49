import type { FastifyInstance } from 'fastify';
import { HushError } from '../../errors/hush-error.js';
import { DEFAULT_BODY_LIMIT } from '../body-limits.js';
import { measureJson } from '../json-shape.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** No body hush accepts nests deeper than a few levels. */
const MAX_DEPTH = 16;

/**
 * JSON bodies must be valid UTF-8: the default parser would silently turn bad bytes into U+FFFD
 * and store a secret different from the one sent. Before parsing, the body's structure is counted
 * against the route's budget (src/http/body-limits.ts), so the work any body costs is bounded.
 * Parsing itself stays Fastify's (prototype-safe).
 */
export function registerJsonParser(app: FastifyInstance): void {
  // JSON is the only body hush reads; any other type (text/plain included) gets 415.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // Many clients send the header on every request: an empty body is no body, not bad JSON.
    if ((body as Buffer).length === 0) {
      done(null, undefined);
      return;
    }
    const values = request.routeOptions.config.bodyLimit?.values ?? DEFAULT_BODY_LIMIT.values;
    if (measureJson(body as Buffer, { values, depth: MAX_DEPTH }) !== 'ok') {
      done(new HushError('body_too_complex'), undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new HushError('invalid_utf8'), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
