import { clientInfo } from '../../client-info.js';
import { type RouteDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses, ReceiptKeyParams } from '../../schemas/common-schemas.js';
import { ReceiptResponse } from '../../schemas/share-schemas.js';
import { receiptFields } from './receipt-fields.js';

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
        ...receiptFields(r),
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
