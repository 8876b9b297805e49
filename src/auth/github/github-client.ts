import { HushError } from '../../errors/hush-error.js';
import type { GithubAccount } from '../user-types.js';

/** Who a GitHub token belongs to, and the memberships the role mapping looks at. */
export interface GithubIdentity extends GithubAccount {
  /** Organisation logins. */
  readonly orgs: readonly string[];
  /** `<org>/<team-slug>` for every team the account is in. */
  readonly teams: readonly string[];
}

export interface GithubClientDeps {
  readonly oauthUrl: string;
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Bound on each call to GitHub. */
  readonly timeoutMs?: number;
  /** Told why GitHub counted as unavailable (status, timeout, odd answer); never a token or code. */
  readonly onUnavailable?: (reason: string) => void;
}

export interface GithubClient {
  /** Trades a callback code for a GitHub token; github_code_invalid (400) when GitHub refuses it. */
  exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<string>;
  /** The token's account and memberships; github_token_invalid (401) when GitHub refuses it. */
  identify(token: string): Promise<GithubIdentity>;
}

/** GitHub's own answer shapes, as far as we read them. */
interface TokenAnswer {
  access_token?: unknown;
  error?: unknown;
}
interface UserAnswer {
  id?: unknown;
  login?: unknown;
  email?: unknown;
}
interface OrgAnswer {
  login?: unknown;
}
interface TeamAnswer {
  slug?: unknown;
  organization?: OrgAnswer;
}

const LOGIN = /^[A-Za-z0-9-]{1,39}$/;
/** Token-endpoint errors that mean our OAuth app is misconfigured, not that the code is bad. */
const CLIENT_ERRORS = new Set([
  'incorrect_client_credentials',
  'redirect_uri_mismatch',
  'unsupported_grant_type',
]);
/** More orgs or teams than this many pages of 100 are not read. */
const MAX_PAGES = 10;

export function createGithubClient(deps: GithubClientDeps): GithubClient {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const apiOrigin = new URL(deps.apiUrl).origin;

  const unavailable = (reason: string): HushError => {
    deps.onUnavailable?.(reason);
    return new HushError('github_unavailable');
  };

  /** fetch with the timeout; network failures and timeouts are GitHub being unavailable. */
  const call = async (what: string, url: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as Error).name;
      throw unavailable(`${what}: ${name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : name}`);
    }
  };

  const readJson = async <T>(what: string, response: Response): Promise<T> => {
    try {
      return (await response.json()) as T;
    } catch {
      throw unavailable(`${what}: answer is not JSON`);
    }
  };

  const api = async <T>(token: string, url: string): Promise<{ body: T; next: string | undefined }> => {
    const what = `GET ${new URL(url).pathname}`;
    const response = await call(what, url, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'user-agent': 'hush',
        'x-github-api-version': '2022-11-28',
      },
    });
    if (response.status === 401) throw new HushError('github_token_invalid');
    if (!response.ok) throw unavailable(`${what}: HTTP ${response.status}`);
    return { body: await readJson<T>(what, response), next: nextPage(response, apiOrigin) };
  };

  /** Every item of a paginated list, following Link: rel="next" on the API's own origin only. */
  const list = async <T>(token: string, path: string): Promise<T[]> => {
    const items: T[] = [];
    let url: string | undefined = `${deps.apiUrl}${path}?per_page=100`;
    for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
      const { body, next }: { body: unknown; next: string | undefined } = await api(token, url);
      if (!Array.isArray(body)) throw unavailable(`GET ${path}: answer is not a list`);
      items.push(...(body as T[]));
      url = next;
    }
    return items;
  };

  return {
    async exchangeCode(code, redirectUri, codeVerifier) {
      const what = 'POST /login/oauth/access_token';
      const response = await call(what, `${deps.oauthUrl}/login/oauth/access_token`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'hush',
        },
        body: new URLSearchParams({
          client_id: deps.clientId,
          client_secret: deps.clientSecret,
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }).toString(),
      });
      if (!response.ok) throw unavailable(`${what}: HTTP ${response.status}`);
      // GitHub answers errors with 200 and an `error` field.
      const answer = await readJson<TokenAnswer>(what, response);
      if (typeof answer.access_token === 'string' && answer.access_token !== '') return answer.access_token;
      const error = typeof answer.error === 'string' ? answer.error : 'no access_token';
      if (CLIENT_ERRORS.has(error)) throw unavailable(`${what}: ${error} (check the OAuth app settings)`);
      throw new HushError('github_code_invalid');
    },

    async identify(token) {
      const { body: user } = await api<UserAnswer>(token, `${deps.apiUrl}/user`);
      if (!Number.isSafeInteger(user.id) || typeof user.login !== 'string' || !LOGIN.test(user.login)) {
        throw unavailable('GET /user: answer has no valid id and login');
      }
      const [orgs, teams] = await Promise.all([
        list<OrgAnswer>(token, '/user/orgs'),
        list<TeamAnswer>(token, '/user/teams'),
      ]);
      return {
        id: user.id as number,
        login: user.login,
        email: typeof user.email === 'string' ? user.email : undefined,
        orgs: orgs.flatMap((org) => (typeof org.login === 'string' ? [org.login] : [])),
        teams: teams.flatMap((team) =>
          typeof team.slug === 'string' && typeof team.organization?.login === 'string'
            ? [`${team.organization.login}/${team.slug}`]
            : [],
        ),
      };
    },
  };
}

/** The rel="next" URL of a Link header, if it stays on `origin` (the token goes along with it). */
function nextPage(response: Response, origin: string): string | undefined {
  const link = response.headers.get('link');
  const match = link && /<([^>]+)>\s*;\s*rel="next"/.exec(link);
  if (!match?.[1]) return undefined;
  try {
    const url = new URL(match[1]);
    return url.origin === origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}
