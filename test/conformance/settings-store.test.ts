import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingRecord, SettingsStore } from '../../src/storage/settings-store.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const record = (key: string, value: unknown, updatedBy?: string): SettingRecord => ({
  key,
  valueJson: JSON.stringify(value),
  updatedAt: Date.now(),
  updatedBy,
});

/** Sets a value as the settings service does: read the version, try, and retry when it moved. */
async function setWithRetry(store: SettingsStore, change: SettingRecord): Promise<number> {
  for (;;) {
    const version = await store.set(change, await store.version(), []);
    if (version !== undefined) return version;
  }
}

describe.each(BACKEND_NAMES)('%s settings store (two nodes)', (name) => {
  let two: TwoNodes;
  const settings = (i: 0 | 1) => two.nodes[i].storage.settings;

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('starts empty at version 0, stores, replaces and resets values, bumping the version each time', async () => {
    expect(await settings(0).list()).toEqual({ version: 0, settings: [] });
    expect(await settings(1).version()).toBe(0);

    const views = record('shares.max_views', 5, 'alice');
    expect(await settings(0).set(views, 0, [])).toBe(1);
    const mapping = record('github.role_mapping', { 'org:acme': 'admin' });
    expect(await settings(1).set(mapping, 1, [])).toBe(2);
    expect(await settings(1).list()).toEqual({ version: 2, settings: [mapping, views] });

    const replaced = record('shares.max_views', 7, 'bob');
    expect(await settings(1).set(replaced, 2, [])).toBe(3);
    expect(await settings(0).list()).toEqual({ version: 3, settings: [mapping, replaced] });

    expect(await settings(0).reset('shares.max_views', 3, [])).toBe(4);
    // Resetting what is not stored still counts as a change: every node re-reads its copy.
    expect(await settings(1).reset('shares.max_views', 4, [])).toBe(5);
    expect(await settings(1).list()).toEqual({ version: 5, settings: [mapping] });
    expect(await settings(0).version()).toBe(5);
  });

  it('refuses a change made against a version that has moved on, and changes nothing', async () => {
    const before = await settings(0).list();
    expect(await settings(1).set(record('shares.max_views', 9), before.version - 1, [])).toBeUndefined();
    expect(await settings(0).reset('github.role_mapping', before.version + 1, [])).toBeUndefined();
    expect(await settings(1).list()).toEqual(before);
  });

  it('lets exactly one of 20 concurrent changes against one version through, across both nodes', async () => {
    const { version } = await settings(0).list();
    const attempts = Array.from({ length: 20 }, (_, i) => record('shares.max_views', i + 1, `admin${i}`));
    const results = await Promise.all(
      attempts.map((change, i) =>
        i % 5 === 4
          ? settings((i % 2) as 0 | 1).reset(change.key, version, [])
          : settings((i % 2) as 0 | 1).set(change, version, []),
      ),
    );
    expect(results.filter((result) => result !== undefined)).toEqual([version + 1]);
    const winner = results.findIndex((result) => result !== undefined);
    const after = await settings(1).list();
    expect(after.version).toBe(version + 1);
    const stored = after.settings.find((s) => s.key === 'shares.max_views');
    expect(stored).toEqual(winner % 5 === 4 ? undefined : attempts[winner]);
  });

  it('gives 12 concurrent writers retrying on both nodes one distinct version each', async () => {
    const start = await settings(0).version();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        setWithRetry(settings((i % 2) as 0 | 1), record(`key.${i % 3}`, i)),
      ),
    );
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => start + i + 1));
    const after = await settings(0).list();
    expect(after.version).toBe(start + 12);
    // Each key holds the value of its last writer, the one that got the highest version.
    for (const k of [0, 1, 2]) {
      const mine = results.map((v, i) => ({ v, i })).filter(({ i }) => i % 3 === k);
      const last = mine.reduce((a, b) => (b.v > a.v ? b : a));
      expect(after.settings.find((s) => s.key === `key.${k}`)?.valueJson).toBe(String(last.i));
    }
  });
});
