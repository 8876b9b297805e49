import type { Redis } from 'ioredis';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { PassphraseScope } from '../../shares/share-types.js';
import type { DownloadGrant, FileStore } from '../file-store.js';
import type { NewShareRecord, ShareRecord, ShareRecordMirror, ShareStore } from '../share-store.js';
import type { RedisEventOutbox } from './redis-event-outbox.js';
import { defineScripts, type ScriptArg } from './redis-scripts.js';

export interface RedisShareStoreOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** The SQL store keeping each share's content-free record: the receipt's truth and the audit's subject. */
  readonly records: ShareStore & ShareRecordMirror;
  /**
   * Where the shares' files are (SQL): the record's create attaches them; after a claim decided
   * here, the grant is made there; burns and expiries of the records erase them (docs/files.md).
   */
  readonly files: Pick<FileStore, 'grantAfterClaim' | 'eraseForShare'>;
  /** Where each script puts its change's audit events, moved into SQL right after. */
  readonly outbox: RedisEventOutbox;
  /**
   * Called when a change already made in Redis could not be mirrored into SQL, or its events not
   * moved there yet. The change stands (a view spent in Redis cannot be given back), so the call
   * still succeeds: the SQL record then lags until the sweeper marks it expired at its expiry
   * time, and the events wait in the outbox for the next move (see EventStore.drainOutbox).
   * Also called when the record of a create that failed in Redis could not be taken back.
   */
  readonly onMirrorError: (error: unknown) => void;
}

/**
 * Shares whose content lives in Redis, as a hash `<prefix>share:<id>` beside an index
 * `<prefix>token:<tokenHash>` → id; both expire by native TTL at the share's expiry, so content
 * never outlives it even when no sweeper runs. Each change and its audit events are one Lua script
 * (see redis-scripts.ts); then the SQL record is mirrored so receipts and the sweeper see it, and
 * the events are moved from the outbox into SQL.
 */
export function createRedisShareStore(options: RedisShareStoreOptions): ShareStore {
  const { redis, records, files, outbox, onMirrorError } = options;
  const run = defineScripts(redis);
  const shareKeyPrefix = `${options.keyPrefix}share:`;
  const tokenKeyPrefix = `${options.keyPrefix}token:`;

  const settled = async (change: () => Promise<unknown>) => {
    try {
      await change();
    } catch (error) {
      onMirrorError(error);
    }
  };
  /** After a script: the SQL record mirrored (when it changed) and the events moved, together. */
  const mirror = (change?: () => Promise<unknown>) =>
    Promise.all([change && settled(change), settled(() => outbox.drain())]);
  const encoded = (events: readonly AuditEvent[]) => events.map(outbox.encode);

  return {
    async create(record, events) {
      // The record first: content in Redis never exists without the record the sweeper expires.
      // Its events go with the content, so a share whose content never reached Redis has none.
      await records.create({ ...record, ciphertext: undefined }, []);
      try {
        await run(
          'hushCreateShare',
          [shareKeyPrefix + record.id, tokenKeyPrefix + record.tokenHash, outbox.key],
          [record.id, record.expiresAt, events.length, ...encoded(events), ...toFields(record)],
        );
      } catch (error) {
        // The request fails. A record left behind would be swept at its expiry with a share.expired
        // for a share that was never created: take it back, silently. (Had a timed-out script run
        // after all, its content is unreachable, since no one got the link, and Redis expires it.)
        await settled(() => records.discard(record.id));
        throw error;
      }
      await mirror();
    },

    async findLive(tokenHash, now) {
      const reply = (await run('hushFindLive', [tokenKeyPrefix + tokenHash], [shareKeyPrefix])) as Buffer[];
      const share = fromFields(reply);
      return share?.ciphertext && share.expiresAt > now ? share : undefined;
    },

    findByReceipt: (receiptHash) => records.findByReceipt(receiptHash),

    async claimView(id, now, events, grant) {
      const reply = (await run(
        'hushClaimView',
        [shareKeyPrefix + id, outbox.key],
        [now, tokenKeyPrefix, ...encoded(events)],
      )) as [Buffer, number, number] | null;
      if (!reply) return undefined;
      // The view is spent: the grant follows in SQL, before the mirror may end the record (a
      // record that ended would let the sweeper take files not yet released to this grant).
      let download: DownloadGrant | undefined;
      if (grant) {
        await settled(async () => {
          download = await files.grantAfterClaim(id, grant, reply[1] === 0);
        });
      }
      await mirror(() => records.mirrorViews(id, reply[2], now));
      return { ciphertext: reply[0], viewsLeft: reply[1], download };
    },

    async recordFailedAttempt(id, limit, now, events) {
      const reply = (await run(
        'hushFailedAttempt',
        [shareKeyPrefix + id, outbox.key],
        [
          now,
          limit,
          tokenKeyPrefix,
          events.attempt.length,
          ...encoded(events.attempt),
          ...encoded(events.burned),
        ],
      )) as [number, number] | null;
      if (!reply) return undefined;
      await mirror(() => records.mirrorAttempts(id, reply[0], reply[1] === 1, now));
      if (reply[1] === 1) await settled(() => files.eraseForShare(id));
      return { attempts: reply[0], burned: reply[1] === 1 };
    },

    async burn(id, reason, now, events) {
      const burned =
        (await run(
          'hushBurn',
          [shareKeyPrefix + id, outbox.key],
          [now, tokenKeyPrefix, ...encoded(events)],
        )) === 1;
      if (burned) await mirror(() => records.burn(id, reason, now, []));
      return burned;
    },

    // Redis dropped the content by itself at expires_at; what is left is marking the SQL records
    // expired, with their events (in SQL, in the same step), and purging old ones.
    expireBatch: (now, limit, eventsFor) => records.expireBatch(now, limit, eventsFor),
    purgeBatch: (endedBefore, limit) => records.purgeBatch(endedBefore, limit),
  };
}

/** The hash fields of a new share, as alternating names and values. */
function toFields(record: NewShareRecord): ScriptArg[] {
  if (!record.ciphertext) throw new Error('a share in Redis needs its ciphertext');
  return [
    ['id', record.id],
    ['token_hash', record.tokenHash],
    ['receipt_hash', record.receiptHash],
    ['ciphertext', record.ciphertext],
    ...(record.passphraseHash === undefined ? [] : [['passphrase_hash', record.passphraseHash]]),
    ['passphrase_scope', record.passphraseScope],
    ...(record.keyCheckHash === undefined ? [] : [['key_check_hash', record.keyCheckHash]]),
    ['max_views', record.maxViews],
    ['views_used', 0],
    ['failed_attempts', 0],
    ['created_at', record.createdAt],
    ['expires_at', record.expiresAt],
  ].flat() as ScriptArg[];
}

/** A share hash read back as a pending record; undefined when the hash is gone. */
function fromFields(reply: readonly Buffer[]): ShareRecord | undefined {
  if (reply.length === 0) return undefined;
  const fields = new Map<string, Buffer>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1] as Buffer);
  const text = (name: string) => fields.get(name)?.toString('utf8');
  const number = (name: string) => Number(text(name));
  return {
    id: text('id') ?? '',
    tokenHash: text('token_hash') ?? '',
    receiptHash: text('receipt_hash') ?? '',
    ciphertext: fields.get('ciphertext'),
    passphraseHash: text('passphrase_hash'),
    passphraseScope: (text('passphrase_scope') ?? 'reveal') as PassphraseScope,
    keyCheckHash: text('key_check_hash'),
    maxViews: number('max_views'),
    viewsUsed: number('views_used'),
    failedAttempts: number('failed_attempts'),
    state: 'pending',
    endReason: undefined,
    createdAt: number('created_at'),
    expiresAt: number('expires_at'),
    endedAt: undefined,
  };
}
