import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Notifier } from '../notifier.js';
import {
  createNotifierListeners,
  faultFields,
  isNotifierTopic,
  NOTIFIER_TOPICS,
} from '../notifier-listeners.js';

export interface RedisNotifier extends Notifier {
  close(): Promise<void>;
}

/**
 * Redis pub/sub on `<keyPrefix><topic>`. Publishing goes through the storage's client; a
 * subscribed connection can run nothing else, so listening gets a duplicate of it, opened at the
 * first subscribe. That connection reconnects by itself and subscribes again on every
 * reconnection; what was published while it was away is lost (at-most-once: the poll covers it).
 */
export function createRedisNotifier(redis: Redis, keyPrefix: string, logger: Logger): RedisNotifier {
  const listeners = createNotifierListeners(logger);
  const channels = NOTIFIER_TOPICS.map((topic) => `${keyPrefix}${topic}`);
  let subscriber: Redis | undefined;
  let ready: Promise<void> | undefined;
  let closed = false;

  const listen = async () => {
    const sub = redis.duplicate();
    subscriber = sub;
    let down = false;
    sub.on('error', (error: unknown) => {
      if (down) return;
      down = true;
      logger.warn(faultFields(error), 'notifier: Redis subscriber connection failed; reconnecting');
    });
    sub.on('message', (channel: string, message: string) => {
      const topic = channel.slice(keyPrefix.length);
      if (channel.startsWith(keyPrefix) && isNotifierTopic(topic)) listeners.deliver(topic, message);
    });
    await sub
      .connect()
      .then(() => sub.subscribe(...channels))
      .catch((error: unknown) => logger.warn(faultFields(error), 'notifier: cannot subscribe yet'));
    // The client is offline-queue-free, so a reconnection subscribes again explicitly.
    sub.on('ready', () => {
      down = false;
      sub
        .subscribe(...channels)
        .catch((error: unknown) => logger.warn(faultFields(error), 'notifier: subscribe failed'));
    });
  };

  return {
    publish(topic, message) {
      redis
        .publish(`${keyPrefix}${topic}`, message)
        .catch((error: unknown) => logger.warn(faultFields(error), 'notifier: message not published'));
    },
    async subscribe(topic, listener) {
      const unsubscribe = listeners.add(topic, listener);
      if (!closed) {
        ready ??= listen();
        await ready;
      }
      return unsubscribe;
    },
    async close() {
      closed = true;
      await ready;
      if (subscriber) await subscriber.quit().catch(() => subscriber?.disconnect());
    },
  };
}
