import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backends } from '../../src/storage/open-storage.js';
import { BACKEND_NAMES, type Backend, makeBackend } from './backend-matrix.js';
import { openShareStoreProcess } from './store-process.js';

describe.each(BACKEND_NAMES)('%s storage lifecycle', (name) => {
  let backend: Backend;
  const opened: Backends[] = [];

  beforeAll(async () => {
    backend = await makeBackend(name);
  });
  afterAll(async () => {
    await Promise.all(opened.map((node) => node.close()));
    backend?.cleanup();
  });

  it('migrates from several nodes at once, then again as a no-op, and answers ping', async () => {
    // Each child process opens and migrates at start: three nodes starting together on fresh data.
    // (Processes, not three connections here: SQLite's lock wait would block this one event loop.)
    const nodes = await Promise.all([1, 2, 3].map(() => openShareStoreProcess(backend.env)));
    await Promise.all(nodes.map((node) => node.close()));
    opened.push(await backend.open(), await backend.open());
    for (const node of opened) {
      await node.storage.migrate();
      await expect(node.storage.ping()).resolves.toBeUndefined();
    }
  });

  it('keeps the first key check written, whichever node writes first', async () => {
    const [a, b] = opened;
    expect(await a?.storage.keyCheck.read()).toBeUndefined();
    await Promise.all([a?.storage.keyCheck.write('first'), b?.storage.keyCheck.write('second')]);
    const agreed = await a?.storage.keyCheck.read();
    expect(['first', 'second']).toContain(agreed);
    expect(await b?.storage.keyCheck.read()).toBe(agreed);
    await b?.storage.keyCheck.write('third');
    expect(await a?.storage.keyCheck.read()).toBe(agreed);
  });
});
