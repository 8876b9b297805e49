import type { AuditEvent } from '../../../audit/audit-types.js';
import type { SurfaceDeps, TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import { EventsQuery, EventsResponse } from '../../schemas/event-schemas.js';

export function toEventResponse(event: AuditEvent) {
  return {
    id: event.id,
    type: event.type,
    share_id: event.shareId ?? null,
    client_ip: event.clientIp ?? null,
    user_agent: event.userAgent ?? null,
    detail: event.detail ?? null,
    actor: event.actor ?? null,
    created_at: event.createdAt.toISOString(),
  };
}

export function eventRoutes(app: TypedApp, { auth, audit }: SurfaceDeps): void {
  app.get(
    '/events',
    {
      onRequest: auth({ scope: 'admin' }),
      schema: {
        tags: ['events'],
        summary: 'The audit log, newest first (admin)',
        security: [{ bearer: [] }],
        querystring: EventsQuery,
        response: { 200: EventsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { page, page_size, type, since, until } = request.query;
      const filter = {
        type,
        since: since === undefined ? undefined : new Date(since),
        until: until === undefined ? undefined : new Date(until),
      };
      const result = await audit.list(filter, page, page_size);
      return { total: result.total, page, page_size, events: result.events.map(toEventResponse) };
    },
  );
}
