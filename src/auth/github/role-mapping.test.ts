import { describe, expect, it } from 'vitest';
import { mapGithubRole, onlyWidens } from './role-mapping.js';

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
    ['one key in two cases: the higher role', { 'org:acme': 'user', 'org:ACME': 'admin' }, 'admin'],
  ] as const)('%s', (_case, mapping, role) => {
    expect(mapGithubRole(mapping, octocat)).toBe(role);
  });
});

describe('whether a mapping change only widens', () => {
  const acme = { 'org:acme': 'user', 'team:acme/ops': 'admin' } as const;
  it.each([
    ['an entry added', acme, { ...acme, 'org:oss': 'user' }, true],
    ['a role raised', acme, { 'org:acme': 'admin', 'team:acme/ops': 'admin' }, true],
    ['from nothing', {}, { 'org:acme': 'user' }, true],
    [
      'a key only recased, one added',
      acme,
      { 'ORG:Acme': 'user', 'team:acme/ops': 'admin', 'user:x': 'user' },
      true,
    ],
    ['the same mapping again (the way to make GitHub membership changes count)', acme, { ...acme }, false],
    ['a key only recased', acme, { 'org:ACME': 'user', 'team:acme/ops': 'admin' }, false],
    ['an entry removed', acme, { 'org:acme': 'user' }, false],
    ['a role lowered', acme, { 'org:acme': 'user', 'team:acme/ops': 'user' }, false],
    [
      'one added, one lowered',
      acme,
      { 'org:acme': 'user', 'team:acme/ops': 'user', 'org:oss': 'admin' },
      false,
    ],
    ['reset to nothing', acme, {}, false],
    ['nothing to nothing', {}, {}, false],
  ] as const)('%s', (_case, previous, next, widens) => {
    expect(onlyWidens(previous, next)).toBe(widens);
  });
});
