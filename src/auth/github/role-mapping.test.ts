import { describe, expect, it } from 'vitest';
import { mapGithubRole } from './role-mapping.js';

const octocat = { login: 'Octocat', orgs: ['Acme', 'oss'], teams: ['Acme/ops', 'oss/docs'] };

describe('GitHub role mapping', () => {
  it.each([
    ['no entries', {}, undefined],
    ['an org the account is not in', { 'org:other': 'admin' }, undefined],
    ['a team of another org with the same slug', { 'team:other/ops': 'admin' }, undefined],
    ['an org', { 'org:acme': 'user' }, 'user'],
    ['a team (case-insensitive)', { 'team:ACME/ops': 'admin' }, 'admin'],
    ['a user', { 'user:octocat': 'admin' }, 'admin'],
    ['org user, team admin: the highest wins', { 'org:acme': 'user', 'team:acme/ops': 'admin' }, 'admin'],
    ['admin first, user after: still admin', { 'user:octocat': 'admin', 'org:oss': 'user' }, 'admin'],
  ] as const)('%s', (_case, mapping, role) => {
    expect(mapGithubRole(mapping, octocat)).toBe(role);
  });
});
