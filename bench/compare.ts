import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Issue 13's bar: no figure more than 5% worse in server CPU per request than the baseline's. */
export const MAX_CPU_INCREASE = 0.05;

/** The parts of a results JSON the comparison reads (written by bench/run.ts, old and new layout). */
interface ResultsFile {
  readonly backend?: string;
  readonly verdicts?: readonly { scenario: string; serverCpuMsPerRequest?: number; reference?: boolean }[];
  /** Since issue 13: every baseline run by name. */
  readonly baselines?: Record<string, readonly { name: string; load?: { result: CpuFigure } }[]>;
  /** Before issue 13 the baseline runs sat in `results`. */
  readonly results?: {
    echo?: readonly CpuFigure[];
    raw?: { create?: readonly CpuFigure[]; reveal?: readonly CpuFigure[] };
    floor?: Record<string, CpuFigure | undefined>;
  };
}
interface CpuFigure {
  readonly name: string;
  readonly serverCpuMsPerRequest?: number | undefined;
}

export interface CpuRow {
  readonly name: string;
  /** 'hush' rows carry the bar; 'bare' rows (echo, raw, floor) show how much the machine moved. */
  readonly kind: 'hush' | 'bare';
  readonly before: number | undefined;
  readonly after: number | undefined;
  /** after / before - 1. */
  readonly change: number | undefined;
  readonly worse: boolean;
}

/** Server CPU ms per request of every hush scenario and every bare baseline in a results file. */
export function cpuFigures(file: ResultsFile): { hush: Map<string, number>; bare: Map<string, number> } {
  const hush = new Map<string, number>();
  for (const v of file.verdicts ?? []) {
    if (v.serverCpuMsPerRequest !== undefined) hush.set(v.scenario, v.serverCpuMsPerRequest);
  }
  const bareRuns: CpuFigure[] = file.baselines
    ? Object.values(file.baselines).flatMap((runs) => runs.flatMap((r) => (r.load ? [r.load.result] : [])))
    : [
        ...(file.results?.echo ?? []),
        ...(file.results?.raw?.create ?? []),
        ...(file.results?.raw?.reveal ?? []),
        ...Object.values(file.results?.floor ?? {}).filter((r) => r !== undefined),
      ];
  const bare = new Map<string, number>();
  for (const r of bareRuns)
    if (r.serverCpuMsPerRequest !== undefined) bare.set(r.name, r.serverCpuMsPerRequest);
  return { hush, bare };
}

/** Each figure of `latest` against `baseline`; a hush figure more than `tolerance` higher is worse. */
export function compareCpu(
  baseline: ResultsFile,
  latest: ResultsFile,
  tolerance = MAX_CPU_INCREASE,
): CpuRow[] {
  const before = cpuFigures(baseline);
  const after = cpuFigures(latest);
  const rows: CpuRow[] = [];
  for (const kind of ['hush', 'bare'] as const) {
    const names = [...new Set([...before[kind].keys(), ...after[kind].keys()])];
    for (const name of names) {
      const b = before[kind].get(name);
      const a = after[kind].get(name);
      const change = a !== undefined && b !== undefined && b > 0 ? a / b - 1 : undefined;
      rows.push({
        name,
        kind,
        before: b,
        after: a,
        change,
        worse: kind === 'hush' && change !== undefined && change > tolerance,
      });
    }
  }
  return rows;
}

export function formatComparison(rows: readonly CpuRow[], baselineLabel: string): string {
  const ms = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));
  const lines = [
    `server CPU ms/request against ${baselineLabel} (bar: at most ${MAX_CPU_INCREASE * 100}% more)`,
  ];
  const width = Math.max(...rows.map((r) => r.name.length), 8);
  for (const r of rows) {
    const change = r.change === undefined ? '' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`;
    const flag = r.worse ? '  WORSE' : r.kind === 'bare' ? '  (bare baseline: machine drift)' : '';
    lines.push(
      `  ${r.name.padEnd(width)}  ${ms(r.before).padStart(8)} → ${ms(r.after).padStart(8)}  ${change.padStart(7)}${flag}`,
    );
  }
  // The bare echo does the same work in both runs: how far it moved is how far the machine did.
  const echo = rows.filter((r) => r.kind === 'bare' && r.name.startsWith('echo') && r.change !== undefined);
  if (echo.length > 0) {
    const moved = echo.map((r) => `${((r.change ?? 0) * 100).toFixed(1)}%`).join(', ');
    lines.push(
      `the bare echo moved ${moved}: hush figures within about that much may be the machine, not hush`,
    );
  }
  const worse = rows.filter((r) => r.worse).length;
  lines.push(worse === 0 ? 'no figure more than 5% worse' : `${worse} figure(s) more than 5% worse`);
  return lines.join('\n');
}

export const readResults = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;

// node --import tsx bench/compare.ts <baseline.json> <latest.json>: exit 1 when a figure is worse.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [baselineFile, latestFile] = process.argv.slice(2);
  if (!baselineFile || !latestFile) {
    console.error('usage: node --import tsx bench/compare.ts <baseline.json> <latest.json>');
    process.exit(2);
  }
  const rows = compareCpu(readResults(baselineFile), readResults(latestFile));
  console.log(formatComparison(rows, baselineFile));
  process.exit(rows.some((r) => r.worse) ? 1 : 0);
}
