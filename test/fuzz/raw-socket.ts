import net from 'node:net';
import { expect } from 'vitest';
import { ERROR_TABLE, type ErrorCode } from '../../src/errors/error-table.js';

/** Raw bytes onto a real socket, for what inject() cannot send: malformed HTTP that never reaches a route. */

export interface RawAnswer {
  readonly raw: string;
  readonly status: number | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function sendRaw(port: number, data: Buffer | string, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(data).slice(0, 120))}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {}); // a reset after the answer is fine; the answer is what counts
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRaw(Buffer.concat(chunks).toString('latin1')));
    });
    socket.write(data, () => socket.end());
  });
}

export function parseRaw(raw: string): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  let body = split === -1 ? '' : raw.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding'] === 'chunked') {
    let decoded = '';
    let rest = body;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = Number.parseInt(rest.slice(0, eol), 16);
      if (!(size > 0)) break;
      decoded += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    body = decoded;
  } else if (headers['content-length'] !== undefined) {
    body = body.slice(0, Number(headers['content-length']));
  }
  return { raw, status: status === undefined ? undefined : Number(status), headers, body };
}

/**
 * An answer in the documented error shape whose code is in ERROR_TABLE with exactly the HTTP status
 * that was sent. Returns the code, for checks of a specific one.
 */
export function expectJsonError(answer: RawAnswer, where: string): ErrorCode {
  const context = `${where}: ${JSON.stringify(answer.raw.slice(0, 400))}`;
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.headers['content-type'], context).toMatch(/^application\/json/);
  let body: Record<string, unknown> = {};
  expect(() => {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  }, context).not.toThrow();
  expect(body, context).toEqual({
    error: expect.any(String),
    message: expect.any(String),
    request_id: expect.any(String),
  });
  expect(Object.keys(ERROR_TABLE), context).toContain(body.error);
  const code = body.error as ErrorCode;
  expect(answer.status, `${context}: status of ${code} in ERROR_TABLE`).toBe(ERROR_TABLE[code].status);
  return code;
}
