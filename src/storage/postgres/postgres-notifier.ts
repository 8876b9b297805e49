import type pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../../config/config.js';
import type { Notifier, NotifierTopic } from '../notifier.js';
import {
  createNotifierListeners,
  faultFields,
  isNotifierTopic,
  NOTIFIER_TOPICS,
} from '../notifier-listeners.js';
import { createPostgresPool } from './postgres-pool.js';

/** Longest wait between attempts to listen again while the database is away. */
const MAX_BACKOFF_MS = 2_000;
/** Channels are per database, so one hush deployment's nodes share them and no other's. */
const CHANNEL_PREFIX = 'hush_';

export interface PostgresNotifier extends Notifier {
  close(): Promise<void>;
}

/**
 * LISTEN/NOTIFY. Publishing is one `pg_notify` on the storage's pool (NOTIFY payloads are limited
 * to 8000 bytes: messages are ids or numbers). Listening needs a connection that stays checked
 * out, so it gets its own one-connection pool with the storage's settings, opened at the first
 * subscribe (a CLI command that never subscribes opens none). When that connection fails, it is
 * dropped and the notifier listens again on a fresh one with a capped backoff; what was published
 * meanwhile is lost, which the notifier's at-most-once guarantee allows.
 */
export function createPostgresNotifier(
  pool: pg.Pool,
  database: DatabaseConfig,
  logger: Logger,
): PostgresNotifier {
  const listeners = createNotifierListeners(logger);
  let running: Promise<void> | undefined;
  let ready: Promise<void> | undefined;
  let listenerPool: pg.Pool | undefined;
  let wake: (() => void) | undefined;
  let closed = false;
  let down = false;

  const onNotification = ({ channel, payload }: pg.Notification) => {
    const topic = channel.slice(CHANNEL_PREFIX.length);
    if (isNotifierTopic(topic)) listeners.deliver(topic, payload ?? '');
  };
  const failed = (error: unknown) => {
    if (closed || down) return;
    down = true;
    logger.warn(faultFields(error), 'notifier: cannot listen on PostgreSQL; retrying');
  };
  /** Resolves after `ms`, or at once on close. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const listen = async (source: pg.Pool, listening: () => void) => {
    for (let attempt = 0; !closed; attempt++) {
      let client: pg.PoolClient | undefined;
      try {
        client = await source.connect();
        client.on('notification', onNotification);
        await client.query(NOTIFIER_TOPICS.map((topic) => `listen ${CHANNEL_PREFIX}${topic}`).join('; '));
        if (down) logger.info('notifier: listening on PostgreSQL again');
        down = false;
        attempt = 0;
        listening();
        const held = client;
        // Until the connection fails or ends (close ends it): then listen again on a new one.
        await new Promise<void>((resolve) => {
          // close() may have come while connecting or sending LISTEN: its wake() reached no one
          // (or an old pause), so checking here, where the wait starts, is what lets it finish.
          if (closed) return resolve();
          held.once('error', failed).once('error', () => resolve());
          held.once('end', () => resolve());
          wake = resolve;
        });
      } catch (error) {
        failed(error);
        listening();
      }
      client?.off('notification', onNotification);
      client?.release(true);
      if (!closed) await pause(Math.min(50 * 2 ** Math.min(attempt, 10), MAX_BACKOFF_MS));
    }
  };

  return {
    publish(topic: NotifierTopic, message: string) {
      pool
        .query('select pg_notify($1, $2)', [`${CHANNEL_PREFIX}${topic}`, message])
        .catch((error: unknown) => logger.warn(faultFields(error), 'notifier: message not published'));
    },
    async subscribe(topic, listener) {
      const unsubscribe = listeners.add(topic, listener);
      if (!closed) {
        ready ??= new Promise<void>((listening) => {
          const source = createPostgresPool(database, logger, { max: 1 });
          listenerPool = source;
          running = listen(source, listening);
        });
        await ready;
      }
      return unsubscribe;
    },
    async close() {
      closed = true;
      wake?.();
      await running;
      await listenerPool?.end();
    },
  };
}
