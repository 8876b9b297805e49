import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineRecord } from '../../test/helpers/machine-records.js';
import { codeOf } from '../../test/helpers/refusal.js';
import { type AuditService, createAuditService } from '../audit/audit-service.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { createPolicyService, type PolicyInput, type PolicyService } from './policy-service.js';

const BY = {
  actor: { kind: 'user', id: 'u-root', name: 'root' },
  client: { ip: '192.0.2.1', userAgent: 'test' },
} as const;

describe('policy service', () => {
  let dir: string;
  let storage: SqlStorage;
  let audit: AuditService;
  let policies: PolicyService;
  let aliceId: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-policies-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    audit = createAuditService({ events: storage.events });
    policies = createPolicyService({
      store: storage.policies,
      users: storage.users,
      machines: storage.machines,
      audit,
    });
    aliceId = randomUUID();
    await storage.users.create({
      id: aliceId,
      username: 'alice',
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: Date.now(),
    });
  });
  afterAll(async () => {
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (overrides: Partial<PolicyInput>): PolicyInput => ({
    subjectType: 'role',
    subject: 'user',
    path: 'apps/**',
    capabilities: ['read'],
    ...overrides,
  });

  it.each<[string, Partial<PolicyInput>, string]>([
    ['an unknown subject type', { subjectType: 'group' }, 'invalid_policy'],
    ['an unknown role', { subject: 'auditor' }, 'invalid_policy'],
    ['no capabilities', { capabilities: [] }, 'invalid_policy'],
    ['an unknown capability', { capabilities: ['read', 'sudo'] }, 'invalid_policy'],
    ['a bad glob', { path: 'apps/{a,b}' }, 'invalid_policy'],
    ['a .. segment', { path: 'apps/../hr' }, 'invalid_policy'],
    ['an unknown user', { subjectType: 'user', subject: 'nobody' }, 'not_found'],
  ])('refuses %s', async (_why, overrides, expected) => {
    expect(await codeOf(policies.create(input(overrides), BY))).toBe(expected);
  });

  it('stores user subjects by id, canonical capabilities, and audits with the username', async () => {
    const created = await policies.create(
      input({ subjectType: 'user', subject: ' ALICE ', capabilities: ['update', 'read', 'read'] }),
      BY,
    );
    expect(created).toMatchObject({
      subject: { type: 'user', userId: aliceId },
      subjectName: 'alice',
      path: 'apps/**',
      capabilities: ['read', 'update'],
    });
    const described = {
      subject_type: 'user',
      subject: 'alice',
      path: 'apps/**',
      capabilities: 'read,update',
    };
    const [event] = (await audit.list({ type: 'policy.created' }, 1, 1)).events;
    expect(event).toMatchObject({
      actor: { kind: 'user', id: 'u-root', name: 'root' },
      subject: { kind: 'policy', id: created.id },
      data: described,
      clientIp: '192.0.2.1',
    });

    const [listed] = await policies.list({ subjectType: 'user', subject: 'alice' });
    expect(listed).toEqual(created);

    await policies.delete(created.id, BY);
    const [deleted] = (await audit.list({ type: 'policy.deleted' }, 1, 1)).events;
    expect(deleted).toMatchObject({ actor: { name: 'root' }, data: described });
    expect(await codeOf(policies.delete(created.id, BY))).toBe('not_found');
  });

  it('attaches a policy to a machine identity by its name or id, audited by the acting machine', async () => {
    await storage.machines.create(machineRecord({ id: 'm-deploy', name: 'deploy' }), [], []);
    const machineBy = { actor: { kind: 'machine', id: 'm-ci', name: 'ci' } } as const;
    const created = await policies.create(
      input({ subjectType: 'machine', subject: 'm-deploy', path: 'deploy/**' }),
      machineBy,
    );
    expect(created).toMatchObject({
      subject: { type: 'machine', machineId: 'm-deploy' },
      subjectName: 'deploy',
    });
    const byName = await policies.create(
      input({ subjectType: 'machine', subject: 'deploy', path: 'ci/*' }),
      BY,
    );
    expect(byName.subject).toEqual({ type: 'machine', machineId: 'm-deploy' });
    for (const subject of ['m-deploy', 'deploy']) {
      const listed = (await policies.list({ subjectType: 'machine', subject })).map((p) => p.id);
      expect(listed.sort()).toEqual([created.id, byName.id].sort());
    }
    const [event] = (await audit.list({ type: 'policy.created' }, 1, 2)).events.slice(-1);
    expect(event).toMatchObject({
      actor: { kind: 'machine', id: 'm-ci', name: 'ci' },
      data: { subject_type: 'machine', subject: 'deploy' },
    });
    expect(await codeOf(policies.create(input({ subjectType: 'machine', subject: 'two words' }), BY))).toBe(
      'invalid_policy',
    );
    expect(await codeOf(policies.create(input({ subjectType: 'machine', subject: 'nobody' }), BY))).toBe(
      'not_found',
    );
    await policies.delete(created.id, machineBy);
    await policies.delete(byName.id, BY);
  });

  it('lists with filters, and refuses a subject without its type or an unknown user', async () => {
    const role = await policies.create(input({ capabilities: ['deny'] }), BY);
    const user = await policies.create(input({ subjectType: 'user', subject: 'alice', path: 'a/*' }), BY);
    expect((await policies.list({})).map((p) => p.id)).toEqual(expect.arrayContaining([role.id, user.id]));
    expect((await policies.list({ subjectType: 'role' })).map((p) => p.id)).toEqual([role.id]);
    expect((await policies.list({ subjectType: 'role', subject: 'admin' })).map((p) => p.id)).toEqual([]);
    expect(await codeOf(policies.list({ subject: 'alice' }))).toBe('bad_request');
    expect(await codeOf(policies.list({ subjectType: 'user', subject: 'nobody' }))).toBe('not_found');
  });
});
