import type { AuditEvent } from '../audit/audit-types.js';

/** A setting changed from its default, as stored. */
export interface SettingRecord {
  readonly key: string;
  /** The value as JSON text. */
  readonly valueJson: string;
  /** Epoch milliseconds. */
  readonly updatedAt: number;
  /** The username that changed it. */
  readonly updatedBy: string | undefined;
}

/**
 * Every change; the version counts them, so a node can tell cheaply whether its copy is stale.
 * Version 0 means nothing was ever changed.
 */
export interface SettingsSnapshot {
  readonly version: number;
  readonly settings: readonly SettingRecord[];
}

/** What the settings service needs from storage (SQL on every backend). */
export interface SettingsStore {
  /** Every stored setting and the version they are at, read together (one consistent snapshot). */
  list(): Promise<SettingsSnapshot>;
  version(): Promise<number>;
  /**
   * Stores a value (replacing any) if the version is still `ifVersion`, and bumps the version and
   * stores `events` in the same atomic step. Returns the new version, or undefined (and nothing
   * stored) when the version had moved on. Guarantee: of concurrent calls with one `ifVersion`,
   * from any number of nodes, exactly one succeeds, so a change checked against snapshot N is
   * applied to exactly snapshot N.
   */
  set(record: SettingRecord, ifVersion: number, events: readonly AuditEvent[]): Promise<number | undefined>;
  /** Removes the stored value (back to the default) under the same rule and guarantee as `set`. */
  reset(key: string, ifVersion: number, events: readonly AuditEvent[]): Promise<number | undefined>;
}
