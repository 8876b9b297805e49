import { Type } from 'typebox';
import { clientInfo } from '../../client-info.js';
import { optionalBearer } from '../../plugins/auth.js';
import type { RouteDeps, TypedApp } from '../../route-types.js';
import {
  errorResponses,
  Nullable,
  PassphraseText,
  SecretKeyParams,
  SecretText,
  TtlSeconds,
} from '../../schemas/common-schemas.js';

/**
 * The "one time secret" assignment's API (`/generate` and `/secrets/{secret_key}`, after
 * onetimesecret.com) as documented: a passphrase is required to create and to read.
 */
const tags = ['compat: one-time secret'];

export function oneTimeSecretRoutes(app: TypedApp, { shares, tokens }: RouteDeps): void {
  app.post(
    '/generate',
    {
      onRequest: optionalBearer(tokens, { scope: 'shares:write' }),
      schema: {
        tags,
        summary: 'Store a secret behind a passphrase',
        body: Type.Object(
          {
            secret: SecretText,
            passphrase: PassphraseText,
            ttl_seconds: Type.Optional(Nullable(TtlSeconds)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ secret_key: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { secret, passphrase, ttl_seconds } = request.body;
      const created = await shares.create(
        { secret, passphrase, ttlSeconds: ttl_seconds ?? undefined },
        clientInfo(request),
        request.principal,
      );
      return reply.code(201).send({ secret_key: created.secretKey });
    },
  );

  app.post(
    '/secrets/:secretKey',
    {
      schema: {
        tags,
        summary: 'Read the secret once with its passphrase',
        params: SecretKeyParams,
        body: Type.Object({ passphrase: PassphraseText }, { additionalProperties: false }),
        response: { 200: Type.Object({ secret: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const revealed = await shares.reveal(
        request.params.secretKey,
        { passphrase: request.body.passphrase },
        clientInfo(request),
      );
      return { secret: revealed.secret };
    },
  );
}
