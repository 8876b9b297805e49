import { describe, expect, it, vi } from 'vitest';
import { createBatcher } from './postgres-batcher.js';

describe('postgres batcher', () => {
  it('writes the items of one event-loop turn in one flush, and later ones in the next', async () => {
    const flush = vi.fn(async (_items: readonly number[]): Promise<undefined[]> => []);
    const write = createBatcher({ flush, isFault: () => false });
    await Promise.all([write(1), write(2), write(3)]);
    await write(4);
    expect(flush.mock.calls).toEqual([[[1, 2, 3]], [[4]]]);
  });

  it('splits a turn into batches of at most maxItems', async () => {
    const flush = vi.fn(async (_items: readonly number[]): Promise<undefined[]> => []);
    const write = createBatcher({ flush, isFault: () => false, maxItems: 2 });
    await Promise.all([1, 2, 3, 4, 5].map(write));
    expect(flush.mock.calls.map(([items]) => items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('retries a failed batch item by item, so only the bad item fails its caller', async () => {
    const flush = vi.fn(async (items: readonly number[]) => {
      if (items.includes(2)) throw new Error('constraint');
      return items.map((n) => n * 10);
    });
    const write = createBatcher({ flush, isFault: () => false });
    const results = await Promise.allSettled([write(1), write(2), write(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 30 });
    expect(flush).toHaveBeenCalledTimes(4);
  });

  it('fails a whole batch at once on a fault, without retrying into a dead server', async () => {
    const down = new Error('ECONNREFUSED');
    const flush = vi.fn(async (): Promise<undefined[]> => {
      throw down;
    });
    const write = createBatcher({ flush, isFault: (error) => error === down });
    const results = await Promise.allSettled([write(1), write(2)]);
    expect(results).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('gives each caller its own result, and keeps items with the same key in separate batches', async () => {
    const flush = vi.fn(async (items: readonly string[]) => items.map((item) => `${item}!`));
    const write = createBatcher({ flush, isFault: () => false, key: (item: string) => item[0] ?? '' });
    expect(await Promise.all(['a1', 'b1', 'a2', 'a3', 'b2'].map(write))).toEqual([
      'a1!',
      'b1!',
      'a2!',
      'a3!',
      'b2!',
    ]);
    expect(flush.mock.calls.map(([items]) => items)).toEqual([['a1', 'b1'], ['a2', 'b2'], ['a3']]);
  });
});
