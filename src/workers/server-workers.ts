import type { Core, LiveServices } from '../core/core-types.js';
import type { Disposer } from '../core/disposer.js';
import { shareSettingsFrom } from '../settings/share-settings.js';
import { ownerLookup } from '../webhooks/webhook-owners.js';
import { webhookSecrets } from '../webhooks/webhook-secret.js';
import type { JobHandle } from './job-types.js';
import { createOutboxDrainJob } from './outbox-drain.js';
import { createSweepJob, type Sweeper } from './share-sweeper.js';
import { createWebhookDeliveryJob, type WebhookDeliveryResult } from './webhook-delivery.js';
import { createWorkerRunner, type WorkerRunner } from './worker-runner.js';

/** How soon events a crash left in the Redis outbox reach the event log and its cursor. */
const OUTBOX_DRAIN_INTERVAL_MS = 5_000;
/** How soon a new event's webhook deliveries go out (and due retries are sent). */
const WEBHOOK_INTERVAL_MS = 4_000;

export interface ServerWorkers {
  /** Started once the server listens; stopped (running ticks awaited) at shutdown. */
  readonly runner: WorkerRunner;
  readonly sweeper: Sweeper;
  /** Webhook delivery: `runOnce()` enqueues and sends now, under its lock. */
  readonly webhooks: JobHandle<WebhookDeliveryResult>;
}

/** The background jobs of a serving process, each under the lock store so one node runs it. */
export function openServerWorkers(core: Core, live: LiveServices, disposer: Disposer): ServerWorkers {
  const { config, storage, metrics } = core;
  const runner = createWorkerRunner({
    locks: storage.locks,
    logger: core.logger,
    onTick: (job, outcome) => metrics.workerTicks.inc({ job, outcome }),
  });
  disposer.defer('workers', () => runner.stop());
  const sweeper = runner.add(
    createSweepJob({
      store: storage.shares,
      secrets: storage.secrets,
      sessions: storage.tokens,
      secretIds: storage.machines,
      requests: storage.requests,
      files: storage.files,
      audit: core.audit,
      settings: shareSettingsFrom(live.settings),
      logger: core.logger,
      intervalMs: config.sweep.intervalSeconds * 1000,
      batchSize: config.sweep.batchSize,
      eventRetentionSeconds: () => live.settings.get('events.retention_seconds'),
      onSwept: (outcome, count) => metrics.sweptShares.inc({ outcome }, count),
      onSkipped: () => metrics.sweeperSkips.inc(),
    }),
  );
  // Only Redis-held share content writes its events through an outbox.
  if (config.shareStore === 'redis') {
    runner.add(
      createOutboxDrainJob({
        events: storage.events,
        intervalMs: OUTBOX_DRAIN_INTERVAL_MS,
        onLeftBehind: (count) => core.logger.warn({ count }, 'moved audit events left in the Redis outbox'),
      }),
    );
  }
  const webhooks = runner.add(
    createWebhookDeliveryJob({
      store: storage.webhooks,
      audit: core.audit,
      // An account's endpoints get the events of the shares and requests it owns.
      owners: ownerLookup({
        share: (ids) => storage.shares.ownersOf(ids),
        request: (ids) => storage.requests.ownersOf(ids),
      }),
      standing: async (owner) => {
        const principal =
          owner.kind === 'user'
            ? await storage.users.findById(owner.id)
            : await storage.machines.findById(owner.id);
        return principal === undefined ? 'gone' : principal.role === 'admin' ? 'admin' : 'member';
      },
      secrets: webhookSecrets(core.masterKey),
      allowPrivate: config.webhooks.allowPrivate,
      intervalMs: WEBHOOK_INTERVAL_MS,
      logger: core.logger,
    }),
  );
  return { runner, sweeper, webhooks };
}
