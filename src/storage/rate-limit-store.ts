/** One client's requests in the current window, as the rate limiter reads them. */
export interface RateLimitHit {
  /** Requests counted in this window, this one included. */
  readonly count: number;
  /** Milliseconds until the window ends and the count starts over. */
  readonly ttlMs: number;
}

/**
 * Request counters of the rate limiter, kept where every node counts together (Redis). A backend
 * without one leaves Storage.rateLimits undefined, and each process counts in its own memory.
 */
export interface RateLimitStore {
  /**
   * Counts one request of `key` in its window of `windowMs`, which starts at the key's first
   * request. Guarantee: concurrent hits on one key, from any number of nodes, are each counted
   * exactly once.
   */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
}
