import type { ActorKind, AuditEvent, EventFilter, SubjectKind } from '../../../audit/audit-types.js';
import { typeOfLegacy } from '../../../audit/legacy-event-types.js';
import { HushError } from '../../../errors/hush-error.js';
import type { SurfaceDeps, TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import { EventsQuery, EventsResponse } from '../../schemas/event-schemas.js';

export function toEventResponse(event: AuditEvent) {
  return {
    id: event.id,
    seq: event.seq ?? 0,
    type: event.type,
    actor: { kind: event.actor.kind, id: event.actor.id ?? null, name: event.actor.name ?? null },
    subject: event.subject ? { kind: event.subject.kind, id: event.subject.id } : null,
    data: event.data,
    client_ip: event.clientIp ?? null,
    user_agent: event.userAgent ?? null,
    request_id: event.requestId ?? null,
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
        summary: 'The audit log: pages newest first, or a cursor oldest first (admin)',
        security: [{ bearer: [] }],
        querystring: EventsQuery,
        response: { 200: EventsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { page, page_size, since, until, after, ...by } = request.query;
      // An old upper-case name (READ) still selects its type: filters written before keep working.
      const type = by.type !== undefined && /^[A-Z_]+$/.test(by.type) ? typeOfLegacy(by.type) : by.type;
      if (by.type !== undefined && type === undefined)
        throw new HushError('bad_request', 'Unknown event type.');
      const filter: EventFilter = {
        type,
        actor: by.actor,
        actorKind: by.actor_kind as ActorKind | undefined,
        subjectKind: by.subject_kind as SubjectKind | undefined,
        subject: by.subject,
        since: since === undefined ? undefined : new Date(since),
        until: until === undefined ? undefined : new Date(until),
      };
      if (after !== undefined) {
        if (page !== 1) throw new HushError('bad_request', 'after reads by cursor: page must be 1.');
        const { events, next } = await audit.after(after, page_size, filter);
        return { page, page_size, next_after: next, events: events.map(toEventResponse) };
      }
      const result = await audit.list(filter, page, page_size);
      return {
        total: result.total,
        page,
        page_size,
        next_after: null,
        events: result.events.map(toEventResponse),
      };
    },
  );
}
