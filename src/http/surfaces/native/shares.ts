import { formatReceiptLink, formatShareLink } from '../../../client/share-link.js';
import { clientInfo } from '../../client-info.js';
import { defaultEmptyBody, type RouteDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses, SecretKeyParams } from '../../schemas/common-schemas.js';
import {
  CreatedShareResponse,
  CreateShareBody,
  RevealBody,
  RevealResponse,
  ShareStatusResponse,
} from '../../schemas/share-schemas.js';

const tags = ['shares'];

const credentials = (body: { passphrase?: string | null; key_proof?: string | null }) => ({
  passphrase: body.passphrase ?? undefined,
  keyProof: body.key_proof ?? undefined,
});

export function shareRoutes(app: TypedApp, { config, shares }: RouteDeps): void {
  app.post(
    '/shares',
    {
      schema: {
        tags,
        summary: 'Create a one-time secret',
        body: CreateShareBody,
        response: { 201: CreatedShareResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { secret, passphrase, ttl_seconds, max_views, key_check, upload } = request.body;
      const created = await shares.create(
        {
          secret,
          passphrase: passphrase ?? undefined,
          ttlSeconds: ttl_seconds ?? undefined,
          maxViews: max_views ?? undefined,
          keyCheck: key_check ?? undefined,
          upload,
        },
        clientInfo(request),
      );
      return reply.code(201).send({
        secret_key: created.secretKey,
        receipt_key: created.receiptKey,
        expires_at: created.expiresAt.toISOString(),
        max_views: created.maxViews,
        passphrase_required: created.passphraseRequired,
        // Absolute links to the web page behind HUSH_PUBLIC_URL (link format v1, src/client/share-link.ts):
        // the secret was sent in the clear, so the link has no key fragment and the page shows it as is.
        ...(config.publicUrl && {
          url: formatShareLink(config.publicUrl, created.secretKey),
          receipt_url: formatReceiptLink(config.publicUrl, created.receiptKey),
        }),
      });
    },
  );

  app.get(
    '/shares/:secretKey',
    {
      schema: {
        tags,
        summary: 'Check a share without consuming it',
        params: SecretKeyParams,
        response: { 200: ShareStatusResponse, ...errorResponses },
      },
    },
    async (request) => {
      const status = await shares.peek(request.params.secretKey);
      return {
        passphrase_required: status.passphraseRequired,
        expires_at: status.expiresAt.toISOString(),
        views_left: status.viewsLeft,
      };
    },
  );

  app.post(
    '/shares/:secretKey/reveal',
    {
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Reveal the secret, claiming exactly one view',
        params: SecretKeyParams,
        body: RevealBody,
        response: { 200: RevealResponse, ...errorResponses },
      },
    },
    async (request) => {
      const revealed = await shares.reveal(
        request.params.secretKey,
        credentials(request.body),
        clientInfo(request),
      );
      const { files } = revealed;
      return {
        secret: revealed.secret,
        views_left: revealed.viewsLeft,
        ...(files && {
          files: {
            download_key: files.downloadKey,
            bytes: files.bytes,
            expires_at: files.expiresAt.toISOString(),
          },
        }),
      };
    },
  );

  app.delete(
    '/shares/:secretKey',
    {
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Burn a share (passphrase required when it has one)',
        params: SecretKeyParams,
        body: RevealBody,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await shares.burn(request.params.secretKey, credentials(request.body), clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
