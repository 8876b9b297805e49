import type { Logger } from 'pino';
import type { NotifierListener, NotifierTopic } from './notifier.js';

/** The listeners of one notifier, by topic; what every backend's notifier keeps the same way. */
export interface NotifierListeners {
  add(topic: NotifierTopic, listener: NotifierListener): () => void;
  /** Calls each listener of `topic`; one that throws is logged and does not stop the others. */
  deliver(topic: NotifierTopic, message: string): void;
}

export const NOTIFIER_TOPICS: readonly NotifierTopic[] = ['settings', 'revocation'];

export function isNotifierTopic(name: string): name is NotifierTopic {
  return (NOTIFIER_TOPICS as readonly string[]).includes(name);
}

export function createNotifierListeners(logger: Pick<Logger, 'warn'> | undefined): NotifierListeners {
  const byTopic = new Map<NotifierTopic, Set<NotifierListener>>();
  return {
    add(topic, listener) {
      const listeners = byTopic.get(topic) ?? new Set<NotifierListener>();
      byTopic.set(topic, listeners);
      // A wrapper per subscription, so that subscribing one function twice gives two subscriptions.
      const subscription: NotifierListener = (message) => listener(message);
      listeners.add(subscription);
      return () => {
        listeners.delete(subscription);
      };
    },
    deliver(topic, message) {
      for (const listener of byTopic.get(topic) ?? []) {
        try {
          listener(message);
        } catch (error) {
          logger?.warn({ errName: (error as Error).name, topic }, 'notifier listener failed');
        }
      }
    },
  };
}

/** Name and code only: a driver's message may quote an address or a statement's values. */
export function faultFields(error: unknown): { errName: string; errCode: unknown } {
  return { errName: (error as Error).name, errCode: (error as { code?: unknown }).code };
}
