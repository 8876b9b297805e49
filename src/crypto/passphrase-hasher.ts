import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { createWorkerPool } from './worker-pool.js';

/** Algorithm.Argon2id; the enum is `const` and cannot be imported under verbatimModuleSyntax. */
const ARGON2ID = 2;

/** Argon2id with OWASP's minimum profile (19 MiB, t=2, p=1). */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export interface PassphraseHasher {
  /** Rejects with HushError('unavailable') when the pool cannot take the job, 'internal' if hashing fails. */
  hash(passphrase: string): Promise<string>;
  /**
   * False for a wrong passphrase and for a corrupt stored hash alike. Rejects with
   * HushError('unavailable') when the pool cannot answer, so callers never count that as a guess.
   */
  verify(encoded: string, passphrase: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface HasherOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /** OS priority of the hashing threads: 19 = lowest. */
  readonly nice?: number;
  /** Jobs that may wait for a free thread (default 64 per thread); more fail with 'unavailable'. */
  readonly maxQueue?: number;
  /** Told why a worker failed to start or died (it is restarted with backoff); e.g. to log it. */
  readonly onWorkerError?: (error: Error) => void;
}

/**
 * Each worker hashes one passphrase at a time at the lowest OS priority (on Linux, setpriority on
 * a thread applies to that thread only). The event loop then always preempts hashing, so health
 * checks and ordinary requests stay fast under a flood of passphrase requests, while idle cores
 * still go to hashing. CommonJS source as text, so it runs the same from src/ and dist/.
 *
 * verifySync throws when it cannot use the encoded hash at all: that is a corrupt record, which no
 * passphrase matches, so it answers false here. Anything the pool reports as an error is then a
 * real failure, never a wrong passphrase.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hashSync, verifySync } = require(workerData.argon2);
try { require('node:os').setPriority(workerData.nice); } catch { /* not permitted: run at normal priority */ }
const verify = (encoded, passphrase) => {
  try { return verifySync(encoded, passphrase); } catch { return false; }
};
parentPort.on('message', (job) => {
  try {
    const value = job.op === 'hash' ? hashSync(job.passphrase, workerData.options) : verify(job.encoded, job.passphrase);
    parentPort.postMessage({ ok: true, value });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
});
parentPort.postMessage('ready');
`;

type JobMessage = { op: 'hash'; passphrase: string } | { op: 'verify'; encoded: string; passphrase: string };

export function createPassphraseHasher(options: HasherOptions = {}): PassphraseHasher {
  const threads = options.threads ?? availableParallelism();
  const pool = createWorkerPool({
    source: WORKER_SOURCE,
    workerData: {
      argon2: createRequire(import.meta.url).resolve('@node-rs/argon2'),
      options: ARGON2_OPTIONS,
      nice: options.nice ?? 19,
    },
    threads,
    maxQueue: options.maxQueue ?? 64 * threads,
    onWorkerError: options.onWorkerError,
  });
  const run = (message: JobMessage) => pool.run(message);

  return {
    hash: async (passphrase) => String(await run({ op: 'hash', passphrase })),
    verify: async (encoded, passphrase) => (await run({ op: 'verify', encoded, passphrase })) === true,
    close: () => pool.close(),
  };
}
