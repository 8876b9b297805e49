import { afterAll, describe, expect, it } from 'vitest';
import {
  type AcknowledgedShare,
  countBy,
  newMasterKey,
  revealEachOnce,
  startCreateLoad,
} from './helpers/load.js';
import { nodeStorageEnv, startedOn } from './helpers/node-storage.js';
import { startServerProcess } from './helpers/server-process.js';
import { tempDirs } from './helpers/temp-dirs.js';

/**
 * `kill -9` during writes loses no acknowledged share: a node under concurrent create load is
 * SIGKILLed mid-stream, several times over; a new node on the same data (and master key) then
 * reveals every share that was answered 201 before a kill, with its exact content.
 */

const ROUNDS = 2;
/** Acknowledged creates per round before the kill (the kill lands while others are in flight). */
const PER_ROUND = 200;

const dirs = tempDirs('hush-crash-');
afterAll(() => dirs.cleanup());

describe.each([{ backend: 'sqlite' }, { backend: 'postgres' }, { backend: 'redis' }] as const)(
  'kill -9 during writes ($backend)',
  ({ backend }) => {
    it(`keeps every share acknowledged before ${ROUNDS} SIGKILLs under load`, async () => {
      const env = {
        ...(await nodeStorageEnv(backend)),
        HUSH_DATA_DIR: dirs.make(),
        HUSH_MASTER_KEY: newMasterKey(),
        HUSH_RATE_LIMIT_MAX: '0',
      };
      const acknowledged: AcknowledgedShare[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const node = await startServerProcess(env);
        expect(startedOn(node.output())).toBe(backend);
        const load = startCreateLoad({ urls: [node.url], workers: 16, pauseAfterFailureMs: 0 });
        try {
          await load.until(`${PER_ROUND} acknowledged shares`, (l) => l.acknowledged.length >= PER_ROUND);
          await node.kill();
        } finally {
          await load.stop();
        }
        // Up to the kill everything succeeded; after it, requests found no server (status 0).
        const statuses = countBy(load.replies.map((reply) => reply.status));
        expect(Object.keys(statuses).sort(), `round ${round}: ${JSON.stringify(statuses)}`).toEqual([
          '0',
          '201',
        ]);
        acknowledged.push(...load.acknowledged);
      }

      const survivor = await startServerProcess(env);
      try {
        expect(await revealEachOnce(survivor.url, acknowledged)).toEqual([]);
      } finally {
        expect(await survivor.stop()).toBe(0);
      }
    }, 120_000);
  },
);
