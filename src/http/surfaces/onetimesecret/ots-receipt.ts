import { Type } from 'typebox';
import { formatReceiptLink } from '../../../client/share-link.js';
import { HushError } from '../../../errors/hush-error.js';
import type { Receipt } from '../../../shares/share-types.js';

/** onetimesecret's receipt states. */
export type OtsState = 'new' | 'viewed' | 'received' | 'burned';

/**
 * A share's state in onetimesecret's words: pending and unseen is `new`, pending after a view (a
 * share of several views) `viewed`, consumed `received`. Expired is gone to onetimesecret, so it
 * answers as an unknown key, as a receipt past its time does there.
 */
export function otsState(receipt: Pick<Receipt, 'state' | 'viewsUsed' | 'endReason'>): OtsState {
  switch (receipt.state) {
    case 'pending':
      return receipt.viewsUsed > 0 ? 'viewed' : 'new';
    case 'consumed':
      return 'received';
    case 'burned':
      return 'burned';
    case 'expired':
      throw new HushError('not_found');
  }
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface ReceiptContext {
  readonly receiptKey: string;
  readonly custid: string;
  readonly publicUrl: string | undefined;
  readonly now: number;
  /** Known only to the answer of a create: hush keeps no secret key, only its hash. */
  readonly secretKey?: string | undefined;
}

export const OtsReceipt = Type.Object(
  {
    custid: Type.String(),
    metadata_key: Type.String(),
    secret_key: Type.Optional(Type.String()),
    ttl: Type.Integer(),
    metadata_ttl: Type.Integer(),
    secret_ttl: Type.Optional(Type.Integer()),
    metadata_url: Type.String(),
    state: Type.Union([
      Type.Literal('new'),
      Type.Literal('viewed'),
      Type.Literal('received'),
      Type.Literal('burned'),
    ]),
    created: Type.Integer(),
    updated: Type.Integer(),
    received: Type.Optional(Type.Integer()),
    recipient: Type.Array(Type.String()),
    share_domain: Type.String(),
    passphrase_required: Type.Boolean(),
  },
  { description: 'onetimesecret’s receipt (its "metadata"), times in Unix seconds' },
);

/** hush's receipt as onetimesecret's clients read it. */
export function toOtsReceipt(receipt: Receipt, context: ReceiptContext) {
  const state = otsState(receipt);
  const live = state === 'new' || state === 'viewed';
  const left = Math.max(0, seconds(receipt.expiresAt) - Math.floor(context.now / 1000));
  return {
    custid: context.custid,
    metadata_key: context.receiptKey,
    ...(live && context.secretKey !== undefined && { secret_key: context.secretKey }),
    ttl: seconds(receipt.expiresAt) - seconds(receipt.createdAt),
    metadata_ttl: left,
    ...(live && { secret_ttl: left }),
    metadata_url: context.publicUrl ? formatReceiptLink(context.publicUrl, context.receiptKey) : '',
    state,
    created: seconds(receipt.createdAt),
    updated: seconds(receipt.endedAt ?? receipt.createdAt),
    ...(state === 'received' && receipt.endedAt && { received: seconds(receipt.endedAt) }),
    recipient: [],
    share_domain: '',
    passphrase_required: receipt.passphraseRequired,
  };
}
