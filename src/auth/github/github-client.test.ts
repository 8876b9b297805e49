import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../../../test/helpers/refusal.js';
import { type FakeGithub, startFakeGithub } from '../../../test/servers/fake-github.js';
import { createGithubClient, type GithubClient } from './github-client.js';
import { pkceChallenge } from './oauth-state.js';

describe('GitHub client (against the fake GitHub)', () => {
  let fake: FakeGithub;
  let client: GithubClient;
  const reasons: string[] = [];
  const redirectUri = 'http://hush.test/api/v1/auth/github/callback';

  beforeAll(async () => {
    fake = await startFakeGithub();
    client = createGithubClient({
      oauthUrl: fake.url,
      apiUrl: fake.url,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      timeoutMs: 500,
      onUnavailable: (reason) => reasons.push(reason),
    });
  });
  afterAll(() => fake?.close());

  /** A code the fake's authorize page issued for `login` against this verifier's challenge. */
  const authorize = async (login: string, verifier: string) => {
    fake.signIn(login);
    const query = new URLSearchParams({
      client_id: fake.clientId,
      redirect_uri: redirectUri,
      state: 's',
      code_challenge: pkceChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const answer = await fetch(`${fake.url}/login/oauth/authorize?${query}`, { redirect: 'manual' });
    return new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
  };

  it('reads id, login, public email, and every org and team across pages', async () => {
    const orgs = Array.from({ length: 150 }, (_, i) => `org${i}`);
    const token = fake.setAccount({
      id: 1,
      login: 'Octocat',
      email: 'octo@example.com',
      orgs,
      teams: ['org7/ops'],
    });
    expect(await client.identify(token)).toEqual({
      id: 1,
      login: 'Octocat',
      email: 'octo@example.com',
      orgs,
      teams: ['org7/ops'],
    });
  });

  it('trades a code with its PKCE verifier for a token, once', async () => {
    fake.setAccount({ id: 2, login: 'hubot' });
    const code = await authorize('hubot', 'verifier-'.repeat(6));
    const token = await client.exchangeCode(code, redirectUri, 'verifier-'.repeat(6));
    expect((await client.identify(token)).login).toBe('hubot');
    expect(fake.tokenRequests.at(-1)).toMatchObject({
      client_id: fake.clientId,
      code_verifier: 'verifier-'.repeat(6),
    });
    expect(await codeOf(client.exchangeCode(code, redirectUri, 'verifier-'.repeat(6)))).toBe(
      'github_code_invalid',
    );
  });

  it('refuses a code with the wrong verifier (PKCE), and unknown codes and tokens', async () => {
    const code = await authorize('hubot', 'the-right-verifier-0123456789abcdefghijklmnop');
    expect(
      await codeOf(client.exchangeCode(code, redirectUri, 'another-verifier-0123456789abcdefghijklmn')),
    ).toBe('github_code_invalid');
    expect(await codeOf(client.exchangeCode('nope', redirectUri, 'x'))).toBe('github_code_invalid');
    expect(await codeOf(client.identify('gho_unknown'))).toBe('github_token_invalid');
  });

  it('treats a misconfigured OAuth app, errors and timeouts as GitHub unavailable (502)', async () => {
    const wrongSecret = createGithubClient({
      oauthUrl: fake.url,
      apiUrl: fake.url,
      clientId: fake.clientId,
      clientSecret: 'wrong',
      onUnavailable: (reason) => reasons.push(reason),
    });
    const code = await authorize('hubot', 'v'.repeat(43));
    expect(await codeOf(wrongSecret.exchangeCode(code, redirectUri, 'v'.repeat(43)))).toBe(
      'github_unavailable',
    );
    expect(reasons.at(-1)).toMatch(/incorrect_client_credentials/);

    const token = fake.setAccount({ id: 3, login: 'down' });
    fake.outage = 'error';
    expect(await codeOf(client.identify(token))).toBe('github_unavailable');
    expect(reasons.at(-1)).toBe('GET /user: HTTP 500');
    fake.outage = 'hang';
    expect(await codeOf(client.identify(token))).toBe('github_unavailable');
    expect(reasons.at(-1)).toBe('GET /user: no answer within 500 ms');
    fake.outage = 'none';
    expect(reasons.join(' ')).not.toContain(token);
  });

  it('does not follow a next page to another origin, where the token would go along', async () => {
    const elsewhere = createServer((_req, res) => res.end('[]'));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    let seen = 0;
    elsewhere.on('request', () => seen++);
    const api = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/user') return res.end(JSON.stringify({ id: 9, login: 'nine' }));
      const port = (elsewhere.address() as AddressInfo).port;
      res.setHeader('link', `<http://127.0.0.1:${port}/user/orgs?page=2>; rel="next"`);
      res.end(JSON.stringify([{ login: 'acme' }]));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const other = createGithubClient({ oauthUrl: apiUrl, apiUrl, clientId: 'x', clientSecret: 'y' });
    try {
      expect((await other.identify('gho_x')).orgs).toEqual(['acme']);
      expect(seen).toBe(0);
    } finally {
      api.close();
      elsewhere.close();
    }
  });
});
