import { ReplyError } from 'ioredis';

/** Replies that mean "Redis cannot serve this right now" rather than "this command is wrong". */
const TRANSIENT_REPLIES = [
  'LOADING',
  'READONLY',
  'MASTERDOWN',
  'BUSY',
  'OOM',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'NOREPLICAS',
] as const;

/** Errors ioredis raises itself when the connection is down, stalled or closing. */
const CLIENT_FAULTS = [
  'Connection is closed.',
  'Command timed out',
  "Stream isn't writeable",
  'All sentinels are unreachable',
] as const;

/**
 * True when an error means Redis is unreachable or unable to serve (answered 503 through
 * mapFaults): socket errors, timeouts, the offline client's immediate rejections, retries run out,
 * and the transient replies above. False for a script or logic error, and for anything not raised
 * by the Redis client (a bug, or an error from the SQL store beneath), which must not pass for an
 * outage.
 */
export function isRedisFault(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof ReplyError) {
    return TRANSIENT_REPLIES.some((prefix) => error.message.startsWith(prefix));
  }
  if (error.name === 'MaxRetriesPerRequestError') return true;
  // Node socket errors (ECONNREFUSED, ECONNRESET, EPIPE, …) and ioredis's connect timeout carry a syscall.
  if (typeof (error as { syscall?: unknown }).syscall === 'string') return true;
  return CLIENT_FAULTS.some((message) => error.message.startsWith(message));
}
