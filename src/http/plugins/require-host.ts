import type { FastifyInstance } from 'fastify';
import { HushError } from '../../errors/hush-error.js';

/**
 * An HTTP/1.1 request must name its Host (RFC 9112 §3.2). Node refuses one that does not with a
 * bare 400 of its own, before any hook could add hush's error shape or security headers; so Node's
 * check is turned off (src/http/http-server.ts) and this hook makes the same refusal as every other
 * error: the JSON shape `{error, message, request_id}` with the API's headers. HTTP/1.0 needs no Host.
 */
export function registerRequireHost(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const { httpVersionMajor, httpVersionMinor } = request.raw;
    const needsHost = httpVersionMajor > 1 || (httpVersionMajor === 1 && httpVersionMinor >= 1);
    if (needsHost && request.headers.host === undefined) {
      done(new HushError('bad_request', 'The Host header is required.'));
      return;
    }
    done();
  });
}
