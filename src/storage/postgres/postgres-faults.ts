/** Socket errors from Node's net, dns and tls layers: the server or the path to it is down. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say "the server cannot serve this now", besides class 08 (connection exception):
 * shutting down (57P01 admin, 57P02 crash), still starting (57P03), out of connections (53300),
 * and a statement cut off by statement_timeout (57014).
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** Errors that pg and pg-pool raise without a code when a connection fails or times out. */
const DRIVER_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * True for a connection-level fault that means "retry later" (answered 503): the database is
 * unreachable, restarting, saturated or too slow. False for anything a retry would not fix (bad
 * SQL, a constraint violation, a TLS or authentication misconfiguration). Follows `cause`, since
 * pg-pool wraps the socket error of a failed connect.
 */
export function isPostgresFault(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Object && depth < 5; e = (e as Error).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || SERVER_CODES.has(code)) return true;
      if (code.length === 5 && code.startsWith('08')) return true;
    }
    if (DRIVER_MESSAGES.has((e as Error).message)) return true;
  }
  return false;
}
