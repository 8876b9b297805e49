import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A GitHub account as the fake knows it; `teams` are `<org>/<team-slug>`. */
export interface FakeGithubAccount {
  readonly id: number;
  readonly login: string;
  readonly email?: string | null;
  readonly orgs?: readonly string[];
  readonly teams?: readonly string[];
}

export interface FakeGithub {
  /** Base URL of both the OAuth pages and the API (HUSH_GITHUB_OAUTH_URL and HUSH_GITHUB_API_URL). */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Adds an account or replaces the one with its id (a rename keeps the id); returns a token for it. */
  setAccount(account: FakeGithubAccount): string;
  /** Who the authorize page signs in as; `deny` makes it answer error=access_denied instead. */
  signIn(login: string | 'deny'): void;
  /** Every endpoint answers 500 (`error`), or never answers (`hang`). */
  outage: 'none' | 'error' | 'hang';
  /** Forms hush posted to the token endpoint, in order. */
  readonly tokenRequests: Record<string, string>[];
  close(): Promise<void>;
}

interface IssuedCode {
  readonly accountId: number;
  readonly challenge: string;
  readonly redirectUri: string;
}

const PAGE_MAX = 100;

/**
 * A local stand-in for github.com and api.github.com, on 127.0.0.1 and a free port. It enforces
 * what GitHub does: client credentials, single-use codes bound to their redirect_uri, PKCE (S256)
 * and bearer tokens; lists paginate with Link headers.
 */
export async function startFakeGithub(): Promise<FakeGithub> {
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(20).toString('hex');
  const accounts = new Map<number, FakeGithubAccount>();
  const tokens = new Map<string, number>();
  const codes = new Map<string, IssuedCode>();
  const tokenRequests: Record<string, string>[] = [];
  let signedIn: string | undefined;
  let url = '';

  const newToken = (accountId: number) => {
    const token = `gho_${randomBytes(18).toString('hex')}`;
    tokens.set(token, accountId);
    return token;
  };
  const byLogin = (login: string) =>
    [...accounts.values()].find((a) => a.login.toLowerCase() === login.toLowerCase());

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const authorize = (query: URLSearchParams, res: ServerResponse) => {
    const redirectUri = query.get('redirect_uri') ?? '';
    if (query.get('client_id') !== clientId || !redirectUri)
      return send(res, 404, { error: 'unknown client' });
    if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
      return send(res, 400, { error: 'PKCE S256 required' });
    }
    const back = new URL(redirectUri);
    back.searchParams.set('state', query.get('state') ?? '');
    const account = signedIn === undefined || signedIn === 'deny' ? undefined : byLogin(signedIn);
    if (!account) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(10).toString('hex');
      codes.set(code, { accountId: account.id, challenge: query.get('code_challenge') ?? '', redirectUri });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href });
    res.end();
  };

  const exchange = (form: Record<string, string>, res: ServerResponse) => {
    tokenRequests.push(form);
    if (form.client_id !== clientId || form.client_secret !== clientSecret) {
      return send(res, 200, { error: 'incorrect_client_credentials' });
    }
    const issued = form.code === undefined ? undefined : codes.get(form.code);
    if (form.code !== undefined) codes.delete(form.code);
    if (!issued) return send(res, 200, { error: 'bad_verification_code' });
    if (form.redirect_uri !== issued.redirectUri) return send(res, 200, { error: 'redirect_uri_mismatch' });
    const challenge = createHash('sha256')
      .update(form.code_verifier ?? '')
      .digest('base64url');
    if (challenge !== issued.challenge) return send(res, 200, { error: 'bad_verification_code' });
    send(res, 200, {
      access_token: newToken(issued.accountId),
      token_type: 'bearer',
      scope: 'read:org,read:user',
    });
  };

  const api = (req: IncomingMessage, path: string, query: URLSearchParams, res: ServerResponse) => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const account = token === undefined ? undefined : accounts.get(tokens.get(token) ?? -1);
    if (!account) return send(res, 401, { message: 'Bad credentials' });
    if (path === '/user') {
      return send(res, 200, { id: account.id, login: account.login, email: account.email ?? null });
    }
    const items =
      path === '/user/orgs'
        ? (account.orgs ?? []).map((login) => ({ login }))
        : (account.teams ?? []).map((team) => {
            const [org, slug] = team.split('/');
            return { slug, organization: { login: org } };
          });
    const perPage = Math.min(Number(query.get('per_page') ?? 30), PAGE_MAX);
    const page = Number(query.get('page') ?? 1);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      headers.link = `<${url}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    send(res, 200, items.slice((page - 1) * perPage, page * perPage), headers);
  };

  const server = createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (fake.outage === 'hang') return;
      if (fake.outage === 'error') return send(res, 500, { message: 'Server Error' });
      if (req.method === 'GET' && path === '/login/oauth/authorize')
        return authorize(requestUrl.searchParams, res);
      if (req.method === 'POST' && path === '/login/oauth/access_token') {
        const text = Buffer.concat(chunks).toString('utf8');
        const form = req.headers['content-type']?.includes('json')
          ? (JSON.parse(text) as Record<string, string>)
          : Object.fromEntries(new URLSearchParams(text));
        return exchange(form, res);
      }
      if (req.method === 'GET' && ['/user', '/user/orgs', '/user/teams'].includes(path)) {
        return api(req, path, requestUrl.searchParams, res);
      }
      send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGithub = {
    url,
    clientId,
    clientSecret,
    outage: 'none',
    tokenRequests,
    setAccount(account) {
      accounts.set(account.id, account);
      return newToken(account.id);
    },
    signIn(login) {
      signedIn = login;
    },
    close() {
      // Hanging requests would otherwise keep close() waiting.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
