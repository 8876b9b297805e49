import type { Backend } from './backend-servers.js';
import type { LoadOptions, LoadResult, Target } from './scenarios.js';

/** The servers of one run; `raw` only on PostgreSQL / Redis, `floor` only on SQLite when a row needs it. */
export interface Servers {
  readonly hush: Target;
  readonly echo: Target;
  readonly raw: Target | undefined;
  readonly floor: Target | undefined;
}

/** What a row's setup, request and baselines get from the run. */
export interface BenchContext {
  readonly root: string;
  readonly backend: Backend;
  readonly load: LoadOptions;
  readonly servers: Servers;
  log(line: string): void;
  /** Unmeasured preparation shared by rows and baselines (an access token, the floor's seed), made once. */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** The highest req/s measured so far in this run: pools of views and rows are sized on it. */
  fastestRps(): number;
}

/** One measured load: the run on the server, a probe run alongside it, and the request counters. */
export interface LoadRun {
  readonly result: LoadResult;
  readonly beside?: LoadResult | undefined;
  /** e.g. reveals built (warm-up included) and views available: what a judgement checks besides. */
  readonly counts: Readonly<Record<string, number>>;
}

/** One measurement of a baseline: req/s of a bare server (with its figures), or a raw Argon2id rate. */
export interface BaselineRun {
  readonly name: string;
  readonly rps: number;
  readonly load?: LoadRun | undefined;
  readonly detail?: unknown;
}

/** The baselines measured in this run, by name (bench/baseline-table.ts). */
export type BaselineRuns = ReadonlyMap<string, readonly BaselineRun[]>;

/** A row's judgement, as the report prints it and results/*.json keep it (the shape predates issue 13). */
export interface Verdict {
  readonly scenario: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly serverCpuMsPerRequest: number | undefined;
  readonly baseline: string;
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
  /** A row with no bar (token-lookup): reported, never a miss. */
  readonly reference?: boolean;
}
