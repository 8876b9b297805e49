import { randomBytes, randomUUID } from 'node:crypto';

/**
 * HTTP helpers for end-to-end tests against real hush processes: timed requests that never
 * throw on a status, a create-load loop that records every acknowledged share, polling with
 * deadlines, and the JSON log lines a process wrote.
 */

/** The first admin every server process starts with (HUSH_BOOTSTRAP_ADMIN_*, see server-process.ts). */
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'e2e admin password 0123456789';
export const ADMIN_ENV = {
  HUSH_BOOTSTRAP_ADMIN_USERNAME: ADMIN_USERNAME,
  HUSH_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
} as const;

/** The scraper bearer every server process accepts on /metrics (HUSH_METRICS_TOKEN). */
export const METRICS_TOKEN = 'test-metrics-token-0123456789abcdef0123456789';
export const METRICS_ENV = { HUSH_METRICS_TOKEN: METRICS_TOKEN } as const;
export const metricsAuth = { authorization: `Bearer ${METRICS_TOKEN}` } as const;

/** A master key every node of one deployment shares (64 hex chars). */
export const newMasterKey = () => randomBytes(32).toString('hex');

export interface Reply {
  /** HTTP status, or 0 when no response arrived (connection refused or reset, client timeout). */
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** Why no response arrived (status 0 only). */
  readonly failure?: string;
  /** When the request was sent and how long it took to settle, in ms (epoch / duration). */
  readonly startedAt: number;
  readonly ms: number;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The client gives up after this long and reports status 0 (a hang must not hang the test). */
  readonly timeoutMs?: number;
}

/** One request; resolves with whatever happened, never rejects. */
export async function call(method: string, url: string, options: RequestOptions = {}): Promise<Reply> {
  const startedAt = Date.now();
  const started = performance.now();
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      body = { text };
    }
    return { status: response.status, body, startedAt, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      status: 0,
      body: {},
      failure: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      startedAt,
      ms: performance.now() - started,
    };
  }
}

export const post = (url: string, body: unknown = {}, options: Omit<RequestOptions, 'body'> = {}) =>
  call('POST', url, { ...options, body });
export const get = (url: string, options: RequestOptions = {}) => call('GET', url, options);

/** Signs in over HTTP (password grant); throws unless it succeeds. */
export async function signIn(
  baseUrl: string,
  username = ADMIN_USERNAME,
  password = ADMIN_PASSWORD,
): Promise<{ access_token: string; refresh_token: string }> {
  const reply = await post(`${baseUrl}/api/v1/token/create`, { grant_type: 'password', username, password });
  if (reply.status !== 200) {
    throw new Error(
      `sign-in at ${baseUrl} answered ${reply.status} ${JSON.stringify(reply.body.error ?? '')}`,
    );
  }
  return reply.body as { access_token: string; refresh_token: string };
}

/** The `Authorization` header of the bootstrap admin, signed in at `baseUrl`. */
export async function adminAuth(baseUrl: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${(await signIn(baseUrl)).access_token}` };
}

/** In chunks of `size`, so at most `size` items are in flight at once. */
export async function inWaves<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    const wave = items.slice(start, start + size);
    results.push(...(await Promise.all(wave.map((item, i) => work(item, start + i)))));
  }
  return results;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` every `intervalMs` until it returns a truthy value, which it resolves with;
 * past `timeoutMs` it fails naming `what` and the last value seen.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T> | T,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    }
    await pause(intervalMs);
  }
}

export interface AcknowledgedShare {
  readonly secret: string;
  readonly secretKey: string;
  readonly receiptKey: string;
  readonly node: string;
}

export interface LoadReply extends Reply {
  readonly node: string;
}

export interface CreateLoad {
  /** Every share the service answered 201 for, in order of the answers. */
  readonly acknowledged: AcknowledgedShare[];
  /** Every reply, whatever its status. */
  readonly replies: LoadReply[];
  /** Resolves once `predicate` holds for the load so far (checked after each reply). */
  until(what: string, predicate: (load: CreateLoad) => boolean, timeoutMs?: number): Promise<void>;
  /** Lets each worker finish its current request, then resolves. */
  stop(): Promise<void>;
}

export interface CreateLoadOptions {
  /** Nodes to spread the creates over, round robin. */
  readonly urls: readonly string[];
  readonly workers: number;
  /** Extra create fields (ttl_seconds, max_views …). */
  readonly fields?: Record<string, unknown>;
  /** A worker waits this long after a reply other than 201, so an outage is no busy loop. */
  readonly pauseAfterFailureMs?: number;
  readonly timeoutMs?: number;
}

/** A distinct secret of varying size (16 B … ~4 KiB), so writes are not all the same shape. */
export function makeSecret(n: number): string {
  const filler = randomBytes((n * 37) % 3000).toString('base64');
  return `secret #${n} ${randomUUID()} ${filler}`;
}

/** `workers` concurrent loops, each creating shares one after another until stop(). */
export function startCreateLoad(options: CreateLoadOptions): CreateLoad {
  const acknowledged: AcknowledgedShare[] = [];
  const replies: LoadReply[] = [];
  const waiters = new Set<() => void>();
  let running = true;
  let sent = 0;

  const worker = async () => {
    while (running) {
      const n = sent++;
      const node = options.urls[n % options.urls.length] as string;
      const secret = makeSecret(n);
      const reply = await post(
        `${node}/api/v1/shares`,
        { secret, ...options.fields },
        { timeoutMs: options.timeoutMs ?? 30_000 },
      );
      replies.push({ ...reply, node });
      if (reply.status === 201) {
        acknowledged.push({
          secret,
          secretKey: String(reply.body.secret_key),
          receiptKey: String(reply.body.receipt_key),
          node,
        });
      }
      for (const wake of waiters) wake();
      if (reply.status !== 201) await pause(options.pauseAfterFailureMs ?? 10);
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, worker));

  const load: CreateLoad = {
    acknowledged,
    replies,
    until(what, predicate, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(load)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const statuses = countBy(replies.map((r) => r.status));
          reject(
            new Error(
              `load: timed out after ${timeoutMs} ms waiting for ${what}; statuses ${JSON.stringify(statuses)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      running = false;
      await done;
    },
  };
  return load;
}

export function countBy<T extends string | number>(values: readonly T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

/** The JSON log lines a process wrote (non-JSON lines are skipped). */
export function logLines(output: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut off mid-write (the process was killed): not a log line we can read.
    }
  }
  return lines;
}

/**
 * A Prometheus counter or gauge of the process at `url`, summed over the label sets that contain
 * `labels` (e.g. `outcome="expired"`; all of them when omitted); 0 when absent.
 */
export async function metricValue(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: metricsAuth })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name && (match[2] ?? '').includes(labels)) sum += Number(match[3]);
  }
  return sum;
}

/**
 * Reveals each share once (200 with its exact content) and again (404): what a share that was
 * acknowledged must do afterwards. Returns a description of every share that did not.
 */
export async function revealEachOnce(
  url: string,
  shares: readonly AcknowledgedShare[],
  concurrency = 10,
): Promise<string[]> {
  const problems: string[] = [];
  await inWaves(shares, concurrency, async (share, i) => {
    const first = await post(`${url}/api/v1/shares/${share.secretKey}/reveal`);
    if (first.status !== 200 || first.body.secret !== share.secret) {
      problems.push(
        `share ${i}: first reveal answered ${first.status} ${JSON.stringify(first.body.error ?? '')}` +
          (first.status === 200 ? ' with other content' : ''),
      );
      return;
    }
    const second = await post(`${url}/api/v1/shares/${share.secretKey}/reveal`);
    if (second.status !== 404) problems.push(`share ${i}: second reveal answered ${second.status}`);
  });
  return problems;
}
