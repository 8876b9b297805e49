import type { Logger } from 'pino';
import type { Notifier } from '../storage/notifier.js';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store.js';
import { isSettingKey, type SettingKey } from './setting-definitions.js';
import { isValidSettingValue } from './setting-validation.js';

/** A setting changed from its default, parsed and checked. */
export interface CachedSetting {
  readonly value: unknown;
  readonly updatedAt: number;
  readonly updatedBy: string | undefined;
}

export interface CachedSettings {
  readonly version: number;
  readonly changed: ReadonlyMap<SettingKey, CachedSetting>;
}

export interface SettingsCacheDeps {
  readonly store: SettingsStore;
  readonly logger: Logger;
  /** Changes are announced on its `settings` topic (the new version), and other nodes reload at once. */
  readonly notifier?: Notifier | undefined;
  /** How often the version is checked, notifier or not: the notifier may miss a message. */
  readonly pollIntervalMs: number;
}

/**
 * This process's copy of the stored settings. It follows other nodes' changes at once through the
 * storage's notifier, and within one poll interval (a cheap version read) when a message is lost.
 */
export interface SettingsCache {
  current(): CachedSettings;
  /** Loads from the store; resolves once a load that started after this call has finished. */
  refresh(): Promise<void>;
  /** Takes in a change this process made at `version` on top of `basedOn`, and tells the others. */
  applied(basedOn: number, version: number, key: SettingKey, setting: CachedSetting | undefined): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

const errorFields = (error: unknown) => ({
  errName: (error as Error).name,
  errCode: (error as { code?: unknown }).code,
});

export function createSettingsCache(deps: SettingsCacheDeps): SettingsCache {
  const { store, logger } = deps;
  let cached: CachedSettings = { version: -1, changed: new Map() };
  let loading: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let failing = false;
  let closed = false;

  /** A stored value that no longer fits its setting is skipped: the default applies instead. */
  const parse = (snapshot: SettingsSnapshot): CachedSettings => {
    const changed = new Map<SettingKey, CachedSetting>();
    for (const record of snapshot.settings) {
      let value: unknown;
      try {
        value = JSON.parse(record.valueJson);
      } catch {
        value = undefined;
      }
      if (!isSettingKey(record.key) || !isValidSettingValue(record.key, value)) {
        logger.warn({ key: record.key.slice(0, 100) }, 'ignoring a stored setting that is not valid');
        continue;
      }
      changed.set(record.key, { value, updatedAt: record.updatedAt, updatedBy: record.updatedBy });
    }
    return { version: snapshot.version, changed };
  };

  // Loads never overlap, so the last one to finish started last and holds the newest state.
  const refresh = (): Promise<void> => {
    if (loading === undefined) {
      loading = store
        .list()
        .then((snapshot) => {
          cached = parse(snapshot);
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    }
    queued ??= loading
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return refresh();
      });
    return queued;
  };

  /** Background reloads keep the last values through an outage, logging once per outage. */
  const refreshInBackground = async (check: () => Promise<boolean>) => {
    try {
      if (await check()) await refresh();
      if (failing) logger.info('settings reload recovered');
      failing = false;
    } catch (error) {
      if (closed || failing) return;
      failing = true;
      logger.warn(errorFields(error), 'settings reload failed; keeping the last values');
    }
  };

  const poll = () => {
    timer = setTimeout(() => {
      void refreshInBackground(async () => (await store.version()) !== cached.version).finally(() => {
        if (!closed) poll();
      });
    }, deps.pollIntervalMs);
    timer.unref();
  };

  return {
    current: () => cached,
    refresh,
    applied(basedOn, version, key, setting) {
      // Otherwise a load has already brought in this change (and maybe later ones).
      if (cached.version === basedOn) {
        const changed = new Map(cached.changed);
        if (setting === undefined) changed.delete(key);
        else changed.set(key, setting);
        cached = { version, changed };
      }
      deps.notifier?.publish('settings', String(version));
    },
    async start() {
      await refresh();
      unsubscribe = await deps.notifier?.subscribe('settings', (message) => {
        if (Number(message) !== cached.version) void refreshInBackground(async () => true);
      });
      poll();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      unsubscribe?.();
      await Promise.allSettled([loading, queued]);
    },
  };
}
