import { Type } from 'typebox';
import { LEGACY_EVENT_TYPES } from '../../../audit/legacy-event-types.js';
import { clientInfo } from '../../client-info.js';
import { optionalBearer } from '../../plugins/auth.js';
import { defaultEmptyBody, type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import {
  DateTime,
  errorResponses,
  Nullable,
  PassphraseText,
  SecretKeyParams,
  SecretText,
  TtlSeconds,
} from '../../schemas/common-schemas.js';
import { PageQuery } from '../../schemas/event-schemas.js';
import { PassphraseBody } from '../../schemas/share-schemas.js';

/**
 * The FastAPI "secret-manager" service's API as documented. Its passphrase protects
 * deletion only, and its GET consumes the secret: the one documented exception to "no GET consumes
 * anything".
 */
const tags = ['compat: secret-manager'];

const CreateBody = Type.Object(
  {
    secret: SecretText,
    passphrase: Type.Optional(Nullable(PassphraseText)),
    ttl_seconds: Type.Optional(Nullable(TtlSeconds)),
  },
  { additionalProperties: false },
);

const EventsQuery = Type.Object(PageQuery, { additionalProperties: false });

const EventsResponse = Type.Object({
  total: Type.Integer(),
  size: Type.Integer({ description: 'Number of pages at this page_size' }),
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      client_ip: Nullable(Type.String()),
      client_user_agent: Nullable(Type.String()),
      type: Type.String(),
      created_at: DateTime,
      secret_id: Nullable(Type.String()),
    }),
  ),
});

export function secretManagerRoutes(app: TypedApp, { shares, audit, auth, tokens }: SurfaceDeps): void {
  app.post(
    '/api/secret',
    {
      onRequest: optionalBearer(tokens, { scope: 'shares:write' }),
      schema: {
        tags,
        summary: 'Create a secret (passphrase guards deletion)',
        body: CreateBody,
        response: { 201: Type.Object({ secret_key: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { secret, passphrase, ttl_seconds } = request.body;
      const created = await shares.create(
        {
          secret,
          passphrase: passphrase ?? undefined,
          ttlSeconds: ttl_seconds ?? undefined,
          passphraseScope: 'burn',
        },
        clientInfo(request),
        request.principal,
      );
      return reply.code(201).send({ secret_key: created.secretKey });
    },
  );

  app.get(
    '/api/secret/:secretKey',
    {
      // Fastify would add a HEAD twin that runs this handler: a link checker's HEAD would burn it.
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'Read the secret once (this GET consumes it)',
        params: SecretKeyParams,
        response: { 200: Type.Object({ secret: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const revealed = await shares.reveal(request.params.secretKey, {}, clientInfo(request));
      return { secret: revealed.secret };
    },
  );

  app.delete(
    '/api/secret/:secretKey',
    {
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Delete the secret',
        params: SecretKeyParams,
        body: PassphraseBody,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const passphrase = request.body.passphrase ?? undefined;
      await shares.burn(request.params.secretKey, { passphrase }, clientInfo(request));
      return sendEmpty(reply, 200);
    },
  );

  app.get(
    '/api/event',
    {
      onRequest: auth({ scope: 'admin' }),
      schema: {
        tags,
        summary: 'Audit events (admin)',
        security: [{ bearer: [] }],
        querystring: EventsQuery,
        response: { 200: EventsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { page, page_size } = request.query;
      const result = await audit.list({}, page, page_size);
      return {
        total: result.total,
        size: Math.ceil(result.total / page_size),
        events: result.events.map((event) => ({
          id: event.id,
          client_ip: event.clientIp ?? null,
          client_user_agent: event.userAgent ?? null,
          // The seed's words (CREATE, READ, DELETE, …), not the namespaced types.
          type: LEGACY_EVENT_TYPES[event.type],
          created_at: event.createdAt.toISOString(),
          secret_id: event.subject?.kind === 'share' ? event.subject.id : null,
        })),
      };
    },
  );
}
