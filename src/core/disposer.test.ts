import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { createDisposer, openOrUnwind } from './disposer.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('disposer', () => {
  it('closes in reverse order of opening', async () => {
    const disposer = createDisposer(createLogger('silent'));
    const closed: string[] = [];
    for (const name of ['storage', 'hashing pool', 'settings', 'http app']) {
      disposer.defer(name, () => closed.push(name));
    }
    await disposer.close();
    expect(closed).toEqual(['http app', 'settings', 'hashing pool', 'storage']);
  });

  it('runs each closer once when closed twice or concurrently', async () => {
    const disposer = createDisposer(createLogger('silent'));
    let runs = 0;
    let release: () => void = () => undefined;
    disposer.defer('slow', async () => {
      runs++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const first = disposer.close();
    const second = disposer.close();
    expect(second).toBe(first);
    release();
    await Promise.all([first, second]);
    await disposer.close();
    expect(runs).toBe(1);
  });

  it('runs every closer past one that throws, logs it, then rethrows the first failure', async () => {
    const { logger, lines } = capturedLogger();
    const disposer = createDisposer(logger);
    const closed: string[] = [];
    disposer.defer('storage', () => closed.push('storage'));
    disposer.defer('pool', () => {
      throw Object.assign(new Error('pool broke'), { code: 'E_POOL' });
    });
    disposer.defer('settings', () => closed.push('settings'));
    disposer.defer('app', async () => {
      throw new Error('app broke');
    });
    await expect(disposer.close()).rejects.toThrow('app broke');
    expect(closed).toEqual(['settings', 'storage']);
    const failures = lines.filter((line) => line.msg === 'closing a resource failed');
    expect(failures.map((line) => [line.resource, line.errCode])).toEqual([
      ['app', undefined],
      ['pool', 'E_POOL'],
    ]);
    // The error's message is not logged (a driver's may quote a connection string).
    expect(JSON.stringify(lines)).not.toContain('pool broke');
  });

  it('refuses a closer registered after shutdown began', async () => {
    const disposer = createDisposer(createLogger('silent'));
    await disposer.close();
    expect(() => disposer.defer('late', () => undefined)).toThrow(/late opened after shutdown began/);
  });

  it('unwinds what was opened when startup fails half-way, and throws the startup error', async () => {
    const { logger, lines } = capturedLogger();
    const disposer = createDisposer(logger);
    const closed: string[] = [];
    const failure = new Error('master key refused');
    await expect(
      openOrUnwind(disposer, async () => {
        disposer.defer('storage', () => closed.push('storage'));
        disposer.defer('redis', () => {
          throw new Error('quit failed');
        });
        disposer.defer('settings', () => closed.push('settings'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(closed).toEqual(['settings', 'storage']);
    expect(lines.filter((line) => line.msg === 'closing a resource failed')).toHaveLength(1);
    // Already unwound: a later close() (e.g. the caller's finally) shares that run, runs nothing again.
    await expect(disposer.close()).rejects.toThrow('quit failed');
    expect(closed).toEqual(['settings', 'storage']);
  });

  it('returns what was opened when startup succeeds, leaving it open', async () => {
    const disposer = createDisposer(createLogger('silent'));
    const closed: string[] = [];
    const opened = await openOrUnwind(disposer, async () => {
      disposer.defer('storage', () => closed.push('storage'));
      return 'ready';
    });
    expect(opened).toBe('ready');
    expect(closed).toEqual([]);
    await disposer.close();
    expect(closed).toEqual(['storage']);
  });
});
