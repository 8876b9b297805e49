import type { BaselineRuns, LoadRun, Verdict } from './bench-types.js';
import type { LoadResult } from './scenarios.js';

/** The quality bars of PRODUCT.md (50 connections), as numbers. */
export const TARGETS = {
  /** create and reveal on SQLite: share of the bare echo's req/s, and p99 ceiling. */
  minRatioVsEcho: 0.6,
  maxP99Ms: 10,
  /** create and reveal on PostgreSQL or Redis: share of the bare route doing the raw query, p99 ceiling. */
  minRatioVsRaw: 0.7,
  maxBackendP99Ms: 15,
  /** passphrase creates: share of the raw Argon2id rate, and /healthz p99 ceiling meanwhile. */
  minRatioVsArgon2: 0.8,
  maxHealthzP99Ms: 5,
  /** Issue 4: token-authenticated secret writes and reads, share of the bare echo's req/s (any backend). */
  minSecretRatioVsEcho: 0.5,
  /** Issue 4: password sign-ins, share of the raw Argon2id verify rate. */
  minLoginRatioVsArgon2: 0.8,
  /** Issue 14: a KV read through the Vault-compatible surface, share of the native KV read's req/s. */
  minVaultRatioVsNative: 0.9,
} as const;

/**
 * Baselines measured twice (before and after) count with the HIGHER run: on a noisy machine,
 * noise can then only make hush look worse, never better.
 */
export function best(baselines: BaselineRuns, name: string): number {
  const runs = baselines.get(name) ?? [];
  if (runs.length === 0) throw new Error(`no ${name} baseline was measured`);
  return Math.max(...runs.map((r) => r.rps));
}

const failed = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

/** The figures every verdict reports as they were measured. */
function measured(result: LoadResult) {
  const { name: scenario, rps, p50, p99, non2xx, serverCpuMsPerRequest } = result;
  return { scenario, rps, p50, p99, non2xx, serverCpuMsPerRequest };
}

export function failureNotes(result: LoadResult): string[] {
  const notes: string[] = [];
  if (result.non2xx > 0) notes.push(`status codes ${JSON.stringify(result.statusCodes)}`);
  if (result.errors > 0) notes.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  return notes;
}

/** A share of a baseline's best req/s, with 0 failed requests (and a p99 ceiling when given). */
export function judgeRatio(
  result: LoadResult,
  baselines: BaselineRuns,
  bar: { baseline: string; label?: string; describe?: string; min: number; maxP99Ms?: number },
): Verdict {
  const baselineRps = best(baselines, bar.baseline);
  const ratio = result.rps / baselineRps;
  const p99 = bar.maxP99Ms === undefined ? '' : `, p99 <= ${bar.maxP99Ms} ms`;
  return {
    ...measured(result),
    baseline: bar.label ?? bar.baseline,
    baselineRps,
    ratio,
    target: `>= ${pct(bar.min)} of ${bar.describe ?? bar.label ?? bar.baseline}${p99}, 0 non-2xx`,
    pass: ratio >= bar.min && result.p99 <= (bar.maxP99Ms ?? Infinity) && failed(result) === 0,
    notes: failureNotes(result),
  };
}

/** SQLite's bar for create and reveal: against the bare echo. */
export const judgeVsEcho = (result: LoadResult, baselines: BaselineRuns) =>
  judgeRatio(result, baselines, {
    baseline: 'echo',
    min: TARGETS.minRatioVsEcho,
    maxP99Ms: TARGETS.maxP99Ms,
  });

/**
 * PostgreSQL / Redis bar: create or reveal against the bare route doing the same raw query (the
 * higher of its two runs); the echo ratio stays for reference. Every raw run must be all 2xx, or
 * it is no baseline.
 */
export function judgeVsRaw(
  result: LoadResult,
  baselines: BaselineRuns,
  name: string,
  query: string,
): Verdict {
  const echo = judgeVsEcho(result, baselines);
  const runs = baselines.get(name) ?? [];
  const baselineRps = best(baselines, name);
  const ratio = result.rps / baselineRps;
  const notes = [...echo.notes];
  let rawValid = true;
  for (const run of runs) {
    const r = run.load?.result;
    if (!r) continue;
    if (failed(r) > 0) {
      rawValid = false;
      notes.push(
        `${r.name}: ${failed(r)} failed requests ${JSON.stringify(r.statusCodes)}, not a valid baseline`,
      );
    }
    const { rowsAvailable, revealsRequested } = run.load?.counts ?? {};
    if (rowsAvailable !== undefined) {
      notes.push(`${r.name}: ${revealsRequested} deletes sent (warm-up included) for ${rowsAvailable} rows`);
    }
  }
  return {
    ...echo,
    vsRaw: { query, baselineRps, ratio },
    target: `>= ${pct(TARGETS.minRatioVsRaw)} of raw ${query}, p99 <= ${TARGETS.maxBackendP99Ms} ms, 0 non-2xx`,
    pass:
      ratio >= TARGETS.minRatioVsRaw &&
      result.p99 <= TARGETS.maxBackendP99Ms &&
      failed(result) === 0 &&
      rawValid,
    notes,
  };
}

/** Passphrase creates against raw Argon2id, with /healthz responsive meanwhile. */
export function judgePassphrase(run: LoadRun, baselines: BaselineRuns): Verdict {
  const { result: create, beside: healthz } = run;
  if (!healthz) throw new Error('passphrase-create ran without its /healthz probe');
  const verdict = judgeRatio(create, baselines, {
    baseline: 'argon2 hash',
    label: 'argon2',
    min: TARGETS.minRatioVsArgon2,
  });
  return {
    ...verdict,
    target: `>= ${pct(TARGETS.minRatioVsArgon2)} of raw Argon2id, /healthz p99 <= ${TARGETS.maxHealthzP99Ms} ms`,
    pass: verdict.pass && healthz.p99 <= TARGETS.maxHealthzP99Ms && healthz.non2xx + healthz.errors === 0,
    notes: [
      `/healthz meanwhile: p50 ${healthz.p50} ms, p99 ${healthz.p99} ms, max ${healthz.max} ms ` +
        `(${fmt(healthz.rps)} req/s, ${healthz.non2xx} non-2xx, ${healthz.errors} errors)`,
      ...verdict.notes,
    ],
  };
}

/**
 * Issue 4's bar for the secret store: token-authenticated writes or reads against the bare echo,
 * on every backend; no latency ceiling. Beside it, on SQLite, hush against its floor (the same
 * queries and crypto on a bare route): information only.
 */
export function judgeSecret(run: LoadRun, baselines: BaselineRuns, floor: string, note: string): Verdict {
  const verdict = judgeRatio(run.result, baselines, { baseline: 'echo', min: TARGETS.minSecretRatioVsEcho });
  const floorRun = baselines.get(floor)?.[0]?.load?.result;
  const notes = [note];
  if (floorRun) {
    notes.push(
      `hush at ${pct(run.result.rps / floorRun.rps)} of the floor (a bare route doing the same queries and crypto)`,
    );
    if (failed(floorRun) > 0) {
      notes.push(
        `${floorRun.name}: ${failed(floorRun)} failed requests ${JSON.stringify(floorRun.statusCodes)}, not a valid floor`,
      );
    }
  }
  return { ...verdict, notes: [...notes, ...verdict.notes] };
}

/** A row with no bar: its figures, for diagnosis. */
export const reference = (result: LoadResult): Verdict => ({
  ...measured(result),
  baseline: 'none',
  baselineRps: Number.NaN,
  ratio: Number.NaN,
  comparison: '',
  target: 'reference, no target',
  pass: true,
  notes: failureNotes(result),
  reference: true,
});

export function fmt(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

export function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}
