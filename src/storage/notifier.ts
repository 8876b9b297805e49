/** What a notifier carries: each topic has one meaning, and its messages stay tiny. */
export type NotifierTopic = 'settings' | 'revocation';

/** A message's text; PostgreSQL's NOTIFY takes at most 8000 bytes, so keep it to an id or a number. */
export type NotifierListener = (message: string) => void;

/**
 * Tells the other nodes of this deployment that something changed, so their caches follow at once.
 *
 * Guarantee: best effort, at-most-once. A message published while a node is disconnected, or lost
 * on the way, never arrives there; this node's own subscribers may or may not receive its message.
 * So every listener keeps a poll (or another check) as its safety net, and a notifier only makes
 * that check's answer arrive sooner.
 */
export interface Notifier {
  /** Hands `message` to the backend; never throws (a failure is logged, the poll covers it). */
  publish(topic: NotifierTopic, message: string): void;
  /**
   * Calls `listener` for each message on `topic` from now on. Resolves with the unsubscribe once
   * the backend listens, or once its first attempt failed (it keeps trying; never rejects).
   */
  subscribe(topic: NotifierTopic, listener: NotifierListener): Promise<() => void>;
}
