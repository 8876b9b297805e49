import { BASELINES, type BaselineName, kvSeed, READ_POOL } from './baseline-table.js';
import type { BaselineRuns, BenchContext, LoadRun, Verdict } from './bench-types.js';
import {
  bigBodiesRequest,
  judgeBigBodies,
  MAX_HEALTHZ_P99_UNDER_BIG_BODIES_MS,
} from './big-body-scenario.js';
import { kvReadRequest, VAULT_KV_READ } from './kv-scenarios.js';
import { RAW_QUERIES } from './raw-queries.js';
import { createRequest, createShares, type LoadSpec, passphraseRequest, revealRequest } from './scenarios.js';
import {
  accessToken,
  createSecrets,
  loginRequest,
  secretReadRequest,
  secretWriteRequest,
  tokenLookupRequest,
} from './secret-scenarios.js';
import {
  judgePassphrase,
  judgeRatio,
  judgeSecret,
  judgeVsEcho,
  judgeVsRaw,
  pct,
  TARGETS,
} from './targets.js';

/** A bar of PRODUCT.md and how a run is judged against it. */
export interface Bar {
  /** The bar in words (BENCHMARKS.md, --help). */
  readonly bar: string;
  readonly judge: (run: LoadRun, baselines: BaselineRuns, ctx: Pick<BenchContext, 'backend'>) => Verdict;
}

/**
 * One scenario: `setup` prepares what it needs, unmeasured (shares, secrets, a token); `request`
 * builds the autocannon load from it; `baseline` names the bare measurements of the same run it is
 * judged against (bench/baseline-table.ts; those this backend cannot measure are skipped); `target`
 * is the bar. bench/run.ts runs every row in this order; the report judges and prints from it.
 */
export interface ScenarioRow<Seed = unknown> {
  readonly name: string;
  /** What it measures, for --help and the docs. */
  readonly what: string;
  /** Not part of a default run (no bar, diagnosis only): selectable with --only. */
  readonly optional?: boolean;
  readonly setup: (ctx: BenchContext) => Promise<Seed>;
  readonly request: (ctx: BenchContext, seed: Seed) => LoadSpec;
  readonly baseline: readonly BaselineName[];
  readonly target: Bar | undefined;
}

const row = <Seed>(r: ScenarioRow<Seed>) => r as ScenarioRow<unknown>;
const nothing = async () => undefined;
const ms = (started: number) => (performance.now() - started).toFixed(0);
const token = (ctx: BenchContext) => ctx.once('access token', () => accessToken(ctx.servers.hush.url));
const rawQuery = (backend: string, kind: 'create' | 'reveal') =>
  backend === 'sqlite' ? undefined : RAW_QUERIES[backend === 'redis' ? 'redis' : 'postgres'][kind];

/** Views per pre-created share for reveal. */
const MAX_VIEWS = 100;

/** create and reveal: against echo on SQLite, against the raw query on PostgreSQL / Redis. */
const shareBar =
  (kind: 'create' | 'reveal'): Bar['judge'] =>
  (run, baselines, { backend }) => {
    const query = rawQuery(backend, kind);
    return query
      ? judgeVsRaw(run.result, baselines, `raw ${kind}`, query)
      : judgeVsEcho(run.result, baselines);
  };
const shareBarText =
  `SQLite: >= ${pct(TARGETS.minRatioVsEcho)} of echo, p99 <= ${TARGETS.maxP99Ms} ms; PostgreSQL / Redis: ` +
  `>= ${pct(TARGETS.minRatioVsRaw)} of the raw query, p99 <= ${TARGETS.maxBackendP99Ms} ms; 0 non-2xx`;

export const SCENARIOS: readonly ScenarioRow[] = [
  row({
    name: 'create',
    what: 'POST /api/v1/shares {secret}',
    setup: nothing,
    request: (ctx) => createRequest(ctx.servers.hush),
    baseline: ['raw create', 'echo'],
    target: { bar: shareBarText, judge: shareBar('create') },
  }),
  row({
    name: 'reveal',
    what: 'POST /api/v1/shares/{key}/reveal, every request claiming a real view',
    async setup(ctx) {
      // Size the pool of views on the fastest rate so far (an upper bound for hush), with room to spare.
      const { durationSeconds, warmupSeconds, connections } = ctx.load;
      const views = ctx.fastestRps() * (durationSeconds + warmupSeconds) * 1.5;
      const started = performance.now();
      const keys = await createShares(
        ctx.servers.hush.url,
        Math.ceil(views / MAX_VIEWS) + connections,
        MAX_VIEWS,
      );
      ctx.log(`  (pre-created ${keys.length} shares x ${MAX_VIEWS} views in ${ms(started)} ms)`);
      return keys;
    },
    request: (ctx, keys) => revealRequest(ctx.servers.hush, keys, MAX_VIEWS),
    baseline: ['raw reveal', 'echo'],
    target: {
      bar: `${shareBarText}; never more reveals sent than views exist`,
      judge(run, baselines, ctx) {
        const verdict = shareBar('reveal')(run, baselines, ctx);
        const { revealsRequested = 0, viewsAvailable = 0 } = run.counts;
        const note = `${revealsRequested} reveals sent (warm-up included) for ${viewsAvailable} views`;
        return {
          ...verdict,
          notes: [...verdict.notes, note],
          pass: verdict.pass && revealsRequested <= viewsAvailable,
        };
      },
    },
  }),
  row({
    name: 'secret-write',
    what: 'POST /api/v1/secrets/create {name, value} with a bearer token, a new name each',
    setup: token,
    request: (ctx, bearer) => secretWriteRequest(ctx.servers.hush, bearer),
    baseline: ['echo', 'floor secret-write'],
    target: {
      bar: `>= ${pct(TARGETS.minSecretRatioVsEcho)} of echo, 0 non-2xx (the floor beside it: information)`,
      judge: (run, baselines) =>
        judgeSecret(
          run,
          baselines,
          'floor secret-write',
          `${run.counts.writesRequested} creates sent (warm-up included), each with a new name`,
        ),
    },
  }),
  row({
    name: 'secret-read',
    what: 'GET /api/v1/secrets/{id} with a bearer token, rotating through pre-created secrets',
    async setup(ctx) {
      const bearer = await token(ctx);
      const started = performance.now();
      const ids = await createSecrets(ctx.servers.hush.url, bearer, READ_POOL);
      ctx.log(`  (pre-created ${ids.length} secrets in ${ms(started)} ms)`);
      return { bearer, ids };
    },
    request: (ctx, { bearer, ids }) => secretReadRequest(ctx.servers.hush, bearer, ids),
    baseline: ['echo', 'floor secret-read'],
    target: {
      bar: `>= ${pct(TARGETS.minSecretRatioVsEcho)} of echo, 0 non-2xx (the floor beside it: information)`,
      judge: (run, baselines) =>
        judgeSecret(
          run,
          baselines,
          'floor secret-read',
          `reads rotate through ${run.counts.secrets} pre-created secrets`,
        ),
    },
  }),
  row({
    name: 'vault-kv-read',
    what: 'GET /v1/secret/data/{name} with X-Vault-Token (Vault envelope), rotating through KV secrets',
    setup: kvSeed,
    request: (ctx, { token, names }) => kvReadRequest(ctx.servers.hush, token, names, VAULT_KV_READ),
    baseline: ['native kv-read'],
    target: {
      bar: `>= ${pct(TARGETS.minVaultRatioVsNative)} of the native KV read in the same run, 0 non-2xx`,
      judge: (run, baselines) =>
        judgeRatio(run.result, baselines, {
          baseline: 'native kv-read',
          describe: 'the native KV read (GET /api/v1/kv/data)',
          min: TARGETS.minVaultRatioVsNative,
        }),
    },
  }),
  row({
    name: 'token-lookup',
    what: 'GET /api/v1/token/lookup-self: the authenticated floor under every secret read and write',
    optional: true,
    setup: token,
    request: (ctx, bearer) => tokenLookupRequest(ctx.servers.hush, bearer),
    baseline: [],
    target: undefined,
  }),
  row({
    name: 'passphrase-create',
    what: 'POST /api/v1/shares {secret, passphrase} with GET /healthz probed at 100 req/s meanwhile',
    setup: nothing,
    request: (ctx) => passphraseRequest(ctx.servers.hush, ctx.load),
    baseline: ['argon2 hash'],
    target: {
      bar: `>= ${pct(TARGETS.minRatioVsArgon2)} of raw Argon2id, /healthz p99 <= ${TARGETS.maxHealthzP99Ms} ms`,
      judge: judgePassphrase,
    },
  }),
  row({
    name: 'login',
    what: 'POST /api/v1/token/create, password grant: one Argon2id verify, a session and two tokens',
    setup: nothing,
    request: (ctx) => loginRequest(ctx.servers.hush),
    baseline: ['argon2 verify'],
    target: {
      bar: `>= ${pct(TARGETS.minLoginRatioVsArgon2)} of raw Argon2id verify, 0 non-2xx`,
      judge: (run, baselines) =>
        judgeRatio(run.result, baselines, {
          baseline: 'argon2 verify',
          describe: 'raw Argon2id verify',
          min: TARGETS.minLoginRatioVsArgon2,
        }),
    },
  }),
  row({
    name: 'big-bodies',
    what: '20 clients send maximum-size bodies to every route that needs no sign-in; /healthz probed',
    setup: nothing,
    request: (ctx) => bigBodiesRequest(ctx.root, ctx.servers.hush, ctx.load),
    baseline: ['healthz idle'],
    target: {
      bar: `/healthz p99 <= ${MAX_HEALTHZ_P99_UNDER_BIG_BODIES_MS} ms meanwhile, 0 non-2xx`,
      judge(run, baselines) {
        const idle = baselines.get('healthz idle')?.[0]?.load?.result;
        if (!idle) throw new Error('no idle /healthz baseline was measured');
        return judgeBigBodies(run, idle);
      },
    },
  }),
];

/** The rows --only names, in table order; without it, every row that is not optional. */
export function selectRows(only: string | undefined, rows: readonly ScenarioRow[] = SCENARIOS) {
  if (only === undefined) return rows.filter((r) => !r.optional);
  const names = only.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!rows.some((r) => r.name === name)) {
      throw new Error(`--only: unknown scenario "${name}" (known: ${rows.map((r) => r.name).join(', ')})`);
    }
  }
  return rows.filter((r) => names.includes(r.name));
}

/** The baselines `rows` need that this run can measure, in table order (echo always: the yardstick). */
export function baselinesFor(rows: readonly ScenarioRow[], ctx: BenchContext): BaselineName[] {
  const wanted = new Set<BaselineName>(['echo', ...rows.flatMap((r) => r.baseline)]);
  return (Object.keys(BASELINES) as BaselineName[]).filter(
    (name) => wanted.has(name) && BASELINES[name].available(ctx),
  );
}
