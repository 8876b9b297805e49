import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../domain/client-info.js';

/** Who made a request, for the audit log. `request.ip` already honours HUSH_TRUST_PROXY. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip,
    userAgent: typeof agent === 'string' && agent !== '' ? agent : undefined,
    requestId: request.id,
  };
}
