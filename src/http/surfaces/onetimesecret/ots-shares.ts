import { type Static, Type } from 'typebox';

import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import { defaultEmptyBody, type RouteDeps, type TypedApp } from '../../route-types.js';
import { custidOf, otsCaller, otsCreator } from './ots-auth.js';
import { generatePassword } from './ots-password.js';
import { OtsReceipt, toOtsReceipt } from './ots-receipt.js';
import {
  GenerateBody,
  KeyParams,
  otsErrorResponses,
  PassphraseOnlyBody,
  SecretResponse,
  ShareBody,
  StatusResponse,
} from './ots-schemas.js';

const tags = ['compat: onetimesecret'];
const STATUS = { status: 'nominal', locale: 'en' };
const GeneratedReceipt = Type.Object({ ...OtsReceipt.properties, value: Type.String() });

/** onetimesecret sends an empty passphrase for none. */
const passphraseOf = (body: { passphrase?: string | undefined }) =>
  body.passphrase === undefined || body.passphrase === '' ? undefined : body.passphrase;

/**
 * The status, create and read routes of onetimesecret's v1 API over hush's shares: `secret_key` is
 * the share key, `metadata_key` the receipt key. Shares are encrypted on the server, as hush's own
 * API does when the client brings no key of its own.
 */
export function otsShareRoutes(app: TypedApp, { shares, tokens, settings, config }: RouteDeps): void {
  /** onetimesecret holds a ttl within its plan's bounds rather than refusing it: so does this, within hush's. */
  const ttlWithin = (ttl: number | undefined) =>
    ttl === undefined
      ? undefined
      : Math.min(
          Math.max(ttl, settings.get('shares.ttl_min_seconds')),
          settings.get('shares.ttl_max_seconds'),
        );

  const create = async (
    request: Parameters<typeof clientInfo>[0],
    body: Static<typeof GenerateBody>,
    secret: string,
  ) => {
    const caller = await otsCaller(request, tokens);
    const recipients = body.recipient === undefined ? [] : [body.recipient].flat().filter((r) => r !== '');
    if (recipients.length > 0) {
      throw new HushError(
        'bad_request',
        'hush sends no e-mail: leave recipient out and pass the link on yourself.',
      );
    }
    const created = await shares.create(
      { secret, passphrase: passphraseOf(body), ttlSeconds: ttlWithin(body.ttl) },
      clientInfo(request),
      otsCreator(caller),
    );
    const receipt = await shares.receipt(created.receiptKey);
    return toOtsReceipt(receipt, {
      receiptKey: created.receiptKey,
      secretKey: created.secretKey,
      custid: custidOf(caller),
      publicUrl: config.publicUrl,
      now: Date.now(),
    });
  };

  app.get(
    '/status',
    { schema: { tags, summary: 'Whether the service is up', response: { 200: StatusResponse } } },
    async () => STATUS,
  );

  app.get(
    '/authcheck',
    {
      schema: {
        tags,
        summary: 'Check HTTP Basic username:api_token',
        response: { 200: StatusResponse, ...otsErrorResponses },
      },
    },
    async (request) => {
      const caller = await otsCaller(request, tokens);
      if (caller.kind === 'anonymous') throw new HushError('unauthorized');
      return STATUS;
    },
  );

  for (const path of ['/share', '/create']) {
    app.post(
      path,
      {
        schema: {
          tags,
          summary: 'Share a secret (form-encoded or JSON)',
          body: ShareBody,
          response: { 200: OtsReceipt, ...otsErrorResponses },
        },
      },
      async (request) => create(request, request.body, request.body.secret),
    );
  }

  app.post(
    '/generate',
    {
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Generate a random password and share it; `value` is answered this once',
        body: GenerateBody,
        response: { 200: GeneratedReceipt, ...otsErrorResponses },
      },
    },
    async (request) => {
      const value = generatePassword();
      return { ...(await create(request, request.body, value)), value };
    },
  );

  app.post(
    '/secret/:key',
    {
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Read the secret, consuming it (one view)',
        params: KeyParams,
        body: PassphraseOnlyBody,
        response: { 200: SecretResponse, ...otsErrorResponses },
      },
    },
    async (request) => {
      await otsCaller(request, tokens);
      const { key } = request.params;
      const revealed = await shares.reveal(
        key,
        { passphrase: passphraseOf(request.body) },
        clientInfo(request),
      );
      return { value: revealed.secret, secret_key: key, share_domain: '' };
    },
  );
}
