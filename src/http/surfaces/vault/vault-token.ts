import { type Static, Type } from 'typebox';
import type { Principal } from '../../../domain/principal.js';
import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { defaultEmptyBody, sendEmpty, type TypedApp } from '../../route-types.js';
import { Nullable } from '../../schemas/common-schemas.js';
import { vaultToken } from './vault-auth.js';
import { optionalDuration } from './vault-duration.js';
import { AuthEnvelope, authEnvelope, DataEnvelope, dataEnvelope } from './vault-envelope.js';
import { vaultShape } from './vault-errors.js';
import { textList } from './vault-fields.js';
import { issuedAuth, policiesOf, principalAuth, principalMetadata } from './vault-login.js';
import { RenewSelfBody, TokenCreateBody } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

/** Vault's lookup-self `data` (token_store.go handleLookup), every field it answers. */
const LookupSelf = Type.Object({
  accessor: Type.String(),
  bound_cidrs: Type.Optional(Type.Array(Type.String())),
  creation_time: Type.Integer(),
  creation_ttl: Type.Integer(),
  display_name: Type.String(),
  entity_id: Type.String(),
  expire_time: Type.String(),
  explicit_max_ttl: Type.Integer(),
  id: Type.String(),
  issue_time: Type.String(),
  meta: Nullable(Type.Record(Type.String(), Type.String())),
  num_uses: Type.Integer(),
  orphan: Type.Boolean(),
  path: Type.String(),
  policies: Type.Array(Type.String()),
  renewable: Type.Boolean(),
  ttl: Type.Integer(),
  type: Type.String(),
});

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** The token itself: Vault answers it as `id` in lookup-self, and renew-self as `client_token`. */
function ownToken(request: Parameters<typeof vaultToken>[0]): string {
  const token = vaultToken(request);
  if (!token) throw new HushError('unauthorized');
  return token;
}

/**
 * What `auth/token/create` asks that hush cannot give is refused rather than ignored, where
 * ignoring it would hand out a token other than the one asked for (wider, longer or renewable).
 */
function refuseUnsupported(body: Static<typeof TokenCreateBody>, caller: Principal): void {
  const refuse = (what: string) => {
    throw new HushError('bad_request', `${what} is not supported by hush.`);
  };
  if (body.id) refuse('Choosing the token id');
  const own = policiesOf(caller.scopes);
  if (textList(body.policies)?.some((name) => !own.includes(name))) {
    refuse('Naming policies (a token created here carries its creator’s rights)');
  }
  if (optionalDuration(body.period, 'period')) refuse('A periodic token');
  if (optionalDuration(body.explicit_max_ttl, 'explicit_max_ttl')) refuse('explicit_max_ttl');
  if (body.renewable === false) refuse('A token that cannot be renewed');
  if (body.type && !['service', 'default'].includes(body.type)) refuse(`A token of type other than service`);
  if (body.entity_alias) refuse('entity_alias');
}

export function vaultTokenRoutes(app: TypedApp, deps: VaultDeps): void {
  const { tokens, auth } = deps;

  app.get(
    '/auth/token/lookup-self',
    {
      onRequest: auth(),
      schema: {
        summary: 'Vault token lookup-self: the calling token',
        response: { 200: DataEnvelope(LookupSelf), ...vaultShape.responses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      // A Vault token is a session's one access token: the session's start is the token's.
      const session = (await tokens.listSessions(p)).find((listed) => listed.current);
      const issuedAt = session?.createdAt ?? new Date();
      const { expiresAt, sessionExpiresAt, usesLeft, boundCidrs } = p.token;
      const machine = p.kind === 'machine';
      return dataEnvelope(request, {
        accessor: p.sessionId,
        ...(boundCidrs && { bound_cidrs: [...boundCidrs] }),
        creation_time: Math.floor(issuedAt.getTime() / 1000),
        creation_ttl: seconds(expiresAt.getTime() - issuedAt.getTime()),
        display_name: machine ? 'approle' : `userpass-${p.name}`,
        entity_id: '',
        expire_time: expiresAt.toISOString(),
        explicit_max_ttl: seconds(sessionExpiresAt.getTime() - issuedAt.getTime()),
        id: ownToken(request),
        issue_time: issuedAt.toISOString(),
        meta: principalMetadata(p),
        num_uses: usesLeft ?? 0,
        orphan: true,
        path: machine ? 'auth/approle/login' : `auth/userpass/login/${p.name}`,
        policies: policiesOf(p.scopes),
        renewable: usesLeft === undefined && expiresAt < sessionExpiresAt,
        ttl: seconds(expiresAt.getTime() - Date.now()),
        type: 'service',
      });
    },
  );

  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/token/renew-self',
    onRequest: auth(),
    preValidation: defaultEmptyBody,
    schema: {
      summary: 'Vault token renew-self: extends the calling token, within its session',
      body: RenewSelfBody,
      response: { 200: AuthEnvelope, ...vaultShape.responses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      // Vault's increment 0 asks for the default lifetime, as no increment does.
      const increment = optionalDuration(request.body.increment, 'increment') || undefined;
      const { expiresAt } = await tokens.renewAccess(p, increment, clientInfo(request));
      return authEnvelope(request, principalAuth(p, ownToken(request), expiresAt));
    },
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/token/revoke-self',
    onRequest: auth(),
    schema: {
      summary: 'Vault token revoke-self: ends the calling token’s session',
      response: { ...vaultShape.responses },
    },
    handler: async (request, reply) => {
      await tokens.revoke(ownToken(request), clientInfo(request));
      return sendEmpty(reply, 204);
    },
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/token/create',
    onRequest: auth(),
    preValidation: defaultEmptyBody,
    schema: {
      summary: 'Vault token create: a new token within the caller’s rights (ttl, num_uses)',
      body: TokenCreateBody,
      response: { 200: AuthEnvelope, ...vaultShape.responses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const body = request.body;
      refuseUnsupported(body, p);
      const ttlSeconds = optionalDuration(body.ttl ?? body.lease, 'ttl') || undefined;
      const numUses = body.num_uses || undefined;
      const issued = await tokens.createFor(
        p,
        {
          ...(ttlSeconds !== undefined && { ttlSeconds }),
          ...(numUses !== undefined && { numUses }),
          ...(body.display_name && { displayName: body.display_name }),
        },
        clientInfo(request),
      );
      const ignored = body.meta && Object.keys(body.meta).length > 0 ? ['meta is not kept by hush.'] : [];
      return authEnvelope(request, issuedAuth(issued, { metadata: null, numUses: numUses ?? 0 }), ignored);
    },
  });
}
