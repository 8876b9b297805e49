import type { FastifyInstance } from 'fastify';
import { HushError } from '../../errors/hush-error.js';

/**
 * Body fields whose text is encrypted or hashed before it is stored, never compared as database
 * text: U+0000 is legal content there (KV `data` too: its keys are checked as printable by the
 * secret services, its values are encrypted). Everywhere else a NUL would reach a PostgreSQL text column
 * (names, ids, usernames), which refuses it with an error: refuse it first, as bad input.
 */
const OPAQUE_FIELDS = new Set(['secret', 'value', 'data', 'passphrase', 'password']);

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // Raw bytes (an upload part) are opaque, stored sealed, never compared as text.
  if (Buffer.isBuffer(value)) return false;
  if (value === null || typeof value !== 'object' || depth > 4) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return true;
    if (depth === 0 && OPAQUE_FIELDS.has(key)) continue;
    if (hasNul(inner, depth + 1)) return true;
  }
  return false;
}

export function registerRejectNul(app: FastifyInstance): void {
  // Callback-style: no promise per request on the hot path.
  app.addHook('preValidation', (request, _reply, done) => {
    if (hasNul(request.params) || hasNul(request.query) || hasNul(request.body)) {
      done(new HushError('bad_request', 'Text may not contain the NUL character (U+0000).'));
      return;
    }
    done();
  });
}
