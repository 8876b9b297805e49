import { describe, expect, it } from 'vitest';
import type { Role } from '../auth/user-types.js';
import type { PolicyRecord } from '../storage/policy-store.js';
import { type AttachedPolicy, createPolicyChecker, evaluatePolicies } from './policy-checker.js';

const p = (path: string, ...capabilities: string[]): AttachedPolicy => ({ path, capabilities });
const ALL = ['create', 'delete', 'list', 'read', 'update'];

interface Row {
  readonly why: string;
  /** The policies attached to the actor's user and role together (the store gathers both). */
  readonly policies: readonly AttachedPolicy[];
  readonly role: Role;
  readonly name: string;
  readonly expected: readonly string[];
}

const rows: Row[] = [
  { why: 'default deny: no policies', policies: [], role: 'user', name: 'apps/a', expected: [] },
  {
    why: 'default deny: nothing matches',
    policies: [p('ops/*', 'read')],
    role: 'user',
    name: 'apps/a',
    expected: [],
  },
  { why: 'exact path', policies: [p('apps/a', 'read')], role: 'user', name: 'apps/a', expected: ['read'] },
  {
    why: 'exact path is not a prefix',
    policies: [p('apps/a', 'read')],
    role: 'user',
    name: 'apps/ab',
    expected: [],
  },
  {
    why: '* within one segment',
    policies: [p('apps/*', 'read')],
    role: 'user',
    name: 'apps/a',
    expected: ['read'],
  },
  { why: '* not across /', policies: [p('apps/*', 'read')], role: 'user', name: 'apps/a/b', expected: [] },
  { why: '* needs a segment', policies: [p('apps/*', 'read')], role: 'user', name: 'apps', expected: [] },
  {
    why: '* inside a segment',
    policies: [p('apps/db-*', 'read')],
    role: 'user',
    name: 'apps/db-password',
    expected: ['read'],
  },
  {
    why: '* inside a segment, other prefix',
    policies: [p('apps/db-*', 'read')],
    role: 'user',
    name: 'apps/api-key',
    expected: [],
  },
  {
    why: '** across segments',
    policies: [p('apps/**', 'list')],
    role: 'user',
    name: 'apps/a/b/c',
    expected: ['list'],
  },
  {
    why: '** one segment',
    policies: [p('apps/**', 'list')],
    role: 'user',
    name: 'apps/a',
    expected: ['list'],
  },
  {
    why: 'a trailing ** is what is inside, not the parent itself',
    policies: [p('apps/**', 'list')],
    role: 'user',
    name: 'apps',
    expected: [],
  },
  {
    why: '** needs the whole segment',
    policies: [p('apps/**', 'list')],
    role: 'user',
    name: 'apps2/a',
    expected: [],
  },
  {
    why: '** in the middle, zero segments',
    policies: [p('apps/**/db', 'read')],
    role: 'user',
    name: 'apps/db',
    expected: ['read'],
  },
  {
    why: '** in the middle, many segments',
    policies: [p('apps/**/db', 'read')],
    role: 'user',
    name: 'apps/x/y/db',
    expected: ['read'],
  },
  {
    why: '** alone matches everything',
    policies: [p('**', 'read')],
    role: 'user',
    name: 'a/b/c',
    expected: ['read'],
  },
  {
    why: '? one character',
    policies: [p('apps/v?', 'read')],
    role: 'user',
    name: 'apps/v1',
    expected: ['read'],
  },
  {
    why: '? not zero characters',
    policies: [p('apps/v?', 'read')],
    role: 'user',
    name: 'apps/v',
    expected: [],
  },
  {
    why: '? not two characters',
    policies: [p('apps/v?', 'read')],
    role: 'user',
    name: 'apps/v12',
    expected: [],
  },
  { why: '? not a /', policies: [p('apps?x', 'read')], role: 'user', name: 'apps/x', expected: [] },
  {
    why: '* matches a dot name',
    policies: [p('apps/*', 'read')],
    role: 'user',
    name: 'apps/.env',
    expected: ['read'],
  },
  {
    why: '** matches dot segments',
    policies: [p('**', 'read')],
    role: 'user',
    name: '.config/.env',
    expected: ['read'],
  },
  {
    why: '. is literal, not any character',
    policies: [p('apps/a.b', 'read')],
    role: 'user',
    name: 'apps/axb',
    expected: [],
  },
  {
    why: 'dots in names',
    policies: [p('apps/*.json', 'read')],
    role: 'user',
    name: 'apps/config.json',
    expected: ['read'],
  },
  {
    why: 'union of user and role policies',
    policies: [p('apps/**', 'read', 'list'), p('apps/billing/*', 'update')],
    role: 'user',
    name: 'apps/billing/db',
    expected: ['list', 'read', 'update'],
  },
  {
    why: 'only matching policies count in the union',
    policies: [p('apps/**', 'read'), p('ops/**', 'delete')],
    role: 'user',
    name: 'apps/a',
    expected: ['read'],
  },
  {
    why: 'deny wins over a broader grant',
    policies: [p('apps/**', 'read', 'list', 'update'), p('apps/billing/*', 'deny')],
    role: 'user',
    name: 'apps/billing/db',
    expected: [],
  },
  {
    why: 'deny wins whichever order the policies come in',
    policies: [p('apps/billing/*', 'deny'), p('apps/**', 'read')],
    role: 'user',
    name: 'apps/billing/db',
    expected: [],
  },
  {
    why: 'deny listed with grants still denies',
    policies: [p('apps/**', 'read'), p('apps/*', 'read', 'deny')],
    role: 'user',
    name: 'apps/a',
    expected: [],
  },
  {
    why: 'a deny elsewhere leaves this path alone',
    policies: [p('apps/**', 'read'), p('apps/billing/*', 'deny')],
    role: 'user',
    name: 'apps/web/key',
    expected: ['read'],
  },
  {
    why: 'admin holds everything with no policy',
    policies: [],
    role: 'admin',
    name: 'any/thing',
    expected: ALL,
  },
  {
    why: 'admin grants are not narrowed by a grant',
    policies: [p('apps/**', 'read')],
    role: 'admin',
    name: 'apps/a',
    expected: ALL,
  },
  {
    why: 'an explicit deny attached to an admin wins',
    policies: [p('hr/**', 'deny')],
    role: 'admin',
    name: 'hr/salaries',
    expected: [],
  },
  {
    why: "an admin's deny leaves other paths granted",
    policies: [p('hr/**', 'deny')],
    role: 'admin',
    name: 'apps/a',
    expected: ALL,
  },
  {
    why: 'unknown stored capabilities grant nothing',
    policies: [p('apps/*', 'read', 'sudo')],
    role: 'user',
    name: 'apps/a',
    expected: ['read'],
  },
];

describe('policy evaluation', () => {
  it.each(rows)('$why: $role on $name → $expected', ({ policies, role, name, expected }) => {
    expect([...evaluatePolicies(policies, role, name)].sort()).toEqual([...expected].sort());
  });
});

describe('policy checker', () => {
  const record = (subjectType: string, subject: string, path: string, caps: string[]): PolicyRecord => ({
    id: `${subject}:${path}`,
    subjectType,
    subject,
    path,
    capabilities: caps,
    createdAt: 0,
  });

  it("reads the actor's policies once per decision, by principal and role", async () => {
    const calls: [string, string][] = [];
    const checker = createPolicyChecker({
      store: {
        async forActor(principal, role) {
          calls.push([principal.id, role]);
          return [
            record(principal.kind, principal.id, 'apps/*', ['read']),
            record('role', role, 'apps/**', ['list']),
          ];
        },
      },
    });
    const actor = { kind: 'user' as const, id: 'u-1', role: 'user' as const };
    expect([...(await checker.capabilities(actor, 'apps/a'))].sort()).toEqual(['list', 'read']);
    const decide = await checker.decider(actor);
    expect([...decide('apps/a/b')]).toEqual(['list']);
    expect([...decide('ops/a')]).toEqual([]);
    expect(calls).toEqual([
      ['u-1', 'user'],
      ['u-1', 'user'],
    ]);
  });
});
