import { Type } from 'typebox';
import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import { defaultEmptyBody, type RouteDeps, type TypedApp } from '../../route-types.js';
import { custidOf, type OtsCaller, otsCaller, otsOwner } from './ots-auth.js';
import { OtsReceipt, toOtsReceipt } from './ots-receipt.js';
import { KeyParams, otsErrorResponses, PassphraseOnlyBody } from './ots-schemas.js';

const tags = ['compat: onetimesecret'];

const BASES = ['/receipt', '/private', '/metadata'];
/** How many receipts `recent` lists (onetimesecret lists an account's latest). */
const RECENT = 100;

const BurnResponse = Type.Object({ state: OtsReceipt, secret_shortkey: Type.String() });

/** A share id (22 base64url characters), as `recent` lists an owner's receipts under. */
const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * onetimesecret's receipts ("metadata") over hush's: reading one changes nothing; a burn by its
 * key burns the share, as the sender may. hush keeps only a hash of each receipt key, so
 * `recent` lists an account's shares under their share ids as `metadata_key`; the receipt routes
 * take those too, from the account that owns the share (docs/api.md).
 */
export function otsReceiptRoutes(app: TypedApp, { shares, tokens, config }: RouteDeps): void {
  const context = (receiptKey: string, custid: string) => ({
    receiptKey,
    custid,
    publicUrl: config.publicUrl,
    now: Date.now(),
  });
  /** The receipt behind a receipt key, or behind a share id of the caller's own. */
  const receiptFor = (key: string, caller: OtsCaller) =>
    caller.kind === 'account' && SHARE_ID.test(key)
      ? shares.ownedReceipt(otsOwner(caller), key)
      : shares.receipt(key);
  const describe = async (key: string, caller: OtsCaller) =>
    toOtsReceipt(await receiptFor(key, caller), context(key, custidOf(caller)));

  // `/receipt/…` is onetimesecret's canonical path; `/private/…` and `/metadata/…` its older aliases.
  for (const base of BASES) {
    app.get(
      `${base}/recent`,
      {
        schema: {
          tags,
          summary: "The account's recent receipts, newest first, keyed by share id",
          response: { 200: Type.Array(OtsReceipt), ...otsErrorResponses },
        },
      },
      async (request) => {
        const caller = await otsCaller(request, tokens);
        if (caller.kind === 'anonymous') throw new HushError('unauthorized');
        const { shares: owned } = await shares.listOwned(otsOwner(caller), 1, RECENT);
        return owned.map((receipt) => toOtsReceipt(receipt, context(receipt.shareId, caller.username)));
      },
    );
    app.route({
      method: ['GET', 'POST'],
      url: `${base}/:key`,
      // A HEAD twin would only repeat the GET, which changes nothing; left out to keep the table short.
      exposeHeadRoute: false,
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: "A secret's receipt; reading it changes nothing",
        params: KeyParams,
        response: { 200: OtsReceipt, ...otsErrorResponses },
      },
      handler: async (request) => describe(request.params.key, await otsCaller(request, tokens)),
    });

    app.post(
      `${base}/:key/burn`,
      {
        preValidation: defaultEmptyBody,
        schema: {
          tags,
          summary: 'Burn the secret behind a receipt (its holder is the sender)',
          params: KeyParams,
          body: PassphraseOnlyBody,
          response: { 200: BurnResponse, ...otsErrorResponses },
        },
      },
      async (request) => {
        const caller = await otsCaller(request, tokens);
        const { key } = request.params;
        if (caller.kind === 'account' && SHARE_ID.test(key)) {
          await shares.burnOwned(otsOwner(caller), key, clientInfo(request));
        } else {
          await shares.burnByReceipt(key, clientInfo(request));
        }
        // hush keeps no secret key to shorten: the short key is empty.
        return { state: await describe(key, caller), secret_shortkey: '' };
      },
    );
  }
}
