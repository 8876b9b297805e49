/** One started GitHub web flow: the hash of its state, never the state itself. */
export interface OauthStateRecord {
  readonly stateHash: string;
  /** The PKCE code_verifier, sent to GitHub with the code at the callback. */
  readonly codeVerifier: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** What the GitHub sign-in needs from storage (SQL on every backend). */
export interface OauthStateStore {
  create(record: OauthStateRecord): Promise<void>;
  /**
   * Removes the state and returns it, expired or not (the caller checks the expiry). Guarantee: of
   * concurrent consumes of one state, from any number of nodes, exactly one receives the record;
   * the others, and every later call, receive undefined.
   */
  consume(stateHash: string): Promise<OauthStateRecord | undefined>;
  /** Deletes up to `limit` states that expired before `now` (flows never finished); returns how many. */
  purgeExpired(now: number, limit: number): Promise<number>;
}
