import { Type } from 'typebox';
import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import { defaultEmptyBody, type RouteDeps, type TypedApp } from '../../route-types.js';
import { custidOf, otsCaller } from './ots-auth.js';
import { OtsReceipt, toOtsReceipt } from './ots-receipt.js';
import { KeyParams, otsErrorResponses, PassphraseOnlyBody } from './ots-schemas.js';

const tags = ['compat: onetimesecret'];

const BASES = ['/receipt', '/private', '/metadata'];

const BurnResponse = Type.Object({ state: OtsReceipt, secret_shortkey: Type.String() });

/**
 * onetimesecret's receipts ("metadata") over hush's: reading one changes nothing; a burn by its
 * key burns the share, as the sender may. `private/recent` needs share owners, which hush does not
 * record yet: an account is answered an empty list (docs/api.md).
 */
export function otsReceiptRoutes(app: TypedApp, { shares, tokens, config }: RouteDeps): void {
  const describe = async (receiptKey: string, custid: string) =>
    toOtsReceipt(await shares.receipt(receiptKey), {
      receiptKey,
      custid,
      publicUrl: config.publicUrl,
      now: Date.now(),
    });

  // `/receipt/…` is onetimesecret's canonical path; `/private/…` and `/metadata/…` its older aliases.
  for (const base of BASES) {
    app.get(
      `${base}/recent`,
      {
        schema: {
          tags,
          summary: "The account's recent receipts (hush records no owners yet: always empty)",
          response: { 200: Type.Array(OtsReceipt), ...otsErrorResponses },
        },
      },
      async (request) => {
        const caller = await otsCaller(request, tokens);
        if (caller.kind === 'anonymous') throw new HushError('unauthorized');
        return [];
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
      handler: async (request) => describe(request.params.key, custidOf(await otsCaller(request, tokens))),
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
        const custid = custidOf(await otsCaller(request, tokens));
        const { key } = request.params;
        await shares.burnByReceipt(key, clientInfo(request));
        // hush keeps no secret key to shorten: the short key is empty.
        return { state: await describe(key, custid), secret_shortkey: '' };
      },
    );
  }
}
