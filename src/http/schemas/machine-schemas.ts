import { Type } from 'typebox';
import { ROLES } from '../../auth/user-types.js';
import { MAX_POLICY_PATH } from '../../secrets/policy-glob.js';
import { CAPABILITIES } from '../../secrets/policy-types.js';
import { DateTime, Nullable, StringEnum } from './common-schemas.js';

/** Shapes and outer bounds only: the rules (names, limits within the token settings) are the service's. */
const Seconds = (description: string) => Type.Integer({ minimum: 0, maximum: 315_360_000, description });
const Uses = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description });
const Cidrs = (description: string) =>
  Nullable(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16, description }));
/** The most policies a machine can be created with; more are added as policies. */
export const MAX_MACHINE_POLICIES = 32;

const MachineSettings = {
  role: Type.Optional(
    StringEnum([...ROLES], { description: 'Its role (default user); role policies apply' }),
  ),
  token_ttl_seconds: Type.Optional(Seconds('Access-token lifetime; 0 = tokens.access_ttl_seconds')),
  token_max_ttl_seconds: Type.Optional(Seconds('Session max TTL; 0 = tokens.max_ttl_seconds')),
  token_num_uses: Type.Optional(Uses('Uses per access token; 0 = uncounted')),
  secret_id_ttl_seconds: Type.Optional(Seconds('Lifetime of a new secret_id; 0 = no expiry')),
  secret_id_num_uses: Type.Optional(Uses('Sign-ins a new secret_id allows; 0 = unlimited')),
  secret_id_bound_cidrs: Type.Optional(Cidrs('Networks a sign-in must come from; [] or null = anywhere')),
  token_bound_cidrs: Type.Optional(Cidrs('Networks its tokens may be used from; [] or null = anywhere')),
};

export const CreateMachineBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, description: '[A-Za-z0-9._-]{1,128}, not "login"' }),
    ...MachineSettings,
    policies: Type.Optional(
      Type.Array(
        Type.Object(
          {
            path: Type.String({ minLength: 1, maxLength: MAX_POLICY_PATH }),
            capabilities: Type.Array(Type.String({ enum: [...CAPABILITIES] }), {
              minItems: 1,
              maxItems: CAPABILITIES.length,
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: MAX_MACHINE_POLICIES, description: 'Stored as policies with subject_type machine' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const UpdateMachineBody = Type.Object(MachineSettings, { additionalProperties: false });

export const MachineResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role_id: Type.String({ description: 'The public half of the sign-in' }),
  role: Type.String(),
  token_ttl_seconds: Type.Integer(),
  token_max_ttl_seconds: Type.Integer(),
  token_num_uses: Type.Integer(),
  secret_id_ttl_seconds: Type.Integer(),
  secret_id_num_uses: Type.Integer(),
  secret_id_bound_cidrs: Nullable(Type.Array(Type.String())),
  token_bound_cidrs: Nullable(Type.Array(Type.String())),
  created_at: DateTime,
  updated_at: DateTime,
});

export const MachinesResponse = Type.Object({ machines: Type.Array(MachineResponse) });

export const MachineParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
export const SecretIdParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  accessor: Type.String({ minLength: 1, maxLength: 64 }),
});

export const CreateSecretIdBody = Type.Object(
  {
    ttl_seconds: Type.Optional(
      Seconds('At most the machine’s secret_id_ttl_seconds when set; 0 = no expiry'),
    ),
    num_uses: Type.Optional(Uses('At most the machine’s secret_id_num_uses when set; 0 = unlimited')),
    cidrs: Type.Optional(Cidrs('Networks of this secret_id, within the machine’s secret_id_bound_cidrs')),
    metadata: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 512 }), {
        maxProperties: 32,
        description: 'Labels shown when listing (not secret)',
      }),
    ),
  },
  { additionalProperties: false },
);

const SecretIdInfo = {
  accessor: Type.String({ description: 'Names the secret_id when listing and revoking' }),
  created_at: DateTime,
  expires_at: Nullable(DateTime),
  uses_left: Nullable(Type.Integer({ description: 'null = unlimited' })),
  cidrs: Nullable(Type.Array(Type.String())),
  metadata: Type.Record(Type.String(), Type.String()),
};

export const SecretIdResponse = Type.Object({
  secret_id: Type.String({ description: 'Shown once: only its hash is stored' }),
  ...SecretIdInfo,
});

export const SecretIdsResponse = Type.Object({ secret_ids: Type.Array(Type.Object(SecretIdInfo)) });

export const MachineLoginBody = Type.Object(
  { role_id: Type.String({ maxLength: 128 }), secret_id: Type.String({ maxLength: 128 }) },
  { additionalProperties: false },
);
