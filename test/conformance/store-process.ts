import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShareStore } from '../../src/storage/share-store.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store-child.ts');

type Method = keyof ShareStore;

/**
 * What an events callback (expireBatch's) is sent as: a function cannot cross the process boundary,
 * and the cases that race stores across processes store no events.
 */
export const NO_EVENTS_CALLBACK = '__no_events__';

export interface StoreRequest {
  readonly id: number;
  readonly method: Method;
  readonly args: unknown[];
}

export type StoreReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface ShareStoreProcess {
  /** The same contract, answered by the backend opened in another process. */
  readonly shares: ShareStore;
  close(): Promise<void>;
}

/** Structured clone turns Buffers into Uint8Arrays; give callers the Buffers the contract promises. */
function reviveBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reviveBuffers(inner)]));
}

/**
 * Opens the backend selected by `env` (HUSH_* settings) in a separate Node process, the way a
 * second hush node would, and exposes its ShareStore over IPC.
 */
export async function openShareStoreProcess(
  env: Readonly<Record<string, string>>,
): Promise<ShareStoreProcess> {
  const child: ChildProcess = fork(CHILD, [JSON.stringify(env)], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  // A dead child must fail the calls waiting on it, not leave them hanging until the test times out.
  child.on('exit', (code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`share store process exited with ${code}`));
    pending.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`share store process exited early with ${code}`)));
  });
  child.on('message', (reply: StoreReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reviveBuffers(reply.value));
    else waiter?.reject(new Error(`remote store: ${reply.error}`));
  });

  const call =
    <M extends Method>(method: M) =>
    (...args: Parameters<ShareStore[M]>): ReturnType<ShareStore[M]> => {
      const id = nextId++;
      const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      const sent = args.map((arg) => (typeof arg === 'function' ? NO_EVENTS_CALLBACK : arg));
      child.send({ id, method, args: sent } satisfies StoreRequest);
      return result as ReturnType<ShareStore[M]>;
    };

  return {
    shares: {
      create: call('create'),
      findLive: call('findLive'),
      findByReceipt: call('findByReceipt'),
      claimView: call('claimView'),
      recordFailedAttempt: call('recordFailedAttempt'),
      burn: call('burn'),
      expireBatch: call('expireBatch'),
      purgeBatch: call('purgeBatch'),
      listByOwner: call('listByOwner'),
      findOwned: call('findOwned'),
      ownersOf: call('ownersOf'),
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}
