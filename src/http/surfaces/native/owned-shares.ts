import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import { OwnedSharesQuery, OwnedSharesResponse, ShareIdParams } from '../../schemas/share-schemas.js';
import { receiptFields } from './receipt-fields.js';

const tags = ['shares'];

/** A signed-in creator's own shares: listed with their state, burned by id (no link needed). */
export function ownedShareRoutes(app: TypedApp, { shares, auth }: SurfaceDeps): void {
  const owner = auth({ scope: 'shares:write' });

  app.get(
    '/shares',
    {
      onRequest: owner,
      schema: {
        tags,
        summary: 'The shares the caller created while signed in, newest first',
        querystring: OwnedSharesQuery,
        response: { 200: OwnedSharesResponse, ...errorResponses },
      },
    },
    async (request) => {
      const who = principalOf(request);
      const { page, page_size } = request.query;
      const list = await shares.listOwned({ kind: who.kind, id: who.id }, page, page_size);
      return {
        total: list.total,
        page,
        page_size,
        shares: list.shares.map((r) => ({ id: r.shareId, ...receiptFields(r) })),
      };
    },
  );

  app.post(
    '/shares/owned/:id/burn',
    {
      onRequest: owner,
      schema: {
        tags,
        summary: 'Burn one of the caller’s own pending shares by its id',
        params: ShareIdParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await shares.burnOwned(principalOf(request), request.params.id, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
