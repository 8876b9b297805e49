import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import { ERROR_TABLE, type ErrorCode } from '../../errors/error-table.js';

/**
 * Malformed HTTP that never reaches a route (bad request line, header overflow) still gets the
 * same JSON error shape, with a request id made on the spot.
 */
export const clientErrorHandler: FastifyServerOptions['clientErrorHandler'] = (error, socket: Socket) => {
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const code = (error as NodeJS.ErrnoException).code;
  // A TLS connection that failed its handshake (timed out, or not TLS at all) cannot carry an
  // HTTP answer: one written to it would wait for a handshake that never comes, holding the socket.
  if (/^ERR_(TLS|SSL)_/.test(code ?? '') || 'library' in error) {
    socket.destroy();
    return;
  }
  const errorCode: ErrorCode =
    code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'bad_request';
  const { status, message } = ERROR_TABLE[errorCode];
  const reason = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({ error: errorCode, message, request_id: randomUUID() });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
};
