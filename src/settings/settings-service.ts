import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { Config } from '../config/config.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { Notifier } from '../storage/notifier.js';
import type { SettingsStore } from '../storage/settings-store.js';
import {
  type FreshSettingsReader,
  isSettingKey,
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type SettingKey,
  type SettingsReader,
  type SettingValue,
  settingDefaults,
} from './setting-definitions.js';
import { checkSettingRules, validateSettingValue } from './setting-validation.js';
import { type CachedSetting, type CachedSettings, createSettingsCache } from './settings-cache.js';

export interface SettingsServiceDeps {
  readonly store: SettingsStore;
  readonly audit: AuditService;
  readonly config: Config;
  readonly logger: Logger;
  /** The storage's notifier: changes reach other nodes at once; without one, within a poll. */
  readonly notifier?: Notifier | undefined;
  /** What a change to a setting must also do; see SettingEffect. */
  readonly effects?: SettingEffects;
  /** How often other nodes' changes are looked for (default 1 s). */
  readonly pollIntervalMs?: number;
  readonly now?: () => number;
}

/**
 * What a change to a setting must also do, beyond the stored value: run once, on the node that made
 * the change, after it is stored and before it is audited and the admin gets the answer. A failure fails
 * the request (the value stays changed), so the effect must be safe to run again when the admin
 * retries with the same value.
 */
export type SettingEffect<K extends SettingKey> = (change: {
  readonly previous: SettingValue<K>;
  readonly next: SettingValue<K>;
  readonly actor: string;
  readonly client: ClientInfo;
}) => Promise<void>;
export type SettingEffects = { readonly [K in SettingKey]?: SettingEffect<K> };

/** A setting as the admin API shows it. */
export interface SettingView {
  readonly key: SettingKey;
  readonly value: unknown;
  readonly defaultValue: unknown;
  readonly description: string;
  /** Undefined while the setting is at its default. */
  readonly updatedAt: Date | undefined;
  readonly updatedBy: string | undefined;
}

/**
 * Runtime settings. `get` answers from this process's copy (synchronous, never stale by more than
 * the poll interval, ~1 s; usually at once, through the notifier); the admin methods read and write the store.
 */
export interface SettingsService extends SettingsReader, FreshSettingsReader {
  /** Loads the settings and starts following other nodes' changes; call before serving. */
  start(): Promise<void>;
  close(): Promise<void>;
  list(): Promise<SettingView[]>;
  /** not_found (404) for an unknown key. */
  getOne(key: string): Promise<SettingView>;
  /** invalid_setting (400) for a value its schema or a rule between settings refuses. */
  set(key: string, value: unknown, actor: string, client: ClientInfo): Promise<SettingView>;
  /** Back to the default; the same rules apply to the value it returns to. */
  reset(key: string, actor: string, client: ClientInfo): Promise<SettingView>;
}

/** Losing this many races in a row to other admins' changes means something is wrong. */
const MAX_ATTEMPTS = 10;
/** Settings are not secrets, but the audit log is no place for a large value. */
const MAX_DETAIL_VALUE = 200;

const known = (key: string): SettingKey => {
  if (!isSettingKey(key)) throw new HushError('not_found', 'No such setting.');
  return key;
};

export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const now = deps.now ?? Date.now;
  const defaults = settingDefaults(deps.config);
  const cache = createSettingsCache({
    store: deps.store,
    logger: deps.logger,
    notifier: deps.notifier,
    pollIntervalMs: deps.pollIntervalMs ?? 1000,
  });

  const readerOf = (cached: CachedSettings): SettingsReader => ({
    get: <K extends SettingKey>(key: K) =>
      (cached.changed.has(key) ? cached.changed.get(key)?.value : defaults.get(key)) as SettingValue<K>,
  });

  const view = (key: SettingKey): SettingView => {
    const setting = cache.current().changed.get(key);
    return {
      key,
      value: setting ? setting.value : defaults.get(key),
      defaultValue: defaults.get(key),
      description: SETTING_DEFINITIONS[key].description,
      updatedAt: setting && new Date(setting.updatedAt),
      updatedBy: setting?.updatedBy,
    };
  };

  /**
   * Checks the change against the current settings and stores it only if they are still current,
   * retrying on a lost race: two admins on two nodes cannot together break a rule between settings.
   * Returns the value it replaced.
   */
  const change = async (key: SettingKey, setting: CachedSetting | undefined): Promise<unknown> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await cache.refresh();
      const before = cache.current();
      const changed = new Map(before.changed);
      if (setting === undefined) changed.delete(key);
      else changed.set(key, setting);
      checkSettingRules(key, readerOf({ version: before.version, changed }));
      const version =
        setting === undefined
          ? await deps.store.reset(key, before.version)
          : await deps.store.set(
              {
                key,
                valueJson: JSON.stringify(setting.value),
                updatedAt: setting.updatedAt,
                updatedBy: setting.updatedBy,
              },
              before.version,
            );
      if (version !== undefined) {
        cache.applied(before.version, version, key, setting);
        return readerOf(before).get(key);
      }
    }
    throw new HushError('unavailable', 'Settings are being changed concurrently; retry.');
  };

  const audit = (actor: string, client: ClientInfo, detail: string) =>
    deps.audit.record({ type: 'SETTING_CHANGE', actor, client, detail });

  const affect = async <K extends SettingKey>(
    key: K,
    values: { previous: unknown; next: unknown },
    actor: string,
    client: ClientInfo,
  ) => {
    const effect = deps.effects?.[key] as SettingEffect<K> | undefined;
    await effect?.({ ...(values as { previous: SettingValue<K>; next: SettingValue<K> }), actor, client });
  };

  /**
   * The stored change's effect, then its audit event. The event is recorded even when the effect
   * failed (the value did change), and a failed audit write cannot skip the effect.
   */
  const affected = async (effect: () => Promise<void>, record: () => Promise<void>) => {
    let failure: { error: unknown } | undefined;
    try {
      await effect();
    } catch (error) {
      failure = { error };
    }
    await record();
    if (failure) throw failure.error;
  };

  return {
    get: <K extends SettingKey>(key: K) => readerOf(cache.current()).get(key),
    async fresh(key) {
      await cache.refresh();
      const current = cache.current();
      return { value: readerOf(current).get(key), version: current.version };
    },
    start: () => cache.start(),
    close: () => cache.close(),

    async list() {
      await cache.refresh();
      return SETTING_KEYS.map(view);
    },

    async getOne(key) {
      const settingKey = known(key);
      await cache.refresh();
      return view(settingKey);
    },

    async set(key, value, actor, client) {
      const settingKey = known(key);
      validateSettingValue(settingKey, value);
      const previous = await change(settingKey, { value, updatedAt: now(), updatedBy: actor });
      const json = JSON.stringify(value);
      const shown = json.length > MAX_DETAIL_VALUE ? `${json.slice(0, MAX_DETAIL_VALUE)}…` : json;
      await affected(
        () => affect(settingKey, { previous, next: value }, actor, client),
        () => audit(actor, client, `${settingKey}=${shown}`),
      );
      return view(settingKey);
    },

    async reset(key, actor, client) {
      const settingKey = known(key);
      const previous = await change(settingKey, undefined);
      await affected(
        () => affect(settingKey, { previous, next: defaults.get(settingKey) }, actor, client),
        () => audit(actor, client, `${settingKey} reset`),
      );
      return view(settingKey);
    },
  };
}
