import formBody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import type { IssuedTokens } from '../../../auth/token-types.js';
import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import { formOrStrictValidatorCompiler, parseFormBody } from '../../form-body.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  LookupSelfResponse,
  RefreshBody,
  RevokeBody,
  RevokeResponse,
  SessionParams,
  SessionsResponse,
  TokenCreateBody,
  TokenResponse,
} from '../../schemas/token-schemas.js';

const tags = ['tokens'];
const bearer = [{ bearer: [] }];

export function toTokenResponse(issued: IssuedTokens) {
  return {
    access_token: issued.accessToken,
    token_type: issued.tokenType,
    expires_in: issued.expiresIn,
    refresh_token: issued.refreshToken,
    refresh_expires_in: issued.refreshExpiresIn,
    scope: issued.scope,
    session_id: issued.sessionId,
  };
}

function cidrList(value: Static<typeof TokenCreateBody>['bound_cidrs']): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? value.split(/[\s,]+/) : value;
  return list.filter((cidr) => cidr !== '');
}

/**
 * The OAuth2-style token endpoints. They take form-encoded bodies as well as JSON,
 * so they live in their own scope with a form parser; a form body's text is coerced to the
 * schema's numbers and booleans, a JSON body is validated strictly (form-body.ts).
 */
export function tokenRoutes(app: TypedApp, deps: SurfaceDeps): void {
  const { tokens, auth } = deps;
  const formScope: FastifyPluginAsync = async (plain) => {
    // Its size is each route's body limit (native-body-limits.ts).
    await plain.register(formBody, { parser: parseFormBody });
    plain.setValidatorCompiler(formOrStrictValidatorCompiler);
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();

    scope.post(
      '/token/create',
      {
        schema: {
          tags,
          summary: 'Sign in: the OAuth2 password grant (or refresh_token grant)',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: TokenCreateBody,
          response: { 200: TokenResponse, ...errorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const client = clientInfo(request);
        if (body.grant_type === 'refresh_token') {
          if (!body.refresh_token) throw new HushError('bad_request', 'refresh_token is required.');
          return toTokenResponse(await tokens.renew(body.refresh_token, client));
        }
        if (body.grant_type !== 'password') throw new HushError('unsupported_grant_type');
        if (body.username === undefined || body.password === undefined) {
          throw new HushError('bad_request', 'username and password are required.');
        }
        const issued = await tokens.login(body.username, body.password, {
          scope: body.scope,
          ttlSeconds: body.ttl_seconds,
          maxTtlSeconds: body.max_ttl_seconds,
          maxUses: body.max_uses,
          bindIp: body.bind_ip,
          boundCidrs: cidrList(body.bound_cidrs),
          clientId: body.client_id,
          client,
          method: 'password',
        });
        return toTokenResponse(issued);
      },
    );

    scope.post(
      '/token/renew',
      {
        schema: {
          tags,
          summary: 'Rotate a refresh token for new tokens; reusing a rotated one revokes the session',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: RefreshBody,
          response: { 200: TokenResponse, ...errorResponses },
        },
      },
      async (request) => toTokenResponse(await tokens.renew(request.body.refresh_token, clientInfo(request))),
    );

    scope.post(
      '/token/revoke',
      {
        schema: {
          tags,
          summary: 'Revoke the session of an access or refresh token (idempotent)',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: RevokeBody,
          response: { 200: RevokeResponse, ...errorResponses },
        },
      },
      async (request) => {
        const token = request.body.revoke_token ?? request.body.token;
        if (token === undefined) throw new HushError('bad_request', 'revoke_token is required.');
        await tokens.revoke(token, clientInfo(request));
        // The same answer for unknown tokens (RFC 7009 §2.2): revoking tells nothing about validity.
        return { revoked: true };
      },
    );
  };
  app.register(formScope);

  app.get(
    '/token/lookup-self',
    {
      onRequest: auth(),
      schema: {
        tags,
        summary: 'The calling token: account, scopes, limits',
        security: bearer,
        response: { 200: LookupSelfResponse, ...errorResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return {
        user: { kind: p.kind, id: p.id, username: p.name, role: p.role },
        token_id: p.tokenId,
        session_id: p.sessionId,
        scopes: [...p.scopes],
        expires_at: p.token.expiresAt.toISOString(),
        session_expires_at: p.token.sessionExpiresAt.toISOString(),
        uses_left: p.token.usesLeft ?? null,
        bound_cidrs: p.token.boundCidrs ? [...p.token.boundCidrs] : null,
      };
    },
  );

  app.get(
    '/token/sessions',
    {
      onRequest: auth(),
      schema: {
        tags,
        summary: 'The caller’s own live sessions',
        security: bearer,
        response: { 200: SessionsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const sessions = await tokens.listSessions(principalOf(request));
      return {
        sessions: sessions.map((s) => ({
          id: s.id,
          client_id: s.clientId ?? null,
          client_ip: s.clientIp ?? null,
          created_at: s.createdAt.toISOString(),
          expires_at: s.expiresAt.toISOString(),
          current: s.current,
        })),
      };
    },
  );

  app.post(
    '/token/sessions/:session_id/revoke',
    {
      onRequest: auth(),
      schema: {
        tags,
        summary: 'Revoke one of the caller’s own sessions',
        security: bearer,
        params: SessionParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await tokens.revokeSession(principalOf(request), request.params.session_id, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
