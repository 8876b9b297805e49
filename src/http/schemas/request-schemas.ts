import { Type } from 'typebox';
import { MAX_NOTE_LENGTH, REQUEST_STATES } from '../../shares/request-types.js';
import { DateTime, Nullable, StringEnum, TtlSeconds } from './common-schemas.js';

export const CreateRequestBody = Type.Object(
  {
    note: Type.Optional(
      Nullable(
        Type.String({
          maxLength: MAX_NOTE_LENGTH,
          description:
            'Shown to whoever answers: context, not a secret (sealed at rest, readable by the server).',
          example: 'The staging database password, please',
        }),
      ),
    ),
    ttl_seconds: Type.Optional(Nullable(TtlSeconds)),
  },
  { additionalProperties: false },
);

export const CreatedRequestResponse = Type.Object({
  request_id: Type.String(),
  request_key: Type.String({ description: 'Keep this: status, reveal and burn. Shown once, never stored.' }),
  respond_key: Type.String({ description: 'Send this to the responder. Shown once, never stored.' }),
  expires_at: DateTime,
});

export const RequestKeyParams = Type.Object({
  request_key: Type.String({ description: 'The request key from the link to keep' }),
});
export const RespondKeyParams = Type.Object({
  respond_key: Type.String({ description: 'The respond key from the link to send' }),
});

export const RequestPromptResponse = Type.Object({ note: Type.String(), expires_at: DateTime });

export const AnswerBody = Type.Object(
  {
    answer: Type.String({
      minLength: 1,
      description:
        'The client envelope (hr1.…): the answer encrypted to the public key in the link fragment; the server cannot read it.',
    }),
  },
  { additionalProperties: false },
);

export const RequestStatusResponse = Type.Object({
  request_id: Type.String(),
  state: StringEnum([...REQUEST_STATES]),
  note: Type.String(),
  created_at: DateTime,
  expires_at: DateTime,
  answered_at: Nullable(DateTime),
});

export const RevealedAnswerResponse = Type.Object({ answer: Type.String() });
