import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HushError } from '../../errors/hush-error.js';
import type { SettingsReader } from '../../settings/setting-definitions.js';
import { BODY_LIMITS, type BodyLimit, DEFAULT_BODY_LIMIT, liveBodyBytes } from '../body-limits.js';
import { JsonMeter } from '../json-shape.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's entry of BODY_LIMITS (set at registration). */
    bodyLimit?: BodyLimit;
  }
}

/** Methods whose requests Fastify reads a body for. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY']);
/** No body hush accepts nests deeper than a few levels. */
const MAX_DEPTH = 16;
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/** An error for a body refused part-way: the rest is never read, so the connection cannot go on. */
function refuse(reply: FastifyReply, code: 'payload_too_large' | 'body_too_complex'): HushError {
  reply.header('connection', 'close');
  return new HushError(code);
}

/**
 * Watches a body as it arrives: fails it once it passes `limit` bytes (a live limit; the fixed one
 * is Fastify's), or, for JSON, once its values or nesting pass the route's budget. It reads from
 * the socket only once Fastify reads from it, so its error always finds Fastify listening.
 */
function watched(
  source: NodeJS.ReadableStream,
  reply: FastifyReply,
  limit: number | undefined,
  meter: JsonMeter | undefined,
) {
  let received = 0;
  let started = false;
  const onChunk = (chunk: Buffer) => {
    received += chunk.length;
    const refusal =
      limit !== undefined && received > limit
        ? refuse(reply, 'payload_too_large')
        : meter && meter.feed(chunk) !== 'ok'
          ? refuse(reply, 'body_too_complex')
          : undefined;
    if (refusal) {
      source.removeListener('data', onChunk);
      source.pause();
      watcher.destroy(refusal);
    } else if (!watcher.push(chunk)) source.pause();
  };
  const watcher = new Readable({
    read() {
      if (started) {
        source.resume();
        return;
      }
      started = true;
      source.on('data', onChunk);
      source.once('end', () => watcher.push(null));
      source.once('error', (error) => watcher.destroy(error));
    },
  });
  // Fastify compares what it read with Content-Length through this.
  return Object.assign(watcher, {
    get receivedEncodedLength() {
      return received;
    },
  });
}

/**
 * Gives every route the body limit of its BODY_LIMITS entry, refused with 413 before the body is
 * read, and refuses to start with a body-taking route that has none. Where a runtime setting sizes
 * the body (a share's or a secret's size), the fixed limit is the most any setting allows and the
 * live one is checked here, from Content-Length or while the body streams in. A JSON body's
 * structure is counted as it arrives (src/http/json-shape.ts), so an over-budget one is refused at
 * its first chunk, before the parser sees it.
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
    const entry = request.routeOptions.config.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const limit = entry.live ? liveBodyBytes(entry, settings) : undefined;
    if (limit !== undefined && Number(request.headers['content-length']) > limit) {
      done(refuse(reply, 'payload_too_large'));
      return;
    }
    const isJson = JSON_TYPE.test(request.headers['content-type'] ?? '');
    const meter = isJson ? new JsonMeter({ values: entry.values, depth: MAX_DEPTH }) : undefined;
    done(null, limit === undefined && !meter ? payload : watched(payload, reply, limit, meter));
  });
}
