import { Type } from 'typebox';
import { otsErrorShape } from './ots-errors.js';

/** What every onetimesecret route declares for its refusals and faults. */
export const otsErrorResponses = otsErrorShape.responses;

/** Its clients send other fields too (share_domain, …): those are ignored, as onetimesecret does. */
const Passphrase = Type.String({ maxLength: 1024, description: 'Empty means none' });
const Ttl = Type.Integer({ minimum: 1, description: 'Seconds; held within the shares.ttl_* settings' });
const Recipient = Type.Union([Type.String(), Type.Array(Type.String())], {
  description: 'onetimesecret e-mails the link here; hush sends no e-mail, so it refuses a recipient',
});

export const ShareBody = Type.Object({
  secret: Type.String({ minLength: 1, maxLength: 1_048_576 }),
  passphrase: Type.Optional(Passphrase),
  ttl: Type.Optional(Ttl),
  recipient: Type.Optional(Recipient),
});

export const GenerateBody = Type.Object({
  passphrase: Type.Optional(Passphrase),
  ttl: Type.Optional(Ttl),
  recipient: Type.Optional(Recipient),
});

export const PassphraseOnlyBody = Type.Object({ passphrase: Type.Optional(Passphrase) });

export const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 256 }) });

export const StatusResponse = Type.Object({ status: Type.String(), locale: Type.String() });

export const SecretResponse = Type.Object({
  value: Type.String(),
  secret_key: Type.String(),
  share_domain: Type.String(),
});
