import autocannon from 'autocannon';
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

/** Runs autocannon and charges the server's CPU time over the run to it. */
async function measure(name: string, options: autocannon.Options, pid: number | undefined) {
  const before = processCpuMs(pid);
  const result = await autocannon(options);
  const after = processCpuMs(pid);
  return summarize(name, result, before === undefined || after === undefined ? undefined : after - before);
}

/** A short warm-up run (discarded: JIT, connection setup, SQLite page cache), then the measured run. */
export async function warmThenMeasure(
  name: string,
  options: autocannon.Options,
  warmupSeconds: number,
  pid: number | undefined,
) {
  if (warmupSeconds > 0) await autocannon({ ...options, duration: warmupSeconds });
  return measure(name, options, pid);
}

/** POST /echo on the bare Fastify server with a body byte-for-byte the same as create's. */
export function echoScenario(echo: Target, load: LoadOptions, name = 'echo'): Promise<LoadResult> {
  return warmThenMeasure(
    name,
    {
      url: `${echo.url}/echo`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: CREATE_BODY,
      connections: load.connections,
      duration: load.durationSeconds,
    },
    load.warmupSeconds,
    echo.pid,
  );
}

/** POST /api/v1/shares {secret}: validate, encrypt, insert, audit, log, respond 201. */
export function createScenario(hush: Target, load: LoadOptions): Promise<LoadResult> {
  return warmThenMeasure(
    'create',
    {
      url: `${hush.url}/api/v1/shares`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: CREATE_BODY,
      connections: load.connections,
      duration: load.durationSeconds,
    },
    load.warmupSeconds,
    hush.pid,
  );
}

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

export interface RevealResult extends LoadResult {
  /** Views available across the pre-created shares. */
  readonly viewsAvailable: number;
  /** Reveal requests autocannon built, warm-up included (each claims one view when answered). */
  readonly revealsRequested: number;
}

/**
 * POST /api/v1/shares/{key}/reveal, rotating through pre-created shares with max_views=100, so
 * every request claims a real view and answers 200 (never a cheap 404). The warm-up uses the same
 * rotation, so it spends views too; the caller sizes `keys` with room to spare.
 */
export async function revealScenario(
  hush: Target,
  keys: readonly string[],
  maxViews: number,
  load: LoadOptions,
) {
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
  const result = await warmThenMeasure(
    'reveal',
    { url: hush.url, requests, connections: load.connections, duration: load.durationSeconds },
    load.warmupSeconds,
    hush.pid,
  );
  return { ...result, viewsAvailable: keys.length * maxViews, revealsRequested: next } satisfies RevealResult;
}

export interface PassphraseResult {
  readonly create: LoadResult;
  readonly healthz: LoadResult;
}

/**
 * POST /api/v1/shares {secret, passphrase} (Argon2id on the thread pool) while a second autocannon
 * probes GET /healthz at a modest fixed rate: the event loop must stay responsive while hashing.
 */
export async function passphraseScenario(
  hush: Target,
  load: LoadOptions,
  healthz: { connections: number; rate: number },
): Promise<PassphraseResult> {
  const create: autocannon.Options = {
    url: `${hush.url}/api/v1/shares`,
    method: 'POST',
    headers: JSON_HEADERS,
    body: PASSPHRASE_CREATE_BODY,
    connections: load.connections,
    duration: load.durationSeconds,
    // 50 requests queue for a handful of hashing threads: latencies are long by design.
    timeout: 60,
  };
  if (load.warmupSeconds > 0) {
    await autocannon({ ...create, duration: load.warmupSeconds });
    // autocannon hangs up on requests still queued for hashing, but the server finishes them. One
    // more create waits behind them (the thread pool is FIFO), so the measured run starts idle.
    const drain = await fetch(`${hush.url}/api/v1/shares`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: PASSPHRASE_CREATE_BODY,
    });
    await drain.arrayBuffer();
  }
  const before = processCpuMs(hush.pid);
  const [createResult, healthzResult] = await Promise.all([
    autocannon(create),
    autocannon({
      url: `${hush.url}/healthz`,
      headers: { 'user-agent': USER_AGENT },
      connections: healthz.connections,
      overallRate: healthz.rate,
      duration: load.durationSeconds,
    }),
  ]);
  const after = processCpuMs(hush.pid);
  const cpuMs = before === undefined || after === undefined ? undefined : after - before;
  return {
    create: summarize('passphrase-create', createResult, cpuMs),
    healthz: summarize('healthz (during passphrase-create)', healthzResult),
  };
}
