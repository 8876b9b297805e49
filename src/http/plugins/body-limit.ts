import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HushError } from '../../errors/hush-error.js';
import type { SettingsReader } from '../../settings/setting-definitions.js';
import { type BodyLimit, type BodyLimitTable, DEFAULT_BODY_LIMIT, liveBodyBytes } from '../body-budgets.js';
import { JsonMeter } from '../json-shape.js';

/** The table routes registered in a context take their limits from, and the prefix its keys are below. */
interface SurfaceBodyLimits {
  readonly prefix: string;
  readonly table: BodyLimitTable;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's entry of its surface's body-limit table (set at registration). */
    bodyLimit?: BodyLimit;
  }
  interface FastifyInstance {
    /** Set by `useBodyLimits` in a surface; the root's is empty, so a body route outside one fails. */
    surfaceBodyLimits: SurfaceBodyLimits;
  }
}

/** Methods whose requests Fastify reads a body for. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY']);
/** No body hush accepts nests deeper than a few levels. */
const MAX_DEPTH = 16;
/** JSON and its merge-patch variant (KV PATCH) are metered alike. */
const JSON_TYPE = /^application\/(?:merge-patch\+)?json\s*(?:;|$)/i;

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
 * Gives a surface's routes the limits of `table` (keys below the surface's prefix). Call it inside
 * the surface's plugin: encapsulation keeps the table to that surface and the plugins it registers.
 */
export function useBodyLimits(surface: FastifyInstance, table: BodyLimitTable): void {
  surface.decorate('surfaceBodyLimits', { prefix: surface.prefix, table });
}

/**
 * Gives every route the body limit of its entry in its surface's table (BODY_LIMITS), refused with
 * 413 before the body is read, and refuses to start with a body-taking route that has none. The
 * limit is looked up once, when the route is added; requests pay nothing for there being surfaces. Where a runtime setting sizes
 * the body (a share's or a secret's size), the fixed limit is the most any setting allows and the
 * live one is checked here, from Content-Length or while the body streams in. A JSON body's
 * structure is counted as it arrives (src/http/json-shape.ts), so an over-budget one is refused at
 * its first chunk, before the parser sees it.
 */
export function registerBodyLimits(app: FastifyInstance, settings: SettingsReader): void {
  app.decorate('surfaceBodyLimits', { prefix: '', table: {} });
  // `this` is the context the route is added in: a surface's, or one its plugins register below it.
  app.addHook('onRoute', function bodyLimitOf(route) {
    const { prefix, table } = this.surfaceBodyLimits;
    const path = route.url.slice(prefix.length);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let chosen = DEFAULT_BODY_LIMIT;
    for (const method of methods) {
      const limit = table[`${method} ${path}`];
      if (!limit && BODY_METHODS.has(method)) {
        throw new Error(
          `${method} ${route.url} reads a body but has no entry in BODY_LIMITS of its surface ("${method} ${path}")`,
        );
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
