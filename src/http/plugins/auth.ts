import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { TokenService } from '../../auth/token-types.js';
import type { Principal, Scope } from '../../domain/principal.js';
import { HushError } from '../../errors/hush-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on routes that require a token. */
    principal: Principal | undefined;
  }
}

export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', undefined);
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** An Authorization header of the Bearer scheme, well-formed or not. */
const BEARER_SCHEME = /^\s*Bearer(?:\s|$)/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return BEARER.exec(request.headers.authorization ?? '')?.[1] || undefined;
}

function challenge(reply: FastifyReply, error?: 'invalid_token' | 'insufficient_scope'): void {
  reply.header('www-authenticate', error ? `Bearer realm="hush", error="${error}"` : 'Bearer realm="hush"');
}

/**
 * Requires `Authorization: Bearer <access token>` and, when given, a scope; the admin scope also
 * needs the admin role now. Runs on request, before validation, so strangers learn nothing about
 * a route's parameters. A counted token spends one use here, once per request.
 */
export function authenticate(tokens: TokenService, required?: { scope?: Scope }): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const token = bearerToken(request);
    if (!token) {
      challenge(reply);
      throw new HushError('unauthorized');
    }
    let principal: Principal;
    try {
      principal = await tokens.authenticate(token, request.ip);
    } catch (error) {
      if (error instanceof HushError && error.code === 'invalid_token') challenge(reply, 'invalid_token');
      throw error;
    }
    request.principal = principal;
    const scope = required?.scope;
    if (scope === undefined) return;
    if (!principal.scopes.includes(scope)) {
      challenge(reply, 'insufficient_scope');
      throw new HushError('insufficient_scope');
    }
    if (scope === 'admin' && principal.role !== 'admin') throw new HushError('forbidden');
  };
}

/**
 * For routes open to anonymous callers that record who is signed in (creating a share): without a
 * bearer token the caller is anonymous; with one, it must be a valid token carrying `required`'s
 * scope, never quietly ignored. Other Authorization schemes are not ours (a proxy's Basic sign-in
 * in front of the page sends one on every request) and leave the caller anonymous.
 */
export function optionalBearer(
  tokens: TokenService,
  required?: { scope?: Scope },
): onRequestAsyncHookHandler {
  const strict = authenticate(tokens, required);
  return async function (this, request, reply) {
    if (!BEARER_SCHEME.test(request.headers.authorization ?? '')) return;
    await strict.call(this, request, reply);
  };
}

/**
 * How a surface's routes require a caller, with an optional scope. Which credential it reads is the
 * surface's choice: the native and compat surfaces take hush's bearer tokens, a Vault-compatible one
 * would read `X-Vault-Token`.
 */
export type Authenticator = (required?: { scope?: Scope }) => onRequestAsyncHookHandler;

/** hush's own credential: `Authorization: Bearer <access token>`. */
export function bearerAuth(tokens: TokenService): Authenticator {
  return (required) => authenticate(tokens, required);
}

/** The authenticated caller of a route guarded by `authenticate`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HushError('unauthorized');
  return request.principal;
}
