import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import type { Job, JobTick, TickOutcome } from './job-types.js';
import { createWorkerRunner } from './worker-runner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A job whose ticks run `body`; counts its runs and records each tick's signal. */
function job(name: string, body: (tick: JobTick, run: number) => Promise<string>, intervalMs = 10_000) {
  const ticks: JobTick[] = [];
  const definition: Job<string> = {
    name,
    intervalMs,
    run: (tick) => {
      ticks.push(tick);
      return body(tick, ticks.length);
    },
    skipped: () => 'skipped',
  };
  return { definition, ticks };
}

describe('worker runner', () => {
  let dir: string;
  let storage: Storage;
  let lines: Record<string, unknown>[];
  let outcomes: [string, TickOutcome][];
  let runner: ReturnType<typeof createWorkerRunner>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-workers-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    lines = [];
    outcomes = [];
    runner = createWorkerRunner({
      locks: storage.locks,
      logger: createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) }),
      onTick: (name, outcome) => outcomes.push([name, outcome]),
    });
  });

  afterEach(async () => {
    await runner.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a tick under the lock named for the job, and releases it after', async () => {
    let heldDuringTick: boolean | undefined;
    const { definition } = job('report', async () => {
      heldDuringTick = (await storage.locks.tryAcquire('report', 1000)) === undefined;
      return 'done';
    });
    expect(await runner.add(definition).runOnce()).toBe('done');
    expect(heldDuringTick).toBe(true);
    expect(await storage.locks.tryAcquire('report', 1000)).toBeDefined();
    expect(outcomes).toEqual([['report', 'ran']]);
  });

  it('skips a tick while another node holds the lock', async () => {
    const elsewhere = await storage.locks.tryAcquire('report', 60_000);
    const { definition, ticks } = job('report', async () => 'done');
    const handle = runner.add(definition);
    expect(await handle.runOnce()).toBe('skipped');
    expect(ticks).toHaveLength(0);
    expect(outcomes).toEqual([['report', 'skipped']]);
    await elsewhere?.release();
    expect(await handle.runOnce()).toBe('done');
  });

  it('shares one tick between concurrent calls', async () => {
    const gate = deferred();
    const { definition, ticks } = job('report', async () => {
      await gate.promise;
      return 'done';
    });
    const handle = runner.add(definition);
    const both = Promise.all([handle.runOnce(), handle.runOnce()]);
    gate.resolve();
    expect(await both).toEqual(['done', 'done']);
    expect(ticks).toHaveLength(1);
  });

  it('stop() aborts the running tick and waits for it to end', async () => {
    const gate = deferred();
    let ended = false;
    const { definition, ticks } = job('report', async () => {
      await gate.promise;
      ended = true;
      return 'done';
    });
    const tick = runner.add(definition).runOnce();
    await sleep(20);
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await sleep(20);
    expect(ticks[0]?.signal.aborted).toBe(true);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(ended).toBe(true);
    expect(await tick).toBe('done');
  });

  it('logs and reports a failed tick, and the next scheduled tick still runs', async () => {
    const { definition, ticks } = job(
      'report',
      async (_tick, run) => {
        if (run === 1)
          throw Object.assign(new Error('database said no: secret-looking detail'), { code: 'E1' });
        return 'done';
      },
      20,
    );
    runner.add(definition);
    runner.start();
    const deadline = Date.now() + 5_000;
    while (ticks.length < 2 && Date.now() < deadline) await sleep(10);
    await runner.stop();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.slice(0, 2)).toEqual([
      ['report', 'failed'],
      ['report', 'ran'],
    ]);
    const failed = lines.filter((line) => line.msg === 'worker tick failed');
    expect(failed).toEqual([expect.objectContaining({ job: 'report', errName: 'Error', errCode: 'E1' })]);
    expect(JSON.stringify(lines)).not.toContain('secret-looking detail');
    // The failed tick released its lock.
    expect(await storage.locks.tryAcquire('report', 1000)).toBeDefined();
  });

  it('rejects runOnce with the failure of its tick', async () => {
    const { definition } = job('report', async () => {
      throw new Error('boom');
    });
    await expect(runner.add(definition).runOnce()).rejects.toThrow('boom');
  });

  it('asks a tick past its timeout to stop and reports it as timed out', async () => {
    const { definition, ticks } = job('report', async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return 'ended early';
    });
    const handle = runner.add({ ...definition, timeoutMs: 30 });
    expect(await handle.runOnce()).toBe('ended early');
    expect(ticks[0]?.signal.aborted).toBe(true);
    expect(outcomes).toEqual([['report', 'timed_out']]);
    expect(lines.some((line) => line.msg === 'worker tick timed out: asked to stop')).toBe(true);
  });

  it('keeps jobs apart: each has its own lock and schedule', async () => {
    const first = job('first', async () => 'one');
    const second = job('second', async () => 'two');
    const held = await storage.locks.tryAcquire('first', 60_000);
    const [a, b] = [runner.add(first.definition), runner.add(second.definition)];
    expect(await Promise.all([a.runOnce(), b.runOnce()])).toEqual(['skipped', 'two']);
    await held?.release();
  });
});
