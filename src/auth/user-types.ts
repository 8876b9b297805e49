import type { Role } from '../domain/principal.js';

/** Roles are the principal's (domain/principal.ts); accounts hold them. */
export { ROLES, type Role } from '../domain/principal.js';

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

/** A GitHub account as hush links it: by its numeric id, since logins can be renamed. */
export interface GithubAccount {
  readonly id: number;
  readonly login: string;
  /** The public email of the profile, if any. */
  readonly email: string | undefined;
}

export interface UserPage {
  readonly total: number;
  readonly users: readonly User[];
}
