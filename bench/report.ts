import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { Argon2Rate } from './argon2-rate.js';
import type { RawRevealResult } from './raw-scenarios.js';
import type { LoadResult, PassphraseResult, RevealResult } from './scenarios.js';

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
} as const;

export interface Machine {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly loadAverage: readonly number[];
  readonly node: string;
  readonly platform: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    loadAverage: loadavg().map((value) => round(value, 2)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * Baselines are measured twice (echo before and after the hush scenarios, Argon2id before and
 * after the passphrase run) and the HIGHER one is used: on a noisy machine, noise can then only
 * make hush look worse, never better.
 */
export interface Baselines {
  readonly echo: readonly LoadResult[];
  readonly argon2: readonly Argon2Rate[];
  /** The login baseline: Argon2id verifies, measured before and after the login scenario. */
  readonly argon2Verify?: readonly Argon2Rate[];
  /** PostgreSQL / Redis runs only: the raw-query routes, also measured before and after hush. */
  readonly raw?: RawBaselines;
}

export interface RawBaselines {
  /** The queries, e.g. "INSERT" and "DELETE … RETURNING". */
  readonly queries: { readonly create: string; readonly reveal: string };
  readonly create: readonly LoadResult[];
  readonly reveal: readonly RawRevealResult[];
}

export const echoBaseline = (b: Baselines) => Math.max(...b.echo.map((r) => r.rps));
export const argon2Baseline = (b: Baselines) => Math.max(...b.argon2.map((r) => r.hashesPerSecond));
export const argon2VerifyBaseline = (b: Baselines) =>
  Math.max(...(b.argon2Verify ?? []).map((r) => r.hashesPerSecond));
const best = (runs: readonly LoadResult[]) => Math.max(...runs.map((r) => r.rps));

export interface Verdict {
  readonly scenario: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly serverCpuMsPerRequest: number | undefined;
  readonly baseline: 'echo' | 'argon2' | 'argon2 verify' | 'none';
  readonly baselineRps: number;
  readonly ratio: number;
  /** What the bar asks for, e.g. ">= 60% of echo, p99 <= 10 ms, 0 non-2xx". */
  readonly target: string;
  readonly pass: boolean;
  readonly notes: string[];
  /** PostgreSQL / Redis: the ratio the verdict is judged on (the echo ratio above is for reference). */
  readonly vsRaw?: { readonly query: string; readonly baselineRps: number; readonly ratio: number };
  /** The "vs baseline" cell, for a bar that is not a ratio to a baseline. */
  readonly comparison?: string;
}

/** The figures every verdict reports as they were measured. */
function measured(result: LoadResult) {
  return {
    scenario: result.name,
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx,
    serverCpuMsPerRequest: result.serverCpuMsPerRequest,
  };
}

export function judgeVsEcho(result: LoadResult, baselines: Baselines): Verdict {
  const baselineRps = echoBaseline(baselines);
  const ratio = result.rps / baselineRps;
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    ...measured(result),
    baseline: 'echo',
    baselineRps,
    ratio,
    target: `>= ${pct(TARGETS.minRatioVsEcho)} of echo, p99 <= ${TARGETS.maxP99Ms} ms, 0 non-2xx`,
    pass: ratio >= TARGETS.minRatioVsEcho && result.p99 <= TARGETS.maxP99Ms && failed === 0,
    notes: failureNotes(result),
  };
}

/**
 * PostgreSQL / Redis bar: create or reveal against the bare route doing the same raw query (the
 * higher of its two runs). Every raw run must be all 2xx, or it is no baseline.
 */
export function judgeVsRaw(result: LoadResult, baselines: Baselines, kind: 'create' | 'reveal'): Verdict {
  const raw = baselines.raw;
  if (!raw || raw[kind].length === 0) throw new Error(`no raw ${kind} baseline was measured`);
  const echo = judgeVsEcho(result, baselines);
  const runs: readonly LoadResult[] = raw[kind];
  const baselineRps = best(runs);
  const ratio = result.rps / baselineRps;
  const failed = result.non2xx + result.errors + result.timeouts;
  const notes = [...echo.notes];
  let rawValid = true;
  for (const run of runs) {
    const bad = run.non2xx + run.errors + run.timeouts;
    if (bad > 0) {
      rawValid = false;
      notes.push(
        `${run.name}: ${bad} failed requests ${JSON.stringify(run.statusCodes)}, not a valid baseline`,
      );
    }
    if ('rowsAvailable' in run) {
      const r = run as RawRevealResult;
      notes.push(
        `${r.name}: ${r.revealsRequested} deletes sent (warm-up included) for ${r.rowsAvailable} rows`,
      );
    }
  }
  const query = raw.queries[kind];
  return {
    ...echo,
    vsRaw: { query, baselineRps, ratio },
    target: `>= ${pct(TARGETS.minRatioVsRaw)} of raw ${query}, p99 <= ${TARGETS.maxBackendP99Ms} ms, 0 non-2xx`,
    pass: ratio >= TARGETS.minRatioVsRaw && result.p99 <= TARGETS.maxBackendP99Ms && failed === 0 && rawValid,
    notes,
  };
}

export function judgeReveal(result: RevealResult, baselines: Baselines): Verdict {
  const verdict = baselines.raw ? judgeVsRaw(result, baselines, 'reveal') : judgeVsEcho(result, baselines);
  const notes = [...verdict.notes];
  notes.push(`${result.revealsRequested} reveals sent (warm-up included) for ${result.viewsAvailable} views`);
  return { ...verdict, notes, pass: verdict.pass && result.revealsRequested <= result.viewsAvailable };
}

export function judgePassphrase(result: PassphraseResult, baselines: Baselines): Verdict {
  const { create, healthz } = result;
  const baselineRps = argon2Baseline(baselines);
  const ratio = create.rps / baselineRps;
  const failed = create.non2xx + create.errors + create.timeouts + healthz.non2xx + healthz.errors;
  return {
    scenario: create.name,
    rps: create.rps,
    p50: create.p50,
    p99: create.p99,
    non2xx: create.non2xx,
    serverCpuMsPerRequest: create.serverCpuMsPerRequest,
    baseline: 'argon2',
    baselineRps,
    ratio,
    target: `>= ${pct(TARGETS.minRatioVsArgon2)} of raw Argon2id, /healthz p99 <= ${TARGETS.maxHealthzP99Ms} ms`,
    pass: ratio >= TARGETS.minRatioVsArgon2 && healthz.p99 <= TARGETS.maxHealthzP99Ms && failed === 0,
    notes: [
      `/healthz meanwhile: p50 ${healthz.p50} ms, p99 ${healthz.p99} ms, max ${healthz.max} ms ` +
        `(${fmt(healthz.rps)} req/s, ${healthz.non2xx} non-2xx, ${healthz.errors} errors)`,
      ...failureNotes(create),
    ],
  };
}

/**
 * Issue 4's bar for the secret store: token-authenticated writes or reads against the bare echo
 * (the higher of its two runs), on every backend; no latency ceiling is set, p99 is reported.
 */
export function judgeSecret(
  result: LoadResult,
  baselines: Baselines,
  notes: readonly string[] = [],
): Verdict {
  const baselineRps = echoBaseline(baselines);
  const ratio = result.rps / baselineRps;
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    ...measured(result),
    baseline: 'echo',
    baselineRps,
    ratio,
    target: `>= ${pct(TARGETS.minSecretRatioVsEcho)} of echo, 0 non-2xx`,
    pass: ratio >= TARGETS.minSecretRatioVsEcho && failed === 0,
    notes: [...notes, ...failureNotes(result)],
  };
}

/** Password sign-ins against the raw Argon2id verify rate (the higher of its two runs). */
export function judgeLogin(result: LoadResult, baselines: Baselines): Verdict {
  if (!baselines.argon2Verify?.length) throw new Error('no Argon2id verify baseline was measured');
  const baselineRps = argon2VerifyBaseline(baselines);
  const ratio = result.rps / baselineRps;
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    ...measured(result),
    baseline: 'argon2 verify',
    baselineRps,
    ratio,
    target: `>= ${pct(TARGETS.minLoginRatioVsArgon2)} of raw Argon2id verify, 0 non-2xx`,
    pass: ratio >= TARGETS.minLoginRatioVsArgon2 && failed === 0,
    notes: failureNotes(result),
  };
}

/**
 * The note beside a secret verdict: hush against the floor of the same run (bench/secret-floor.ts,
 * the same queries and crypto on a bare route). Information only: the verdict stays against echo.
 */
export function floorNotes(result: LoadResult, floor: LoadResult | undefined): string[] {
  if (!floor) return [];
  const notes = [
    `hush at ${pct(result.rps / floor.rps)} of the floor (a bare route doing the same queries and crypto)`,
  ];
  const bad = floor.non2xx + floor.errors + floor.timeouts;
  if (bad > 0)
    notes.push(
      `${floor.name}: ${bad} failed requests ${JSON.stringify(floor.statusCodes)}, not a valid floor`,
    );
  return notes;
}

function failureNotes(result: LoadResult): string[] {
  const notes: string[] = [];
  if (result.non2xx > 0) notes.push(`status codes ${JSON.stringify(result.statusCodes)}`);
  if (result.errors > 0) notes.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  return notes;
}

export function formatReport(input: {
  machine: Machine;
  baselines: Baselines;
  verdicts: readonly Verdict[];
  /** hush runs shown for reference, with no target (e.g. token-lookup, the authenticated floor). */
  references?: readonly LoadResult[];
  /** The secret store's floor runs (bare routes, same queries and crypto), with their share of echo. */
  floors?: readonly LoadResult[];
}): string {
  const { machine, baselines, verdicts, references = [], floors = [] } = input;
  const raw = baselines.raw;
  /** The "vs raw" column exists only on PostgreSQL / Redis runs; elsewhere the table is unchanged. */
  const row = (cells: string[], vsRaw = '') =>
    raw ? [...cells.slice(0, 7), vsRaw, ...cells.slice(7)] : cells;
  const lines: string[] = [];
  lines.push(
    `machine: ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, ` +
      `node ${machine.node}, load average at start ${machine.loadAverage.join(' ')}`,
  );
  lines.push('');
  const header = row(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'CPU ms/req', 'vs baseline', 'target', 'result'],
    'vs raw',
  );
  const baselineRow = (name: string, r: LoadResult) =>
    row([
      name,
      fmt(r.rps),
      String(r.p50),
      String(r.p99),
      String(r.non2xx),
      cpu(r.serverCpuMsPerRequest),
      '',
      '',
      '',
    ]);
  const rows: string[][] = [];
  for (const echo of baselines.echo) rows.push(baselineRow(`${echo.name} (bare Fastify)`, echo));
  for (const run of raw ? [...raw.create, ...raw.reveal] : [])
    rows.push(baselineRow(`${run.name} (bare Fastify)`, run));
  for (const run of references) rows.push(baselineRow(`${run.name} (reference, no target)`, run));
  for (const run of floors) {
    const cells = baselineRow(run.name, run);
    // "vs baseline" is the 7th column (index 6) of the unshifted row; row() inserts "vs raw" after it.
    cells[6] = `${pct(run.rps / echoBaseline(baselines))} of echo`;
    rows.push(cells);
  }
  const argon2Rows = [
    ...baselines.argon2.map((rate, i) => ({ rate, name: `raw Argon2id #${i + 1}` })),
    ...(baselines.argon2Verify ?? []).map((rate, i) => ({ rate, name: `raw Argon2id verify #${i + 1}` })),
  ];
  for (const { rate, name } of argon2Rows) {
    rows.push(
      row([`${name} (${rate.concurrency} in flight)`, fmt(rate.hashesPerSecond), '', '', '', '', '', '', '']),
    );
  }
  for (const v of verdicts) {
    rows.push(
      row(
        [
          v.scenario,
          fmt(v.rps),
          String(v.p50),
          String(v.p99),
          String(v.non2xx),
          cpu(v.serverCpuMsPerRequest),
          v.comparison ?? `${pct(v.ratio)} of ${v.baseline}`,
          v.target,
          v.pass ? 'PASS' : 'MISS',
        ],
        v.vsRaw ? `${pct(v.vsRaw.ratio)} of raw ${v.vsRaw.query}` : '',
      ),
    );
  }
  lines.push(...table(header, rows));
  lines.push('');
  lines.push(
    `baselines: echo ${fmt(echoBaseline(baselines))} req/s` +
      (raw && raw.create.length > 0 ? `, raw ${raw.queries.create} ${fmt(best(raw.create))} req/s` : '') +
      (raw && raw.reveal.length > 0 ? `, raw ${raw.queries.reveal} ${fmt(best(raw.reveal))} req/s` : '') +
      (baselines.argon2.length > 0 ? `, Argon2id ${fmt(argon2Baseline(baselines))} hashes/s` : '') +
      (baselines.argon2Verify?.length
        ? `, Argon2id verify ${fmt(argon2VerifyBaseline(baselines))} verifies/s`
        : '') +
      ' (the higher of two runs each)',
  );
  for (const v of verdicts) {
    for (const note of v.notes) lines.push(`${v.scenario}: ${note}`);
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function cpu(ms: number | undefined): string {
  return ms === undefined ? '?' : ms.toFixed(3);
}

export function fmt(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
