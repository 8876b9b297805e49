import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPassphraseHasher, type HasherOptions, type PassphraseHasher } from './passphrase-hasher.js';

const unavailable = { name: 'HushError', code: 'unavailable' };

/** Threads of this process running at nice 19 (our hashing workers). */
const niceThreads = () =>
  readdirSync('/proc/self/task').filter(
    (tid) => readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16] === '19',
  ).length;

describe('passphrase hasher', () => {
  const hasher = createPassphraseHasher({ threads: 2 });
  afterAll(() => hasher.close());

  it('hashes with Argon2id (19 MiB, t=2) and verifies', async () => {
    const encoded = await hasher.hash('correct horse');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(encoded).not.toContain('correct horse');
    expect(await hasher.verify(encoded, 'correct horse')).toBe(true);
    expect(await hasher.verify(encoded, 'wrong')).toBe(false);
  });

  it('treats a corrupt stored hash as a mismatch', async () => {
    expect(await hasher.verify('garbage', 'x')).toBe(false);
    expect(await hasher.verify('$argon2id$v=19$m=19456,t=2,p=1$', 'x')).toBe(false);
  });

  it('runs many jobs through few threads, and keeps the event loop free meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hasher.hash(`p${i}`)));
    clearInterval(timer);
    expect(new Set(hashes).size).toBe(8);
    expect(await Promise.all(hashes.map((h, i) => hasher.verify(h, `p${i}`)))).toEqual(Array(8).fill(true));
    expect(ticks).toBeGreaterThan(10);
  });

  it('starts no thread until the first job', async () => {
    const before = niceThreads();
    const lazy = createPassphraseHasher({ threads: 2 });
    expect(niceThreads()).toBe(before);
    await lazy.hash('first job');
    expect(niceThreads()).toBe(before + 2);
    await lazy.close();
  });

  it('hashes on threads at the lowest OS priority', async () => {
    await hasher.hash('wake the workers');
    const nices = readdirSync('/proc/self/task').map(
      (tid) => readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16],
    );
    expect(nices.filter((n) => n === '19')).toHaveLength(2);
    expect(nices).toContain('0'); // the event loop's thread keeps normal priority
  });

  it('refuses work after close as unavailable, never as a wrong passphrase', async () => {
    const closing = createPassphraseHasher({ threads: 1 });
    const encoded = await closing.hash('x');
    const inFlight = closing.hash('y');
    await closing.close();
    await expect(inFlight).rejects.toMatchObject(unavailable);
    await expect(closing.hash('x')).rejects.toMatchObject(unavailable);
    await expect(closing.verify(encoded, 'x')).rejects.toMatchObject(unavailable);
  });

  it('refuses jobs beyond maxQueue at once', async () => {
    const small = createPassphraseHasher({ threads: 1, maxQueue: 1 });
    try {
      await small.hash('warm up'); // the worker is loaded and idle: the next job runs at once
      const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((p) => small.hash(p)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      for (const r of results.slice(2)) expect(r).toMatchObject({ reason: unavailable });
      expect(await small.hash('after the flood')).toMatch(/^\$argon2id\$/); // the queue drained
    } finally {
      await small.close();
    }
  });
});

/**
 * Failing workers, staged by swapping @node-rs/argon2 for a stand-in module in the workers only:
 * node:module is mocked for a fresh copy of the hasher, whose own code runs unchanged.
 */
describe('passphrase hasher with failing workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hush-argon2-'));
  const realArgon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const hasherWithArgon2 = async (name: string, source: string, options: HasherOptions) => {
    const stand = join(dir, `${name}.cjs`);
    writeFileSync(stand, source);
    vi.resetModules();
    vi.doMock('node:module', async (importOriginal) => {
      const actual = await importOriginal<typeof import('node:module')>();
      const createRequireStub = (url: string | URL) =>
        Object.assign(actual.createRequire(url), { resolve: () => stand });
      return { ...actual, createRequire: createRequireStub };
    });
    try {
      const fresh = await import('./passphrase-hasher.js');
      return fresh.createPassphraseHasher(options);
    } finally {
      vi.doUnmock('node:module');
      vi.resetModules();
    }
  };

  it('fails a job whose worker dies as unavailable, reports it, and recovers', async () => {
    const errors: Error[] = [];
    const crashing: PassphraseHasher = await hasherWithArgon2(
      'crashing',
      `const real = require(${JSON.stringify(realArgon2)});
       module.exports = { ...real, hashSync(p, o) {
         if (p === 'crash') process.exit(7); // ends this worker thread only
         if (p === 'fail') throw new Error('hashing failed');
         return real.hashSync(p, o);
       } };`,
      { threads: 1, nice: 0, onWorkerError: (error) => errors.push(error) },
    );
    try {
      const encoded = await crashing.hash('fine');
      await expect(crashing.hash('crash')).rejects.toMatchObject(unavailable);
      expect(errors.map((e) => e.message)).toEqual(['worker exited with code 7']);
      // The slot restarts after a backoff; jobs meanwhile wait for it instead of failing.
      expect(await crashing.verify(encoded, 'fine')).toBe(true);
      expect(await crashing.verify(encoded, 'wrong')).toBe(false);
      await expect(crashing.hash('fail')).rejects.toMatchObject({ name: 'HushError', code: 'internal' });
      expect(errors).toHaveLength(1);
    } finally {
      await crashing.close();
    }
  });

  it('reports a worker that cannot start, fails its jobs as unavailable and retries with backoff', async () => {
    const failures: number[] = [];
    const errors: Error[] = [];
    const broken = await hasherWithArgon2('broken', `throw new Error('cannot load the argon2 binding');`, {
      threads: 1,
      onWorkerError: (error) => {
        errors.push(error);
        failures.push(performance.now());
      },
    });
    try {
      await expect(
        broken.verify('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA', 'x'),
      ).rejects.toMatchObject(unavailable);
      await vi.waitFor(() => expect(failures.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      expect(errors[0]?.message).toBe('cannot load the argon2 binding');
      // Restarts wait 100 ms, then 200 ms: a tight respawn loop would fail far faster.
      expect((failures[2] ?? 0) - (failures[0] ?? 0)).toBeGreaterThanOrEqual(290);
    } finally {
      await broken.close();
    }
    const settled = failures.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(failures).toHaveLength(settled); // closed: no more restarts
  });
});
