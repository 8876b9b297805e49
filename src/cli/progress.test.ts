import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatBytes } from './progress.js';

const stream = (isTTY: boolean) => {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) > 0 };
};

describe('progress line', () => {
  afterEach(() => vi.useRealTimers());

  it('stays silent when stderr is not a terminal', () => {
    let t = 0;
    const out = stream(false);
    const progress = createProgress(out, { now: () => t });
    t = 5000;
    progress.update('reading 1 MiB');
    progress.done();
    expect(out.writes).toEqual([]);
  });

  it('draws after the delay, throttles redraws, and erases the line at the end', () => {
    let t = 0;
    const out = stream(true);
    const progress = createProgress(out, { now: () => t, delayMs: 300, intervalMs: 100 });
    progress.update('reading 1 KiB');
    expect(out.writes).toEqual([]);
    t = 300;
    progress.update('reading 2 KiB');
    t = 350;
    progress.update('reading 3 KiB');
    t = 400;
    progress.update('encrypting');
    progress.done();
    expect(out.writes).toEqual(['\r\x1b[2Khush: reading 2 KiB', '\r\x1b[2Khush: encrypting', '\r\x1b[2K']);
  });

  it('draws a step that waits past the delay (an upload), and nothing for quick work', () => {
    vi.useFakeTimers();
    const slow = stream(true);
    const progress = createProgress(slow);
    progress.update('uploading 1.0 MiB');
    vi.advanceTimersByTime(400);
    progress.done();
    expect(slow.writes).toEqual(['\r\x1b[2Khush: uploading 1.0 MiB', '\r\x1b[2K']);

    const quick = stream(true);
    const fast = createProgress(quick);
    fast.update('uploading 1 KiB');
    fast.done();
    vi.advanceTimersByTime(1000);
    expect(quick.writes).toEqual([]);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});
