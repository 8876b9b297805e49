import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../src/crypto/passphrase-hasher.js';

/**
 * The ceiling for passphrase creates: how many Argon2id hashes per second this machine does with
 * exactly the server's options (imported, not copied) and the server's concurrency (one hash in
 * flight per connection; @node-rs/argon2 queues them on libuv's thread pool just as in hush).
 * Runs as its own process, so it has a fresh thread pool of the default size, like hush.
 * `--op verify` checks the passphrase against one stored hash instead: what a password sign-in does.
 *
 *   node --import tsx bench/argon2-rate.ts --concurrency 50 --duration 10 --warmup 2 [--op verify]
 *
 * Prints one JSON line: {op, hashesPerSecond, hashes, seconds, concurrency, threadPoolSize, options}.
 */
export type Argon2Op = 'hash' | 'verify';

export interface Argon2Rate {
  readonly op: Argon2Op;
  /** Hashes computed (op hash) or verified (op verify) per second. */
  readonly hashesPerSecond: number;
  readonly hashes: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly threadPoolSize: number;
  readonly options: typeof ARGON2_OPTIONS;
}

/** Keeps `concurrency` hashes in flight for `durationMs`; counts those that finish inside it. */
async function hashFor(
  job: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<number> {
  const start = performance.now();
  const end = start + durationMs;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await job();
      if (performance.now() <= end) done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

export async function measureArgon2Rate(options: {
  op: Argon2Op;
  passphrase: string;
  concurrency: number;
  durationSeconds: number;
  warmupSeconds: number;
}): Promise<Argon2Rate> {
  const encoded = await hash(options.passphrase, ARGON2_OPTIONS);
  const job =
    options.op === 'verify'
      ? async () => {
          if (!(await verify(encoded, options.passphrase))) throw new Error('argon2 verify answered false');
        }
      : () => hash(options.passphrase, ARGON2_OPTIONS);
  await hashFor(job, options.concurrency, options.warmupSeconds * 1000);
  const hashes = await hashFor(job, options.concurrency, options.durationSeconds * 1000);
  return {
    op: options.op,
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
      op: { type: 'string', default: 'hash' },
    },
  });
  if (values.op !== 'hash' && values.op !== 'verify') throw new Error(`--op must be hash or verify`);
  const rate = await measureArgon2Rate({
    op: values.op,
    passphrase: values.passphrase,
    concurrency: Number(values.concurrency),
    durationSeconds: Number(values.duration),
    warmupSeconds: Number(values.warmup),
  });
  process.stdout.write(`${JSON.stringify({ ...rate, cpus: availableParallelism() })}\n`);
}
