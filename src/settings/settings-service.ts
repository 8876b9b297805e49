import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { Actor, NewAuditEvent } from '../audit/audit-types.js';
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
 * the change, after it is stored (with its audit event) and before the admin gets the answer. A
 * failure fails the request (the value stays changed), so the effect must be safe to run again when
 * the admin retries with the same value.
 */
export type SettingEffect<K extends SettingKey> = (change: {
  readonly previous: SettingValue<K>;
  readonly next: SettingValue<K>;
  readonly actor: Actor;
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
  set(key: string, value: unknown, actor: Actor, client: ClientInfo): Promise<SettingView>;
  /** Back to the default; the same rules apply to the value it returns to. */
  reset(key: string, actor: Actor, client: ClientInfo): Promise<SettingView>;
}

/** Losing this many races in a row to other admins' changes means something is wrong. */
const MAX_ATTEMPTS = 10;
/** Settings are not secrets, but the audit log is no place for a large value: it keeps its start. */
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
   * The change's audit event is stored with it, in the same step. Returns the value it replaced.
   */
  const change = async (
    key: SettingKey,
    setting: CachedSetting | undefined,
    event: NewAuditEvent,
  ): Promise<unknown> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await cache.refresh();
      const before = cache.current();
      const changed = new Map(before.changed);
      if (setting === undefined) changed.delete(key);
      else changed.set(key, setting);
      checkSettingRules(key, readerOf({ version: before.version, changed }));
      const events = [deps.audit.prepare(event)];
      const version =
        setting === undefined
          ? await deps.store.reset(key, before.version, events)
          : await deps.store.set(
              {
                key,
                valueJson: JSON.stringify(setting.value),
                updatedAt: setting.updatedAt,
                updatedBy: setting.updatedBy,
              },
              before.version,
              events,
            );
      if (version !== undefined) {
        deps.audit.stored(events);
        cache.applied(before.version, version, key, setting);
        return readerOf(before).get(key);
      }
    }
    throw new HushError('unavailable', 'Settings are being changed concurrently; retry.');
  };

  const changeEvent = (key: SettingKey, actor: Actor, client: ClientInfo, data: NewAuditEvent['data']) =>
    ({ type: 'setting.changed', actor, client, subject: { kind: 'setting', id: key }, data }) as const;

  const affect = <K extends SettingKey>(
    key: K,
    values: { previous: unknown; next: unknown },
    actor: Actor,
    client: ClientInfo,
  ) => {
    const effect = deps.effects?.[key] as SettingEffect<K> | undefined;
    return effect?.({ ...(values as { previous: SettingValue<K>; next: SettingValue<K> }), actor, client });
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
      const json = JSON.stringify(value);
      const shown = json.length > MAX_DETAIL_VALUE ? `${json.slice(0, MAX_DETAIL_VALUE)}…` : json;
      const previous = await change(
        settingKey,
        { value, updatedAt: now(), updatedBy: actor.name },
        changeEvent(settingKey, actor, client, { key: settingKey, value: shown }),
      );
      await affect(settingKey, { previous, next: value }, actor, client);
      return view(settingKey);
    },

    async reset(key, actor, client) {
      const settingKey = known(key);
      const previous = await change(
        settingKey,
        undefined,
        changeEvent(settingKey, actor, client, { key: settingKey, reset: true }),
      );
      await affect(settingKey, { previous, next: defaults.get(settingKey) }, actor, client);
      return view(settingKey);
    },
  };
}
