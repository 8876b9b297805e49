/** Roles an account can hold; policies (issue 4) attach capabilities to them. */
export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** An account as callers see it: never the password hash. */
export interface User {
  readonly id: string;
  /** Normalized: NFKC, lower case (see user-validation.ts). */
  readonly username: string;
  readonly email: string | undefined;
  readonly role: Role;
  readonly createdAt: Date;
}

export interface CreateUserInput {
  readonly username: string;
  readonly email?: string | undefined;
  readonly role: string;
  readonly password: string;
}

export interface UserPage {
  readonly total: number;
  readonly users: readonly User[];
}
