import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../src/crypto/passphrase-hasher.js';

/**
 * The ceiling for passphrase creates: how many Argon2id hashes per second this machine does with
 * exactly the server's options (imported, not copied) and the server's concurrency (one hash in
 * flight per connection; @node-rs/argon2 queues them on libuv's thread pool just as in hush).
 * Runs as its own process, so it has a fresh thread pool of the default size, like hush.
 *
 *   node --import tsx bench/argon2-rate.ts --concurrency 50 --duration 10 --warmup 2
 *
 * Prints one JSON line: {hashesPerSecond, hashes, seconds, concurrency, threadPoolSize, options}.
 */
export interface Argon2Rate {
  readonly hashesPerSecond: number;
  readonly hashes: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly threadPoolSize: number;
  readonly options: typeof ARGON2_OPTIONS;
}

/** Keeps `concurrency` hashes in flight for `durationMs`; counts those that finish inside it. */
async function hashFor(passphrase: string, concurrency: number, durationMs: number): Promise<number> {
  const start = performance.now();
  const end = start + durationMs;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await hash(passphrase, ARGON2_OPTIONS);
      if (performance.now() <= end) done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

export async function measureArgon2Rate(options: {
  passphrase: string;
  concurrency: number;
  durationSeconds: number;
  warmupSeconds: number;
}): Promise<Argon2Rate> {
  await hashFor(options.passphrase, options.concurrency, options.warmupSeconds * 1000);
  const hashes = await hashFor(options.passphrase, options.concurrency, options.durationSeconds * 1000);
  return {
    hashesPerSecond: hashes / options.durationSeconds,
    hashes,
    seconds: options.durationSeconds,
    concurrency: options.concurrency,
    threadPoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    options: ARGON2_OPTIONS,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      passphrase: { type: 'string', default: 'correct horse battery staple' },
    },
  });
  const rate = await measureArgon2Rate({
    passphrase: values.passphrase,
    concurrency: Number(values.concurrency),
    durationSeconds: Number(values.duration),
    warmupSeconds: Number(values.warmup),
  });
  process.stdout.write(`${JSON.stringify({ ...rate, cpus: availableParallelism() })}\n`);
}
