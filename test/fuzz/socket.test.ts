import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/errors/error-table.js';
import { pathText } from './arbitraries.js';
import { itStaysHealthy, useFuzzHush } from './fixture.js';
import { expectJsonError, sendRaw } from './raw-socket.js';
import { PATH_PREFIXES, runs } from './support.js';

/**
 * A real socket, for what never reaches a route: malformed HTTP and random bytes get a 4xx in the
 * JSON error shape, whose code's ERROR_TABLE status is the status on the wire, and never a 5xx.
 */
describe('fuzz: malformed HTTP on a real socket', () => {
  const hush = useFuzzHush({ listen: true });

  const healthy = async () => {
    const res = await fetch(`http://127.0.0.1:${hush.port}/healthz`);
    expect(res.status).toBe(200);
  };

  it('answers malformed requests with a 4xx JSON error and keeps serving', async () => {
    const post = (headers: string, body = '') =>
      `POST /api/v1/shares HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;
    // [name, bytes, status, error code]: status and code are left open where Node's parser decides.
    const cases: Array<[string, string | Buffer, number?, ErrorCode?]> = [
      ['bad request line', 'GARBAGE\r\n\r\n', 400, 'bad_request'],
      ['binary junk', Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]), 400, 'bad_request'],
      ['bare LF', 'GET /healthz HTTP/1.1\nHost: x\n\n'],
      ['unknown HTTP version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n'],
      ['NUL in path', 'GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'bad_request'],
      [
        'control char in header',
        'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n',
        400,
        'bad_request',
      ],
      [
        'space in header name',
        'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
        400,
        'bad_request',
      ],
      ['obsolete line folding', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n'],
      [
        'header overflow',
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'headers_too_large',
      ],
      ['huge URL', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'headers_too_large'],
      ['huge method', `${'G'.repeat(5_000)} / HTTP/1.1\r\n\r\n`, 400, 'bad_request'],
      ['content-length not a number', post('Content-Length: abc\r\n'), 400, 'bad_request'],
      ['negative content-length', post('Content-Length: -1\r\n'), 400, 'bad_request'],
      [
        'conflicting content-lengths',
        post('Content-Length: 5\r\nContent-Length: 6\r\n', '{}'),
        400,
        'bad_request',
      ],
      [
        'content-length with chunked',
        post('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
        400,
        'bad_request',
      ],
      [
        'content-length above the body limit',
        post('Content-Length: 99999999999\r\n', '{}'),
        413,
        'payload_too_large',
      ],
      ['body shorter than content-length', post('Content-Length: 50\r\n', '{}'), 400, 'bad_request'],
      ['bad chunk size', post('Transfer-Encoding: chunked\r\n', 'zz\r\n'), 400, 'bad_request'],
      ['truncated request', 'GET /heal', 400, 'bad_request'],
      [
        'bad %-encoding in the path',
        'GET /api/v1/shares/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        400,
        'bad_request',
      ],
      [
        'over-long key',
        `GET /api/v1/shares/${'k'.repeat(500)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        400,
        'bad_request',
      ],
    ];
    for (const [name, data, status, expected] of cases) {
      const answer = await sendRaw(hush.port, data);
      const code = expectJsonError(answer, name);
      if (status !== undefined) expect(answer.status, name).toBe(status);
      if (expected !== undefined) expect(code, name).toBe(expected);
      expect(answer.body, name).not.toContain('k'.repeat(50));
    }
    // A Host-less HTTP/1.1 request is refused in the same shape (test/no-host.test.ts).
    const noHost = await sendRaw(hush.port, 'GET /healthz HTTP/1.1\r\n\r\n');
    expect(expectJsonError(noHost, 'no Host header')).toBe('bad_request');
    await healthy();
  });

  it('random request lines and raw bytes never get a 5xx or crash the server', async () => {
    const methodText = fc.oneof(
      fc.constantFrom(
        'GET',
        'POST',
        'DELETE',
        'PUT',
        'HEAD',
        'OPTIONS',
        'PATCH',
        'PROPFIND',
        'get',
        'G ET',
        '',
      ),
      fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 12,
      }),
    );
    // Path bytes straight onto the wire: no URL normalisation as inject() does.
    const pathBytes = fc.oneof(
      fc
        .constantFrom(...PATH_PREFIXES)
        .chain((prefix) =>
          pathText.map((text) => Buffer.concat([Buffer.from(prefix), Buffer.from(text, 'utf8')])),
        ),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from('/'), Buffer.from(bytes)])),
    );
    const request = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(
          methodText,
          pathBytes,
          fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', '', 'HTTP/1.1 x'),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
      },
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const data = Buffer.isBuffer(req)
          ? req
          : Buffer.concat([
              Buffer.from(`${req[0]} `, 'latin1'),
              req[1],
              Buffer.from(` ${req[2]}\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1'),
            ]);
        const answer = await sendRaw(hush.port, data);
        const where = JSON.stringify(data.toString('latin1').slice(0, 200));
        if (answer.raw === '') return; // e.g. CONNECT or an upgrade: Node drops the socket, which is fine
        expect(answer.status, `${where} -> ${JSON.stringify(answer.raw.slice(0, 300))}`).toBeDefined();
        expect(answer.status, where).toBeLessThan(500);
        const isHead = !Buffer.isBuffer(req) && req[0] === 'HEAD';
        if ((answer.status ?? 0) >= 400 && !isHead) expectJsonError(answer, where);
      }),
      { numRuns: runs(200) },
    );
    await healthy();
  }, 60_000);

  // Most of these bytes never reach Fastify's request log; the routed fixed cases and probes do.
  itStaysHealthy(hush, 4);
});
