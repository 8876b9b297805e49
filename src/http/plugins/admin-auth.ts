import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import { HushError } from '../../errors/hush-error.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Interim admin check: `Authorization: Bearer <HUSH_ADMIN_TOKEN>`, compared in constant time.
 * Accounts and roles replace it (secret store issue).
 */
/** Runs on request, before validation: strangers learn nothing about the route's parameters. */
export function requireAdmin(adminToken: string | undefined): onRequestAsyncHookHandler {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return async (request, reply) => {
    if (!expected) throw new HushError('admin_disabled');
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      reply.header('www-authenticate', 'Bearer realm="hush"');
      throw new HushError('unauthorized');
    }
  };
}
