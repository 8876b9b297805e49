import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HushError } from '../../errors/hush-error.js';
import type { SettingsReader } from '../../settings/setting-definitions.js';
import { BODY_LIMITS, type BodyLimit, DEFAULT_BODY_LIMIT, liveBodyBytes } from '../body-limits.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's entry of BODY_LIMITS (set at registration). */
    bodyLimit?: BodyLimit;
  }
}

/** Methods whose requests Fastify reads a body for. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function tooLarge(reply: FastifyReply): HushError {
  // The rest of the body is never read: the connection cannot carry another request.
  reply.header('connection', 'close');
  return new HushError('payload_too_large');
}

/** Counts bytes as they arrive and fails the body once it passes `limit`. */
function capped(payload: NodeJS.ReadableStream, limit: number, reply: FastifyReply) {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      received += chunk.length;
      if (received > limit) next(tooLarge(reply));
      else next(null, chunk);
    },
  });
  payload.on('error', (error) => counter.destroy(error));
  return Object.assign(payload.pipe(counter), {
    get receivedEncodedLength() {
      return received;
    },
  });
}

/**
 * Gives every route the body limit of its BODY_LIMITS entry, refused with 413 before the body is
 * read, and refuses to start with a body-taking route that has none. Where a runtime setting sizes
 * the body (a share's or a secret's size), the fixed limit is the most any setting allows and the
 * live one is checked here, from Content-Length or while a chunked body streams in.
 */
export function registerBodyLimits(app: FastifyInstance, settings: SettingsReader): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let chosen = DEFAULT_BODY_LIMIT;
    for (const method of methods) {
      const limit = BODY_LIMITS[`${method} ${route.url}`];
      if (!limit && BODY_METHODS.has(method)) {
        throw new Error(`${method} ${route.url} reads a body but has no entry in BODY_LIMITS`);
      }
      if (limit && limit.bytes > chosen.bytes) chosen = limit;
    }
    route.bodyLimit = chosen.bytes;
    route.config = { ...route.config, bodyLimit: chosen };
  });

  app.addHook('preParsing', (request, reply, payload, done) => {
    const entry = request.routeOptions.config.bodyLimit;
    if (!entry?.live) {
      done(null, payload);
      return;
    }
    const limit = liveBodyBytes(entry, settings);
    const declared = Number(request.headers['content-length']);
    if (declared > limit) {
      done(tooLarge(reply));
      return;
    }
    done(null, Number.isNaN(declared) ? capped(payload, limit, reply) : payload);
  });
}
