import { Type } from 'typebox';
import { ROLES } from '../../auth/user-types.js';
import { DateTime, Nullable } from './common-schemas.js';

/** Shapes only; the account rules (username form, password length) are the user service's. */
export const CreateUserBody = Type.Object(
  {
    username: Type.String({ maxLength: 256 }),
    email: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
    role: Type.Enum(ROLES),
    password: Type.String({ maxLength: 4096 }),
  },
  { additionalProperties: false },
);

export const UserResponse = Type.Object({
  id: Type.String(),
  username: Type.String(),
  email: Nullable(Type.String()),
  role: Type.String(),
  created_at: DateTime,
});

export const UsersQuery = Type.Object(
  {
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);

export const UsersResponse = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
  users: Type.Array(UserResponse),
});

export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 256 }) });
