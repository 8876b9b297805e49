/** An account as stored: the password only as its Argon2id hash. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly email: string | undefined;
  readonly role: string;
  readonly passwordHash: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** The numeric GitHub user id (as text) of an account that signs in through GitHub. */
  readonly githubId?: string | undefined;
}

/** What the user service needs from storage (SQL on every backend). */
export interface UserStore {
  /**
   * Stores a new account. Guarantee: of concurrent creates with one username (or one GitHub id),
   * from any number of nodes, exactly one returns true; the others return false and store nothing.
   */
  create(user: UserRecord): Promise<boolean>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findByGithubId(githubId: string): Promise<UserRecord | undefined>;
  /** Changes an account's role; false when there is no account with this id. */
  setRole(id: string, role: string): Promise<boolean>;
  /** Ordered by username; `total` counts every account. */
  list(offset: number, limit: number): Promise<{ total: number; users: UserRecord[] }>;
  /**
   * Deletes an account and, in the same atomic step, the policies attached to it (its sessions
   * and tokens go by cascade); false when there was none.
   */
  delete(username: string): Promise<boolean>;
  /** How many accounts hold `role` (the first-start admin is created only when there is none). */
  countByRole(role: string): Promise<number>;
}
