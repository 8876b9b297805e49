import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

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
  hash(passphrase: string): Promise<string>;
  /** False for a wrong passphrase and for a corrupt stored hash alike. */
  verify(encoded: string, passphrase: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface HasherOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /** OS priority of the hashing threads: 19 = lowest. */
  readonly nice?: number;
}

/**
 * Each worker hashes one passphrase at a time at the lowest OS priority (on Linux, setpriority on
 * a thread applies to that thread only). The event loop then always preempts hashing, so health
 * checks and ordinary requests stay fast under a flood of passphrase requests, while idle cores
 * still go to hashing. CommonJS source as text, so it runs the same from src/ and dist/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hashSync, verifySync } = require(workerData.argon2);
try { require('node:os').setPriority(workerData.nice); } catch { /* not permitted: run at normal priority */ }
parentPort.on('message', (job) => {
  try {
    const value = job.op === 'hash' ? hashSync(job.passphrase, workerData.options) : verifySync(job.encoded, job.passphrase);
    parentPort.postMessage({ ok: true, value });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
});
`;

type JobMessage = { op: 'hash'; passphrase: string } | { op: 'verify'; encoded: string; passphrase: string };

interface Job {
  readonly message: JobMessage;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

export function createPassphraseHasher(options: HasherOptions = {}): PassphraseHasher {
  const workerData = {
    argon2: createRequire(import.meta.url).resolve('@node-rs/argon2'),
    options: ARGON2_OPTIONS,
    nice: options.nice ?? 19,
  };
  const queue: Job[] = [];
  let closed = false;

  const spawn = (slot: Slot): Worker => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.unref();
    worker.on('message', (reply: { ok: boolean; value?: unknown; error?: string }) => {
      const job = slot.job;
      slot.job = undefined;
      worker.unref();
      if (reply.ok) job?.resolve(reply.value);
      else job?.reject(new Error(reply.error));
      dispatch();
    });
    // A crashed worker fails only its own job and is replaced.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      slot.job?.reject(new Error('hashing worker exited'));
      slot.job = undefined;
      if (!closed) {
        slot.worker = spawn(slot);
        dispatch();
      }
    });
    return worker;
  };

  const slots: Slot[] = Array.from({ length: options.threads ?? availableParallelism() }, () => {
    const slot: Slot = { worker: undefined as unknown as Worker, job: undefined };
    slot.worker = spawn(slot);
    return slot;
  });

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      slot.job = queue.shift();
      slot.worker.ref(); // a job in flight keeps the process alive
      slot.worker.postMessage(slot.job?.message);
    }
  }

  const run = (message: JobMessage) =>
    new Promise<unknown>((resolve, reject) => {
      if (closed) return reject(new Error('passphrase hasher is closed'));
      queue.push({ message, resolve, reject });
      dispatch();
    });

  return {
    hash: async (passphrase) => String(await run({ op: 'hash', passphrase })),
    verify: async (encoded, passphrase) =>
      (await run({ op: 'verify', encoded, passphrase }).catch(() => false)) === true,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('passphrase hasher is closed'));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
