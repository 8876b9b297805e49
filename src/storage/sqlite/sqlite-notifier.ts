import type { Logger } from 'pino';
import type { Notifier } from '../notifier.js';
import { createNotifierListeners } from '../notifier-listeners.js';

/**
 * The notifier of one SQLite storage: in-process, like an EventEmitter, since a SQLite file has
 * no channel between the processes that open it. That is enough: the caches that would need a
 * message from another process on the same file see that process's commits by themselves. The
 * token lookups check `PRAGMA data_version` (which moves on any other connection's commit) on
 * every read, so a revocation there applies at the very next request; the settings poll their
 * version. Messages are delivered on a later microtask, never inside the publisher's call.
 */
export function createSqliteNotifier(logger?: Pick<Logger, 'warn'>): Notifier {
  const listeners = createNotifierListeners(logger);
  return {
    publish(topic, message) {
      queueMicrotask(() => listeners.deliver(topic, message));
    },
    subscribe: async (topic, listener) => listeners.add(topic, listener),
  };
}
