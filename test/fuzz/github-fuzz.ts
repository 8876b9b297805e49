import { expect } from 'vitest';
import { type FakeGithub, startFakeGithub } from '../servers/fake-github.js';
import type { GithubFlow, StoreHush } from './store-fixture.js';

/**
 * GitHub sign-in configured against the local fake GitHub, for the fuzz: an account in an
 * organisation the role mapping admits, and real web flows (state, cookie, code) on demand.
 */
export function fakeGithubForFuzz() {
  let fake: FakeGithub | undefined;
  const started = () => {
    if (!fake) throw new Error('the fake GitHub is not started');
    return fake;
  };
  return {
    /** HUSH_* for a hush that signs in with the fake; starts the fake. */
    async env(): Promise<Record<string, string>> {
      fake = await startFakeGithub();
      return {
        HUSH_PUBLIC_URL: 'http://hush.test',
        HUSH_GITHUB_CLIENT_ID: fake.clientId,
        HUSH_GITHUB_CLIENT_SECRET: fake.clientSecret,
        HUSH_GITHUB_OAUTH_URL: fake.url,
        HUSH_GITHUB_API_URL: fake.url,
      };
    },
    /** Maps the fake's `acme` org to the user role and makes an account there; keeps its token. */
    async prepare(hush: StoreHush): Promise<void> {
      const mapping = await hush.inject({
        method: 'POST',
        url: '/api/v1/sys/setting',
        headers: { authorization: `Bearer ${hush.tokens.admin}` },
        payload: { key: 'github.role_mapping', value: { 'org:acme': 'user' } },
      });
      expect(mapping.statusCode, mapping.body).toBe(200);
      hush.githubToken = started().setAccount({ id: 1, login: 'octo', orgs: ['acme'] });
      started().signIn('octo');
    },
    /** A web flow up to GitHub's redirect back: what a browser would bring to the callback. */
    async flow(hush: StoreHush): Promise<GithubFlow> {
      const start = await hush.inject({ method: 'GET', url: '/api/v1/auth/github/login' });
      expect(start.statusCode, start.body).toBe(302);
      const cookie = String(start.headers['set-cookie']).split(';')[0] ?? '';
      const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
      const back = new URL(authorize.headers.get('location') ?? '');
      return {
        state: back.searchParams.get('state') ?? '',
        code: back.searchParams.get('code') ?? '',
        cookie,
      };
    },
    close: () => fake?.close(),
  };
}
