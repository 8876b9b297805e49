import path from 'node:path';
import type { Argon2Rate } from './argon2-rate.js';
import type { BaselineRun, BenchContext, LoadRun } from './bench-types.js';
import { probe } from './big-body-scenario.js';
import { FLOOR_SECRET_ROUTES, type FloorSeed, seedFloor } from './floor-scenarios.js';
import { createKvSecrets, kvReadRequest, NATIVE_KV_READ } from './kv-scenarios.js';
import { runNode } from './processes.js';
import { RAW_QUERIES } from './raw-queries.js';
import { rawCreateRequest, rawRevealRequest, seedRaw } from './raw-scenarios.js';
import {
  echoRequest,
  type LoadResult,
  type LoadSpec,
  PASSPHRASE,
  runLoad,
  type Target,
} from './scenarios.js';
import { accessToken, BENCH_ADMIN, secretReadRequest, secretWriteRequest } from './secret-scenarios.js';
import { fmt } from './targets.js';

/**
 * The bare measurements rows are judged against, in the same run (a row's `baseline` names them).
 * `when`: 'run' is measured before the first row and after the last, 'row' before and after each
 * row that names it, 'before' / 'after' once, just before / after that row.
 */
export interface BaselineDef {
  /** What the bare measurement is, for the report. */
  readonly what: string;
  readonly when: 'run' | 'row' | 'before' | 'after';
  /** Whether this run can measure it: raw queries need PostgreSQL or Redis, the floor SQLite. */
  readonly available: (ctx: BenchContext) => boolean;
  /** The report shows its share of the best echo (the floor: how far the least hush can do is from echo). */
  readonly vsEcho?: boolean;
  readonly measure: (ctx: BenchContext, round: number) => Promise<BaselineRun>;
}

/** Secrets the floor's reads rotate through, as hush's secret-read (reads spend nothing). */
export const READ_POOL = 200;

export const show = (ctx: BenchContext, r: LoadResult) =>
  ctx.log(
    `  ${r.name}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.non2xx} non-2xx, ` +
      `${r.errors} errors, server CPU ${r.serverCpuMsPerRequest?.toFixed(3) ?? '?'} ms/req ` +
      `(${r.serverCores?.toFixed(2) ?? '?'} cores)`,
  );

/** Runs an HTTP baseline on its bare server, logs it, and keeps its figures. */
async function bare(ctx: BenchContext, server: Target | undefined, spec: LoadSpec): Promise<BaselineRun> {
  if (!server) throw new Error(`${spec.name}: its server is not running`);
  const load: LoadRun = await runLoad(spec, ctx.load, server.pid);
  show(ctx, load.result);
  return { name: spec.name, rps: load.result.rps, load };
}

/** The raw Argon2id rate in its own process, servers idle: the whole machine, as hush's hashing could. */
async function argon2(ctx: BenchContext, op: 'hash' | 'verify', round: number): Promise<BaselineRun> {
  const out = await runNode({
    name: 'argon2 rate',
    args: [
      '--import',
      'tsx',
      path.join(ctx.root, 'bench', 'argon2-rate.ts'),
      `--concurrency=${ctx.load.connections}`,
      `--duration=${ctx.load.durationSeconds}`,
      `--warmup=${ctx.load.warmupSeconds}`,
      `--passphrase=${op === 'hash' ? PASSPHRASE : BENCH_ADMIN.password}`,
      `--op=${op}`,
    ],
    cwd: ctx.root,
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUSH_'))),
  });
  const rate = JSON.parse(out) as Argon2Rate;
  const name = `raw Argon2id${op === 'hash' ? '' : ' verify'} #${round}`;
  ctx.log(
    `  ${name}: ${fmt(rate.hashesPerSecond)} ${op === 'hash' ? 'hashes' : 'verifies'}/s (${rate.concurrency} in flight)`,
  );
  return { name, rps: rate.hashesPerSecond, detail: rate };
}

/** The floor's admin token and secrets, seeded once (unmeasured) for both floor baselines. */
const floorSeed = (ctx: BenchContext): Promise<FloorSeed> =>
  ctx.once('floor seed', async () => {
    const started = performance.now();
    const seed = await seedFloor(ctx.servers.floor?.url ?? '', READ_POOL);
    ctx.log(`  (seeded the secret floor: a token and ${seed.ids.length} secrets in ${ms(started)} ms)`);
    return seed;
  });

/** A token and the KV secrets both KV reads rotate through, made once (unmeasured). */
export const kvSeed = (ctx: BenchContext) =>
  ctx.once('kv seed', async () => {
    const token = await ctx.once('access token', () => accessToken(ctx.servers.hush.url));
    const started = performance.now();
    const names = await createKvSecrets(ctx.servers.hush.url, token, READ_POOL);
    ctx.log(`  (pre-created ${names.length} KV secrets in ${ms(started)} ms)`);
    return { token, names };
  });

const ms = (started: number) => (performance.now() - started).toFixed(0);
const isRaw = (ctx: BenchContext) => ctx.backend !== 'sqlite';
const rawQuery = (ctx: BenchContext, kind: 'create' | 'reveal') =>
  RAW_QUERIES[ctx.backend === 'redis' ? 'redis' : 'postgres'][kind];

export const BASELINES = {
  echo: {
    what: 'bare Fastify: POST /echo with the create body',
    when: 'run',
    available: () => true,
    measure: (ctx, round) => bare(ctx, ctx.servers.echo, echoRequest(ctx.servers.echo, `echo #${round}`)),
  },
  'raw create': {
    what: 'bare Fastify route doing the raw query of a create (INSERT / SET … PX)',
    when: 'run',
    available: isRaw,
    measure: (ctx, round) =>
      bare(
        ctx,
        ctx.servers.raw,
        rawCreateRequest(ctx.servers.raw as Target, `raw ${rawQuery(ctx, 'create')} #${round}`),
      ),
  },
  'raw reveal': {
    what: 'bare Fastify route doing the raw query of a reveal (DELETE … RETURNING / GETDEL)',
    when: 'run',
    available: isRaw,
    async measure(ctx, round) {
      // One row per reveal, sized on the fastest rate so far (an upper bound), 50% to spare.
      const { durationSeconds, warmupSeconds, connections } = ctx.load;
      const rows = Math.ceil(ctx.fastestRps() * (durationSeconds + warmupSeconds) * 1.5) + connections;
      const started = performance.now();
      const ids = await seedRaw(ctx.servers.raw?.url ?? '', rows);
      ctx.log(`  (pre-created ${ids.length} raw rows in ${ms(started)} ms)`);
      const name = `raw ${rawQuery(ctx, 'reveal')} #${round}`;
      return bare(ctx, ctx.servers.raw, rawRevealRequest(ctx.servers.raw as Target, ids, name));
    },
  },
  'argon2 hash': {
    what: 'raw Argon2id hashes with the server options, 50 in flight',
    when: 'row',
    available: () => true,
    measure: (ctx, round) => argon2(ctx, 'hash', round),
  },
  'argon2 verify': {
    what: 'raw Argon2id verifies with the server options, 50 in flight',
    when: 'row',
    available: () => true,
    measure: (ctx, round) => argon2(ctx, 'verify', round),
  },
  'floor secret-write': {
    what: "bare Fastify route doing hush's secret-write queries and crypto (bench/secret-floor.ts)",
    when: 'after',
    available: (ctx) => ctx.servers.floor !== undefined,
    vsEcho: true,
    async measure(ctx) {
      const { token } = await floorSeed(ctx);
      return bare(
        ctx,
        ctx.servers.floor,
        secretWriteRequest(ctx.servers.floor as Target, token, FLOOR_SECRET_ROUTES),
      );
    },
  },
  'floor secret-read': {
    what: "bare Fastify route doing hush's secret-read queries and crypto (bench/secret-floor.ts)",
    when: 'after',
    available: (ctx) => ctx.servers.floor !== undefined,
    vsEcho: true,
    async measure(ctx) {
      const { token, ids } = await floorSeed(ctx);
      const floor = ctx.servers.floor as Target;
      return bare(ctx, floor, secretReadRequest(floor, token, ids, FLOOR_SECRET_ROUTES));
    },
  },
  'native kv-read': {
    what: "hush's own GET /api/v1/kv/data/{name}: what the Vault-compatible read is judged against",
    when: 'row',
    available: () => true,
    async measure(ctx, round) {
      const { token, names } = await kvSeed(ctx);
      const hush = ctx.servers.hush;
      return bare(ctx, hush, {
        ...kvReadRequest(hush, token, names, NATIVE_KV_READ),
        name: `native kv-read #${round}`,
      });
    },
  },
  'healthz idle': {
    what: 'GET /healthz on idle hush at 100 req/s, from its own process',
    when: 'before',
    available: () => true,
    async measure(ctx) {
      const result = await probe(ctx.root, ctx.servers.hush, ctx.load.durationSeconds, 'healthz (idle)');
      show(ctx, result);
      return { name: result.name, rps: result.rps, load: { result, counts: {} } };
    },
  },
} as const satisfies Record<string, BaselineDef>;

export type BaselineName = keyof typeof BASELINES;
