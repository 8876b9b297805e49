import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendServers, startBackend } from './backend-servers.js';
import { BASELINES, type BaselineName, show } from './baseline-table.js';
import type { BaselineRun, BenchContext, LoadRun } from './bench-types.js';
import { compareCpu, formatComparison, readResults } from './compare.js';
import { parseOptions } from './options.js';
import { killAllNow, stopAll } from './processes.js';
import { showProfiles } from './profile-summary.js';
import { describeMachine, formatReport, judgeRows, writeResults } from './report.js';
import { baselinesFor, SCENARIOS, selectRows } from './scenario-table.js';
import { HEALTHZ, runLoad } from './scenarios.js';
import { startServers } from './servers.js';

/**
 * `npm run bench`: builds hush, starts it and the bare servers it is judged against (bench/servers.ts),
 * and runs the scenario table (bench/scenario-table.ts) in one loop: the run-wide baselines (echo,
 * the raw queries) before the first row and after the last; for each row its setup, its own
 * baselines (Argon2id before and after, the floor after, idle /healthz before) and its measured
 * load. The report judges the same rows; results go to bench/results/latest[-<backend>].json.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
/** Temporary data directories to remove, also when the run is interrupted. */
const tempDirs = new Set<string>();
/** The run's PostgreSQL / Redis servers, to destroy after hush has stopped, also when interrupted. */
let backendServers: BackendServers | undefined;

async function main(): Promise<number> {
  const options = parseOptions();
  const machine = describeMachine();
  if (!existsSync(path.join(root, 'dist', 'main.js')))
    throw new Error('dist/main.js is missing: run `npm run build`');
  const rows = selectRows(options.only);
  const workDir = await mkdtemp(path.join(tmpdir(), 'hush-bench-'));
  tempDirs.add(workDir);
  const profileDir = path.join(resultsDir, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const log = (line: string) => console.log(line);

  try {
    const wantsFloor = rows.some((r) => r.baseline.some((b) => b.startsWith('floor')));
    const storage = await startBackend(options.backend);
    backendServers = storage;
    const servers = await startServers({
      root,
      workDir,
      backend: options.backend,
      storage,
      floor: wantsFloor,
      hushArgs: options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    const { load } = options;
    log(
      `${servers.describe}; ${load.connections} connections, ${load.warmupSeconds} s warm-up + ` +
        `${load.durationSeconds} s per scenario` +
        (options.profile ? '; hush is being CPU-profiled, numbers are not representative' : ''),
    );
    if (storage.raw) log(`storage: ${storage.description}`);
    if (wantsFloor && !servers.floor)
      log(`secret floor skipped: it runs hush's SQLite statements, not ${options.backend}`);

    const shared = new Map<string, Promise<unknown>>();
    const baselines = new Map<BaselineName, BaselineRun[]>();
    const runs = new Map<string, LoadRun>();
    const ctx: BenchContext = {
      root,
      backend: options.backend,
      load,
      servers,
      log,
      once: <T>(key: string, make: () => Promise<T>) => {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as Promise<T>;
      },
      fastestRps: () =>
        Math.max(
          0,
          ...[...baselines.values()].flat().map((b) => b.rps),
          ...[...runs.values()].map((r) => r.result.rps),
        ),
    };
    const wanted = baselinesFor(rows, ctx);
    const measure = async (names: readonly BaselineName[], round: number) => {
      for (const name of names) {
        baselines.set(name, [...(baselines.get(name) ?? []), await BASELINES[name].measure(ctx, round)]);
      }
    };
    const ofRow = (names: readonly BaselineName[], ...when: string[]) =>
      names.filter((n) => wanted.includes(n) && when.includes(BASELINES[n].when));
    const runWide = wanted.filter((n) => BASELINES[n].when === 'run');

    await measure(runWide, 1);
    for (const row of rows) {
      const seed = await row.setup(ctx);
      await measure(ofRow(row.baseline, 'row', 'before'), 1);
      const run = await runLoad(row.request(ctx, seed), load, servers.hush.pid);
      runs.set(row.name, run);
      show(ctx, run.result);
      if (run.beside) show(ctx, run.beside);
      await measure(ofRow(row.baseline, 'row'), 2);
      await measure(ofRow(row.baseline, 'after'), 1);
    }
    await measure(runWide, 2);

    const verdicts = judgeRows(rows, runs, baselines, options.backend);
    log(`\nbackend: ${options.backend}`);
    log(formatReport({ machine, baselines, verdicts }));

    await mkdir(resultsDir, { recursive: true });
    const base = options.backend === 'sqlite' ? 'latest' : `latest-${options.backend}`;
    const file = path.join(resultsDir, options.profile ? `${base}-profiled.json` : `${base}.json`);
    const json = {
      date: new Date().toISOString(),
      profiled: options.profile,
      backend: options.backend,
      options: { ...load, only: rows.map((r) => r.name), healthz: HEALTHZ },
      machine,
      scenarios: SCENARIOS.map(({ name, what, baseline, target }) => ({
        name,
        what,
        baseline,
        bar: target?.bar,
      })),
      baselines: Object.fromEntries(baselines),
      results: Object.fromEntries(runs),
      verdicts,
    };
    await writeResults(root, file, json);
    log(`\nwrote ${path.relative(root, file)}`);
    const compared = options.compare ? compareCpu(readResults(options.compare), json) : [];
    if (options.compare) log(`\n${formatComparison(compared, options.compare)}`);
    const missed = verdicts.some((v) => !v.pass) || compared.some((r) => r.worse);
    return options.strict && missed ? 1 : 0;
  } finally {
    await stopAll();
    await destroyBackend();
    await removeTempDirs();
    if (options.profile) await showProfiles(root, profileDir);
  }
}

/**
 * After stopAll: hush and the baseline server must be gone before their database is. The `finally`
 * of main and a signal handler may both call this; both wait for the same destroy.
 */
let backendDestroyed: Promise<void> | undefined;
async function destroyBackend(): Promise<void> {
  if (backendServers) {
    backendDestroyed = backendServers.destroy();
    backendServers = undefined;
  }
  await backendDestroyed;
}

async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs) {
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

// Never leave a server running: Ctrl-C / SIGTERM stop the children gracefully, and the synchronous
// 'exit' hook SIGKILLs whatever is somehow still alive.
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping servers`);
    void stopAll()
      .then(destroyBackend)
      .then(removeTempDirs)
      .finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
