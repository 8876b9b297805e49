import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { AuditEvent } from '../audit/audit-types.js';
import type { ShareSettingsSource } from '../settings/share-settings.js';
import { type FileStore, STALE_DOWNLOAD_MS } from '../storage/file-store.js';
import type { Lease } from '../storage/lock-store.js';
import type { MachineStore } from '../storage/machine-store.js';
import type { RequestStore } from '../storage/request-store.js';
import type { SecretStore } from '../storage/secret-store.js';
import type { ShareStore } from '../storage/share-store.js';
import type { TokenStore } from '../storage/token-store.js';
import type { Job, JobHandle } from './job-types.js';
import { requestSweep } from './request-sweep.js';

export type SweepOutcome =
  | 'expired'
  | 'purged'
  | 'events_purged'
  | 'secrets_purged'
  | 'sessions_purged'
  | 'secret_ids_purged'
  | 'requests_expired'
  | 'requests_purged'
  | 'files_erased'
  | 'blobs_orphaned';

/** The job's name, and so the lock that keeps the sweeper on one node at a time; renewed after every batch. */
export const SWEEPER_LOCK = 'sweeper';
const LEASE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A blob file younger than this may be a part write between its file and its row. */
const ORPHAN_AGE_MS = 10 * 60_000;

export interface SweeperDeps {
  readonly store: ShareStore;
  /** Stored secrets past their TTL are erased too, when given. */
  readonly secrets?: Pick<SecretStore, 'purgeExpired'> | undefined;
  /** Ended sessions and expired tokens are deleted too, when given (a day after they end). */
  readonly sessions?: Pick<TokenStore, 'purgeEnded'> | undefined;
  /** Machines' revoked, expired and used-up secret_ids are deleted too, when given (a day after they end). */
  readonly secretIds?: Pick<MachineStore, 'purgeEndedSecretIds'> | undefined;
  /** Secret requests are expired and purged too, when given (request-sweep.ts). */
  readonly requests?: Pick<RequestStore, 'expireBatch' | 'purgeBatch'> | undefined;
  /**
   * Files of shares, when given: uploads left unattached past their hour, bytes no grant may use
   * any more, lapsed grants, and (HUSH_BLOB_DIR) files a crash left without their row.
   */
  readonly files?: Pick<FileStore, 'sweepBatch' | 'sweepOrphans'> | undefined;
  readonly audit: AuditService;
  readonly settings: ShareSettingsSource;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** Items per write; each write runs synchronously on the event loop, so keep it small. */
  readonly batchSize: number;
  /** Audit events older than this are purged; 0 keeps them forever. Read at each pass (a setting). */
  readonly eventRetentionSeconds: () => number;
  readonly now?: () => number;
  readonly onSwept?: (outcome: SweepOutcome, count: number) => void;
  /** Called when a pass found another node sweeping and left the work to it. */
  readonly onSkipped?: () => void;
}

export interface SweepResult {
  readonly expired: number;
  readonly purged: number;
  readonly eventsPurged: number;
  /** Expired stored secrets erased; present when the sweeper has a secret store. */
  readonly secretsPurged?: number;
  /** Ended sessions and expired tokens deleted; present when the sweeper has a token store. */
  readonly sessionsPurged?: number;
  /** Ended secret_ids deleted; present when the sweeper has a machine store. */
  readonly secretIdsPurged?: number;
  /** Secret requests expired and ended ones purged; present when the sweeper has a request store. */
  readonly requestsExpired?: number;
  readonly requestsPurged?: number;
  /** Uploads erased (unattached, unused or orphaned) and orphan blob files removed; with a file store. */
  readonly filesErased?: number;
  readonly blobsOrphaned?: number;
  /** Set when another node held the sweeper lock, so this pass did nothing. */
  readonly skipped?: true;
}

/**
 * The sweeper as the worker runner holds it: `runOnce()` is one full pass (concurrent calls share
 * the pass already running). The runner's stop() ends a running pass after its current batch; the
 * next pass does the rest.
 */
export type Sweeper = JobHandle<SweepResult>;

/** Yield to the event loop between batches so a large sweep never starves requests. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Erases expired content in small batches (each one short write), records one EXPIRE event per
 * share, then deletes content-free records and audit events older than their retention periods.
 * The worker runner runs it under the lock SWEEPER_LOCK.
 */
export function createSweepJob(deps: SweeperDeps): Job<SweepResult> {
  const now = deps.now ?? Date.now;

  const sweep = async (lease: Lease, signal: AbortSignal): Promise<SweepResult> => {
    // Set when the lease is lost: a stalled node whose lease ran out must not sweep beside the
    // node that took over. An aborted signal (stop, timeout) ends the pass the same way, so
    // shutdown never waits for a whole backlog.
    let lost = false;
    /** Runs `batch` until one handles fewer than batchSize items, or the pass must end. */
    const inBatches = async (outcome: SweepOutcome, batch: () => Promise<number>): Promise<number> => {
      let total = 0;
      while (!lost && !signal.aborted) {
        const count = await batch();
        total += count;
        if (count > 0) deps.onSwept?.(outcome, count);
        if (count < deps.batchSize) break;
        if (!(await lease.renew())) {
          lost = true;
          break;
        }
        await yieldToLoop();
      }
      return total;
    };

    const startedAt = now();
    const expired = await inBatches('expired', async () => {
      // Each expiry and its event are stored in one step.
      let events: AuditEvent[] = [];
      const ids = await deps.store.expireBatch(now(), deps.batchSize, (expired) => {
        events = expired.map((id) =>
          deps.audit.prepare({ type: 'share.expired', subject: { kind: 'share', id } }),
        );
        return events;
      });
      deps.audit.stored(events);
      return ids.length;
    });
    const endedBefore = now() - deps.settings.current().retentionSeconds * 1000;
    const purged = await inBatches('purged', () => deps.store.purgeBatch(endedBefore, deps.batchSize));
    let eventsPurged = 0;
    const eventRetentionSeconds = deps.eventRetentionSeconds();
    if (eventRetentionSeconds > 0) {
      const before = new Date(now() - eventRetentionSeconds * 1000);
      eventsPurged = await inBatches('events_purged', () => deps.audit.purgeBefore(before, deps.batchSize));
    }
    const secrets = deps.secrets;
    const secretsPurged = secrets
      ? await inBatches('secrets_purged', () => secrets.purgeExpired(now(), deps.batchSize))
      : undefined;
    const sessions = deps.sessions;
    // A day of grace: a rotated refresh token presented soon after its expiry still reads as reuse.
    const sessionsPurged = sessions
      ? await inBatches('sessions_purged', () => sessions.purgeEnded(now() - DAY_MS, deps.batchSize))
      : undefined;
    const secretIds = deps.secretIds;
    // A day of grace too: a spent or revoked secret_id tried again soon after is logged as such
    // (secret_id_not_live), not as unknown.
    const secretIdsPurged = secretIds
      ? await inBatches('secret_ids_purged', () =>
          secretIds.purgeEndedSecretIds(now() - DAY_MS, deps.batchSize),
        )
      : undefined;
    const requests = deps.requests && requestSweep(deps.requests, deps.audit);
    const requestsExpired = requests
      ? await inBatches('requests_expired', () => requests.expire(now(), deps.batchSize))
      : undefined;
    const requestsPurged = requests
      ? await inBatches('requests_purged', () => requests.purge(endedBefore, deps.batchSize))
      : undefined;
    const files = deps.files;
    const filesErased = files
      ? await inBatches('files_erased', () => files.sweepBatch(now(), deps.batchSize, STALE_DOWNLOAD_MS))
      : undefined;
    let blobsOrphaned: number | undefined;
    if (files && !lost && !signal.aborted) {
      blobsOrphaned = await files.sweepOrphans(ORPHAN_AGE_MS);
      if (blobsOrphaned > 0) deps.onSwept?.('blobs_orphaned', blobsOrphaned);
    }
    // Counts of the parts this sweeper has (left out where it has no such store).
    const counted = {
      secretsPurged,
      sessionsPurged,
      secretIdsPurged,
      requestsExpired,
      requestsPurged,
      filesErased,
      blobsOrphaned,
    };
    const result: SweepResult = {
      expired,
      purged,
      eventsPurged,
      ...Object.fromEntries(Object.entries(counted).filter(([, count]) => count !== undefined)),
    };
    if (Object.values(result).some((count) => count > 0)) {
      // The interval lets operators (and the multi-node test) see that passes never overlap.
      deps.logger.info(
        { ...counted, ...result, stopped: lost || signal.aborted, startedAt, endedAt: now() },
        'sweeper pass',
      );
    }
    return result;
  };

  return {
    name: SWEEPER_LOCK,
    intervalMs: deps.intervalMs,
    leaseMs: LEASE_MS,
    run: ({ lease, signal }) => sweep(lease, signal),
    skipped: () => {
      deps.onSkipped?.();
      return { expired: 0, purged: 0, eventsPurged: 0, skipped: true };
    },
  };
}
