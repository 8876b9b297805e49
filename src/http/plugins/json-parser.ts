import type { FastifyInstance } from 'fastify';
import { HushError } from '../../errors/hush-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * JSON bodies must be valid UTF-8: the default parser would silently turn bad bytes into U+FFFD
 * and store a secret different from the one sent. By the time a body gets here its structure has
 * been counted against the route's budget as it arrived (src/http/plugins/body-limit.ts), so the
 * work any body costs is bounded. Parsing itself stays Fastify's (prototype-safe).
 */
export function registerJsonParser(app: FastifyInstance): void {
  // JSON is the only body hush reads; any other type (text/plain included) gets 415.
  app.removeAllContentTypeParsers();
  addJsonParser(app, 'application/json');
}

/**
 * Parses `contentType` as JSON the same way, in `app`'s context only: a route that also takes a
 * JSON variant (application/merge-patch+json for a PATCH) adds it in its own plugin.
 */
export function addJsonParser(app: FastifyInstance, contentType: string): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(contentType, { parseAs: 'buffer' }, (request, body, done) => {
    // Many clients send the header on every request: an empty body is no body, not bad JSON.
    if ((body as Buffer).length === 0) {
      done(null, undefined);
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
