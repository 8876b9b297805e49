import { Type } from 'typebox';
import { clientInfo } from '../../client-info.js';
import type { RouteDeps, TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import { GithubCallbackQuery, GithubExchangeBody } from '../../schemas/github-schemas.js';
import { TokenResponse } from '../../schemas/token-schemas.js';
import { clearStateCookie, setStateCookie, stateCookieOf } from './github-cookie.js';
import { toTokenResponse } from './tokens.js';

const tags = ['github'];

/** GitHub sign-in: the OAuth web flow and the token exchange. 404 github_disabled when not configured. */
export function githubRoutes(app: TypedApp, { github }: RouteDeps): void {
  const cookiePath = `${app.prefix}/auth/github`;
  app.get(
    '/auth/github/login',
    {
      schema: {
        tags,
        summary: 'Start the GitHub web flow: redirects to GitHub with state and PKCE',
        response: {
          302: Type.Null({ description: 'Redirect to the GitHub authorize page' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const flow = await github.start();
      setStateCookie(request, reply, cookiePath, flow.state);
      return reply.redirect(flow.authorizeUrl, 302);
    },
  );

  app.get(
    '/auth/github/callback',
    {
      schema: {
        tags,
        summary: 'Finish the GitHub web flow (GitHub redirects here): answers hush tokens',
        querystring: GithubCallbackQuery,
        response: { 200: TokenResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const browserState = stateCookieOf(request);
      clearStateCookie(request, reply, cookiePath);
      const { code, state, error } = request.query;
      const issued = await github.callback({ code, state, error, browserState, client: clientInfo(request) });
      return toTokenResponse(issued);
    },
  );

  app.post(
    '/auth/github/exchange',
    {
      schema: {
        tags,
        summary: 'Sign in with a GitHub token (the CLI case): answers hush tokens',
        body: GithubExchangeBody,
        response: { 200: TokenResponse, ...errorResponses },
      },
    },
    async (request) => toTokenResponse(await github.exchange(request.body.github_token, clientInfo(request))),
  );
}
