import { Type } from 'typebox';
import { MAX_POLICY_PATH } from '../../secrets/policy-glob.js';
import { CAPABILITIES } from '../../secrets/policy-types.js';
import { DateTime } from './common-schemas.js';

const SubjectType = Type.String({ enum: ['role', 'user', 'machine'] });
const Subject = Type.String({
  minLength: 1,
  maxLength: 256,
  description:
    'A role name (subject_type role), a username (subject_type user) or a machine id (subject_type machine)',
});
const Capabilities = Type.Array(Type.String({ enum: [...CAPABILITIES] }), {
  minItems: 1,
  maxItems: CAPABILITIES.length,
  description: '`deny`, alone or with others, denies everything on the matching paths',
});

export const CreatePolicyBody = Type.Object(
  {
    subject_type: SubjectType,
    subject: Subject,
    path: Type.String({
      minLength: 1,
      maxLength: MAX_POLICY_PATH,
      description: 'A glob over secret names: `*` within a segment, `**` any segments, `?` one character',
    }),
    capabilities: Capabilities,
  },
  { additionalProperties: false },
);

export const PoliciesQuery = Type.Object(
  { subject_type: Type.Optional(SubjectType), subject: Type.Optional(Subject) },
  { additionalProperties: false },
);

export const PolicyIdParams = Type.Object({ policy_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const PolicyResponse = Type.Object({
  id: Type.String(),
  subject_type: SubjectType,
  subject: Type.String({
    description: 'The role, the username (the user id if no such account exists any more), or the machine id',
  }),
  path: Type.String(),
  capabilities: Type.Array(Type.String({ enum: [...CAPABILITIES] })),
  created_at: DateTime,
});

export const PoliciesResponse = Type.Object({ policies: Type.Array(PolicyResponse) });
