import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AuditEvent, EventType } from '../../src/audit/audit-types.js';

/**
 * An event as a service would prepare it, told apart by its `data.detail`: the store cases look
 * their events up by it.
 */
export function testEvent(type: EventType, detail: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    seq: undefined,
    type,
    actor: { kind: 'user', id: 'u-tess', name: 'tess' },
    subject: undefined,
    data: { detail },
    clientIp: '192.0.2.9',
    userAgent: 'conformance',
    requestId: undefined,
    createdAt: new Date(),
    ...overrides,
  };
}

/** The detail a testEvent was made with. */
export const detailOf = (event: AuditEvent) => event.data.detail;

/** What an event reads back as once stored: itself, with a seq. */
export const asStored = (event: AuditEvent) => ({ ...event, seq: expect.any(Number) });
