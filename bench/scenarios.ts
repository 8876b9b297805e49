import autocannon from 'autocannon';
import type { LoadRun } from './bench-types.js';
import { processCpuMs } from './cpu.js';

/** What one autocannon run measured. Latencies are autocannon's: 2xx responses only, whole ms. */
export interface LoadResult {
  readonly name: string;
  readonly connections: number;
  readonly seconds: number;
  /** 2xx responses per second over the measured run. */
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  /**
   * CPU time the server process used during the measured run divided by the requests it completed
   * (2xx and non-2xx answers), in ms (Linux only): the figure issue 13's bar compares across runs.
   */
  readonly serverCpuMsPerRequest: number | undefined;
  /** Server CPU time over wall time: 1 = one core busy all the time. */
  readonly serverCores: number | undefined;
}

/** A server under test: where to send requests, and which process to charge the CPU time to. */
export interface Target {
  readonly url: string;
  readonly pid: number | undefined;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

const USER_AGENT = 'hush-bench/1';
export const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': USER_AGENT };

/** ~100 bytes of secret: a typical password or API token with a little context. */
export const SECRET = `db password for billing-prod: ${'x7Kq9vL2mN4pR8sT1wY5zA3cE6gH0jB'.repeat(3).slice(0, 70)}`;
export const PASSPHRASE = 'correct horse battery staple';
export const CREATE_BODY = JSON.stringify({ secret: SECRET });
export const PASSPHRASE_CREATE_BODY = JSON.stringify({ secret: SECRET, passphrase: PASSPHRASE });

export function summarize(name: string, result: autocannon.Result, cpuMs?: number): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  return {
    name,
    connections: result.connections,
    seconds: result.duration,
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    serverCpuMsPerRequest:
      cpuMs === undefined ? undefined : cpuMs / Math.max(1, result['2xx'] + result.non2xx),
    serverCores: cpuMs === undefined ? undefined : cpuMs / 1000 / result.duration,
  };
}

/**
 * What a row (or a baseline) sends: autocannon options for the measured run, which the warm-up
 * repeats. connections and duration default to the run's options.
 */
export interface LoadSpec {
  /** The result's name in the report. */
  readonly name: string;
  readonly options: autocannon.Options;
  /** 'inside': no separate warm-up; the load itself runs longer and `beside` starts after it. */
  readonly warmup?: 'before' | 'inside';
  /** After the warm-up, waits for what the server still finishes (requests queued for hashing). */
  readonly drain?: () => Promise<void>;
  /** A probe run alongside the measured load (/healthz), reported with it. */
  readonly beside?: () => Promise<LoadResult>;
  /** Counters the request builders kept (requests built, views available), read after the run. */
  readonly counts?: () => Record<string, number>;
}

/**
 * The one way every load is measured: a discarded warm-up (JIT, connection setup, SQLite page
 * cache), then the measured run, with the server's CPU time over it charged to its requests.
 */
export async function runLoad(spec: LoadSpec, load: LoadOptions, pid: number | undefined): Promise<LoadRun> {
  const options = { connections: load.connections, duration: load.durationSeconds, ...spec.options };
  if (spec.warmup !== 'inside' && load.warmupSeconds > 0) {
    await autocannon({ ...options, duration: load.warmupSeconds });
    await spec.drain?.();
  }
  const before = processCpuMs(pid);
  const [result, beside] = await Promise.all([autocannon(options), spec.beside?.()]);
  const after = processCpuMs(pid);
  const cpuMs = before === undefined || after === undefined ? undefined : after - before;
  return { result: summarize(spec.name, result, cpuMs), beside, counts: spec.counts?.() ?? {} };
}

/** A POST with a fixed JSON body to `url`. */
const post = (url: string, body: string): autocannon.Options => ({
  url,
  method: 'POST',
  headers: JSON_HEADERS,
  body,
});

/** POST /echo on the bare Fastify server with a body byte-for-byte the same as create's. */
export const echoRequest = (echo: Target, name: string): LoadSpec => ({
  name,
  options: post(`${echo.url}/echo`, CREATE_BODY),
});

/** POST /api/v1/shares {secret}: validate, encrypt, insert, audit, log, respond 201. */
export const createRequest = (hush: Target): LoadSpec => ({
  name: 'create',
  options: post(`${hush.url}/api/v1/shares`, CREATE_BODY),
});

/** Creates `count` shares over HTTP (the same route clients use) and returns their secret keys. */
export async function createShares(hushUrl: string, count: number, maxViews: number): Promise<string[]> {
  const keys: string[] = [];
  const body = JSON.stringify({ secret: SECRET, max_views: maxViews });
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      const response = await fetch(`${hushUrl}/api/v1/shares`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body,
      });
      const json = (await response.json()) as { secret_key?: string };
      if (response.status !== 201 || !json.secret_key) {
        throw new Error(`pre-creating shares failed: ${response.status} ${JSON.stringify(json)}`);
      }
      keys.push(json.secret_key);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return keys;
}

/**
 * POST /api/v1/shares/{key}/reveal, rotating through pre-created shares with `maxViews` views, so
 * every request claims a real view and answers 200 (never a cheap 404). The warm-up uses the same
 * rotation, so it spends views too; the caller sizes `keys` with room to spare.
 */
export function revealRequest(hush: Target, keys: readonly string[], maxViews: number): LoadSpec {
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{}',
      setupRequest: (request) => {
        const key = keys[next % keys.length];
        next += 1;
        request.path = `/api/v1/shares/${key}/reveal`;
        return request;
      },
    },
  ];
  return {
    name: 'reveal',
    options: { url: hush.url, requests },
    counts: () => ({ viewsAvailable: keys.length * maxViews, revealsRequested: next }),
  };
}

/** The fixed-rate /healthz probe beside passphrase-create. */
export const HEALTHZ = { connections: 10, rate: 100 } as const;

/**
 * POST /api/v1/shares {secret, passphrase} (Argon2id on the hashing threads) while a second
 * autocannon probes GET /healthz at a modest fixed rate: the event loop must stay responsive.
 */
export function passphraseRequest(hush: Target, load: LoadOptions): LoadSpec {
  const create = post(`${hush.url}/api/v1/shares`, PASSPHRASE_CREATE_BODY);
  return {
    name: 'passphrase-create',
    // 50 requests queue for a handful of hashing threads: latencies are long by design.
    options: { ...create, timeout: 60 },
    // autocannon hangs up on requests still queued for hashing, but the server finishes them. One
    // more create waits behind them (the thread pool is FIFO), so the measured run starts idle.
    drain: async () => {
      const body = PASSPHRASE_CREATE_BODY;
      await (
        await fetch(`${hush.url}/api/v1/shares`, { method: 'POST', headers: JSON_HEADERS, body })
      ).arrayBuffer();
    },
    beside: async () =>
      summarize(
        'healthz (during passphrase-create)',
        await autocannon({
          url: `${hush.url}/healthz`,
          headers: { 'user-agent': USER_AGENT },
          connections: HEALTHZ.connections,
          overallRate: HEALTHZ.rate,
          duration: load.durationSeconds,
        }),
      ),
  };
}
