import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/hush-error.js';
import { mapFaults } from './storage-faults.js';

const fault = Object.assign(new Error('down'), { code: 'DOWN' });
const isFault = (error: unknown) => error === fault;

describe('mapFaults', () => {
  const store = {
    label: 'kept',
    sum: async (...values: number[]) => values.reduce((a, b) => a + b, 0),
    down: async () => {
      throw fault;
    },
    bug: async () => {
      throw new TypeError('bug');
    },
    // Not async: throws before any promise exists.
    early: (): Promise<void> => {
      throw fault;
    },
  };
  const mapped = mapFaults(store, isFault);

  it('passes arguments and results through, and keeps non-function members', async () => {
    expect(await mapped.sum()).toBe(0);
    expect(await mapped.sum(1, 2, 3, 4, 5, 6)).toBe(21);
    expect(mapped.label).toBe('kept');
  });

  it('turns a fault into unavailable with the fault as its cause, and leaves anything else', async () => {
    for (const call of [mapped.down, mapped.early]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HushError);
      expect((error as HushError).code).toBe('unavailable');
      expect((error as HushError).cause).toBe(fault);
    }
    await expect(mapped.bug()).rejects.toBeInstanceOf(TypeError);
  });
});
