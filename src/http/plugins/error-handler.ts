import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_TABLE, type ErrorCode } from '../../errors/error-table.js';
import { isHushError } from '../../errors/hush-error.js';
import { sendNotFoundPage, wantsPage } from '../surfaces/web/web-page.js';
import { type ErrorShape, hushErrorShape, type MappedError as Mapped } from './error-shapes.js';
import { setSecurityHeaders } from './security-headers.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

function fromTable(code: ErrorCode, message?: string): Mapped {
  return { code, status: ERROR_TABLE[code].status, message: message ?? ERROR_TABLE[code].message };
}

/**
 * Maps any thrown error to one row of ERROR_TABLE. Unknown errors become a bare 500. Backend
 * faults arrive already mapped (HushError 'unavailable', see src/storage/storage-faults.ts).
 */
export function mapError(error: FastifyError | Error): Mapped {
  if (isHushError(error))
    return { ...fromTable(error.code, error.message), attemptsLeft: error.attemptsLeft };
  const fastifyError = error as FastifyError;
  // Validation messages name the field and rule ("body/max_views must be <= 100"), never the value.
  if (fastifyError.validation) return fromTable('bad_request', `${fastifyError.message}.`);
  const known = fastifyError.code && FASTIFY_CODES[fastifyError.code];
  if (known) return fromTable(known);
  const status = fastifyError.statusCode ?? 500;
  if (status === 429) return fromTable('rate_limited');
  if (status === 503) return fromTable('unavailable');
  if (status === 404) return fromTable('route_not_found');
  if (status === 413) return fromTable('payload_too_large');
  if (status === 415) return fromTable('unsupported_media_type');
  if (status >= 400 && status < 500) return fromTable('bad_request');
  return fromTable('internal');
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  mapped: Mapped,
  shape: ErrorShape = hushErrorShape,
) {
  return reply.code(mapped.status).send(shape.body(mapped, request.id));
}

/**
 * Fastify's `frameworkErrors` option: router errors (bad %-encoding, over-long params) bypass the
 * error handler and the onSend hooks, and by default answer their own shape echoing the URL, which
 * carries share and receipt keys. They get the same shape and headers as every other error: hush's,
 * or that of the surface whose prefix the URL is below (`shapes`, by prefix), since no route of it
 * matched to say so.
 */
export function frameworkErrorHandlerFor(shapes: readonly (readonly [prefix: string, shape: ErrorShape])[]) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    setSecurityHeaders(request, reply);
    const shape = shapes.find(([prefix]) => request.url.startsWith(`${prefix}/`))?.[1] ?? hushErrorShape;
    const row = mapError(error);
    const mapped = shape.restate ? shape.restate(row) : row;
    // No route matched, so the request-log hook never runs: log the line here, still without the URL.
    request.log.info(
      { method: request.method, route: 'unroutable', status: mapped.status },
      'request completed',
    );
    return sendError(request, reply, mapped, shape);
  };
}

/** hush's shape for every framework error. */
export const frameworkErrorHandler = frameworkErrorHandlerFor([]);

/**
 * The error handler of one surface: every error its routes and hooks throw is mapped by the one
 * table and written in the surface's shape. Set inside a surface plugin, it applies there only.
 */
export function errorHandler(shape: ErrorShape) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const row = mapError(error);
    if (row.status >= 500) {
      // Type, code and stack frames only: the message line of a driver error can quote data.
      const frames = error.stack?.split('\n').slice(1).join('\n');
      request.log.error({ errName: error.name, errCode: error.code, frames }, 'request failed');
    }
    const mapped = shape.restate ? shape.restate(row) : row;
    if (shape.headers) reply.headers(shape.headers(row));
    if (mapped.code === 'rate_limited') reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    return sendError(request, reply, mapped, shape);
  };
}

/**
 * hush's shape for what no surface owns: routes outside surfaces (the OpenAPI document and docs UI)
 * and unknown paths, which Fastify hands to the root's not-found handler whatever their prefix.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(errorHandler(hushErrorShape));

  // A browser that follows a wrong address gets a page that says so; API clients keep the JSON shape.
  app.setNotFoundHandler(async (request, reply) => {
    if (wantsPage(request) && (await sendNotFoundPage(reply))) return reply;
    return sendError(request, reply, fromTable('route_not_found'));
  });
}
