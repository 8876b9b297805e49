/**
 * Byte streams as async iterables of Uint8Array, for the browser and Node alike: a Node readable,
 * a WHATWG ReadableStream (through `fromReadableStream`) or a generator all fit. Memory stays
 * bounded by the block sizes asked for, never by the stream's length.
 */
export type ByteSource = AsyncIterable<Uint8Array>;

/** A ReadableStream as an async iterable (Safari's streams are not iterable themselves). */
export async function* fromReadableStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      yield value;
    }
  } finally {
    // Left early (a reader stopped at damaged bytes): the rest is not wanted, so stop fetching it.
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** An async iterable as a ReadableStream (a fetch body, a download). */
export function toReadableStream(source: ByteSource): ReadableStream<Uint8Array<ArrayBuffer>> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value as Uint8Array<ArrayBuffer>);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/** Reads exact amounts from a stream of pieces of any size. */
export interface ByteReader {
  /** Up to `n` bytes: fewer only when the stream ends first. */
  read(n: number): Promise<Uint8Array<ArrayBuffer>>;
  /** Whether the stream has no byte left. */
  atEnd(): Promise<boolean>;
  /** Stops the source early (its `return`), when the rest of it is not wanted. */
  close(): Promise<void>;
}

export function byteReader(source: ByteSource): ByteReader {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let ended = false;

  const fill = async (): Promise<boolean> => {
    while (pending.length === 0 && !ended) {
      const { done, value } = await iterator.next();
      if (done) ended = true;
      else pending = value;
    }
    return pending.length > 0;
  };

  return {
    async read(n) {
      const out = new Uint8Array(n);
      let at = 0;
      while (at < n && (await fill())) {
        const take = Math.min(n - at, pending.length);
        out.set(pending.subarray(0, take), at);
        pending = pending.subarray(take);
        at += take;
      }
      return at === n ? out : out.slice(0, at);
    },
    async atEnd() {
      return !(await fill());
    },
    async close() {
      if (!ended) await iterator.return?.();
      ended = true;
    },
  };
}

/** Re-cuts a stream into blocks of exactly `size` bytes (the last one shorter, never empty). */
export async function* blocks(source: ByteSource, size: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const reader = byteReader(source);
  for (;;) {
    const block = await reader.read(size);
    if (block.length > 0) yield block;
    if (block.length < size) return;
  }
}
