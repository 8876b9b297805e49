/** Where a progress line goes: stderr, or a stand-in in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

export interface Progress {
  /** The current step ("reading 1.2 MiB"); drawn once the work has taken `delayMs`. */
  update(text: string): void;
  /** Erases the line, if one was drawn. */
  done(): void;
}

export interface ProgressOptions {
  /** Work quicker than this shows nothing, so quick commands stay quiet. */
  readonly delayMs?: number;
  /** Redraw at most this often. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const CLEAR = '\r\x1b[2K';

/**
 * A one-line progress display on stderr for long work (`hush share` of a large input, `hush keys
 * rewrap`). Silent unless the stream is a terminal, so scripts and logs never see it.
 */
export function createProgress(stream: ProgressStream, options: ProgressOptions = {}): Progress {
  const delayMs = options.delayMs ?? 300;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  const started = now();
  let text = '';
  let drawnAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  const draw = () => {
    timer = undefined;
    if (finished) return;
    drawnAt = now();
    stream.write(`${CLEAR}hush: ${text}`);
  };

  return {
    update(next) {
      text = next;
      if (!stream.isTTY || finished) return;
      const at = now();
      if (drawnAt !== undefined) {
        if (at - drawnAt >= intervalMs) draw();
      } else if (at - started >= delayMs) draw();
      else if (!timer) {
        // The step may be a long wait (an upload): draw it when the delay has passed.
        timer = setTimeout(draw, delayMs - (at - started));
        timer.unref();
      }
    },
    done() {
      finished = true;
      if (timer) clearTimeout(timer);
      if (drawnAt !== undefined) stream.write(CLEAR);
    },
  };
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Runs `work` with a progress line that is erased when it ends, however it ends. */
export async function withProgress<T>(
  stream: ProgressStream,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = createProgress(stream);
  try {
    return await work(progress);
  } finally {
    progress.done();
  }
}
