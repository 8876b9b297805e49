import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { ShareSettingsSource } from '../settings/share-settings.js';
import type { ShareStore } from '../storage/share-store.js';

export interface SweeperDeps {
  readonly store: ShareStore;
  readonly audit: AuditService;
  readonly settings: ShareSettingsSource;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly now?: () => number;
  readonly onSwept?: (outcome: 'expired' | 'purged', count: number) => void;
}

export interface SweepResult {
  readonly expired: number;
  readonly purged: number;
}

export interface Sweeper {
  /** One full pass; concurrent calls share the pass already running. */
  runOnce(): Promise<SweepResult>;
  start(): void;
  /** Stops the timer and waits for a running pass to finish. */
  stop(): Promise<void>;
}

/** Yield to the event loop between batches so a large sweep never starves requests. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Erases expired content in small batches (each one short write), records one EXPIRE event per
 * share, then deletes content-free records older than the retention period.
 */
export function createSweeper(deps: SweeperDeps): Sweeper {
  const now = deps.now ?? Date.now;
  let running: Promise<SweepResult> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<SweepResult> => {
    let expired = 0;
    for (;;) {
      const ids = await deps.store.expireBatch(now(), deps.batchSize);
      if (ids.length > 0) {
        await deps.audit.recordMany(ids.map((shareId) => ({ type: 'EXPIRE' as const, shareId })));
        expired += ids.length;
        deps.onSwept?.('expired', ids.length);
      }
      if (ids.length < deps.batchSize) break;
      await yieldToLoop();
    }
    let purged = 0;
    const endedBefore = now() - deps.settings.current().retentionSeconds * 1000;
    for (;;) {
      const count = await deps.store.purgeBatch(endedBefore, deps.batchSize);
      purged += count;
      if (count > 0) deps.onSwept?.('purged', count);
      if (count < deps.batchSize) break;
      await yieldToLoop();
    }
    if (expired > 0 || purged > 0) deps.logger.info({ expired, purged }, 'sweeper pass');
    return { expired, purged };
  };

  const runOnce = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    runOnce,
    start() {
      timer = setInterval(() => {
        runOnce().catch((error: unknown) => deps.logger.error({ err: error }, 'sweeper pass failed'));
      }, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
