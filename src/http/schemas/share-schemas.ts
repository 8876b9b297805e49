import { Type } from 'typebox';
import {
  DateTime,
  KeyCheckText,
  Nullable,
  PassphraseText,
  SecretText,
  StringEnum,
  TtlSeconds,
} from './common-schemas.js';
import { RevealedFiles, UploadReference } from './file-schemas.js';

export const CreateShareBody = Type.Object(
  {
    secret: SecretText,
    passphrase: Type.Optional(Nullable(PassphraseText)),
    ttl_seconds: Type.Optional(Nullable(TtlSeconds)),
    max_views: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100, example: 1 }))),
    key_check: Type.Optional(
      Nullable({
        ...KeyCheckText,
        description:
          'Link verifier: HKDF-SHA256 of the client-side content key (info "hush link verifier v1"), base64url. The server keeps only its SHA-256; reveals and burns must then send it back as key_proof.',
      }),
    ),
    upload: Type.Optional(UploadReference),
  },
  { additionalProperties: false },
);

export const CreatedShareResponse = Type.Object({
  secret_key: Type.String({ description: 'Give this to the recipient; it is shown once and never stored.' }),
  receipt_key: Type.String({ description: 'Keep this to follow or burn the share.' }),
  expires_at: DateTime,
  max_views: Type.Integer(),
  passphrase_required: Type.Boolean(),
  url: Type.Optional(
    Type.String({ description: 'The web page that reveals it (when HUSH_PUBLIC_URL is set).' }),
  ),
  receipt_url: Type.Optional(Type.String({ description: 'The receipt page (when HUSH_PUBLIC_URL is set).' })),
});

export const PassphraseBody = Type.Object(
  { passphrase: Type.Optional(Nullable(PassphraseText)) },
  { additionalProperties: false },
);

/** Reveal and burn by secret key: the passphrase, and the link proof for shares that have a verifier. */
export const RevealBody = Type.Object(
  {
    passphrase: Type.Optional(Nullable(PassphraseText)),
    key_proof: Type.Optional(
      Nullable({
        ...KeyCheckText,
        description:
          'The key_check value again, derived from the key in the link. A wrong one consumes nothing and counts like a wrong passphrase.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ShareStatusResponse = Type.Object({
  passphrase_required: Type.Boolean(),
  expires_at: DateTime,
  views_left: Type.Integer(),
});

export const RevealResponse = Type.Object({
  secret: Type.String(),
  views_left: Type.Integer(),
  files: Type.Optional(RevealedFiles),
});

export const ReceiptResponse = Type.Object({
  share_id: Type.String(),
  state: StringEnum(['pending', 'consumed', 'burned', 'expired']),
  created_at: DateTime,
  expires_at: DateTime,
  ended_at: Nullable(DateTime),
  end_reason: Nullable(
    StringEnum(['viewed', 'burned', 'burned_by_sender', 'passphrase_attempts', 'expired']),
  ),
  max_views: Type.Integer(),
  views_used: Type.Integer(),
  views_left: Type.Integer(),
  passphrase_required: Type.Boolean(),
  failed_passphrase_attempts: Type.Integer(),
  timeline: Type.Array(
    Type.Object({
      type: Type.String(),
      at: DateTime,
      detail: Type.Optional(
        Type.String({
          description: 'Why a DELETE ended the share: burned, burned_by_sender or passphrase_attempts.',
        }),
      ),
    }),
  ),
});
