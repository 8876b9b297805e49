import { clientInfo } from '../../client-info.js';
import { type RouteDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses, ReceiptKeyParams } from '../../schemas/common-schemas.js';
import { ReceiptResponse } from '../../schemas/share-schemas.js';

const tags = ['receipts'];

export function receiptRoutes(app: TypedApp, { shares }: RouteDeps): void {
  app.get(
    '/receipts/:receiptKey',
    {
      schema: {
        tags,
        summary: "A share's state and timeline, for its sender; never its content",
        params: ReceiptKeyParams,
        response: { 200: ReceiptResponse, ...errorResponses },
      },
    },
    async (request) => {
      const r = await shares.receipt(request.params.receiptKey);
      return {
        share_id: r.shareId,
        state: r.state,
        created_at: r.createdAt.toISOString(),
        expires_at: r.expiresAt.toISOString(),
        ended_at: r.endedAt?.toISOString() ?? null,
        end_reason: r.endReason ?? null,
        max_views: r.maxViews,
        views_used: r.viewsUsed,
        views_left: r.viewsLeft,
        passphrase_required: r.passphraseRequired,
        failed_passphrase_attempts: r.failedPassphraseAttempts,
        timeline: r.timeline.map((event) => ({
          type: event.type,
          at: event.at.toISOString(),
          ...(event.detail !== undefined && { detail: event.detail }),
        })),
      };
    },
  );

  app.post(
    '/receipts/:receiptKey/burn',
    {
      schema: {
        tags,
        summary: 'Burn the share behind a receipt',
        params: ReceiptKeyParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await shares.burnByReceipt(request.params.receiptKey, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
