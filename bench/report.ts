import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import type { Backend } from './backend-servers.js';
import { BASELINES, type BaselineDef, type BaselineName } from './baseline-table.js';
import type { BaselineRuns, LoadRun, Verdict } from './bench-types.js';
import type { ScenarioRow } from './scenario-table.js';
import { best, fmt, pct, reference } from './targets.js';

export { fmt } from './targets.js';

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

/** Judges every row that ran, from the table: its bar, or a reference row where it has none. */
export function judgeRows(
  rows: readonly ScenarioRow[],
  runs: ReadonlyMap<string, LoadRun>,
  baselines: BaselineRuns,
  backend: Backend,
): Verdict[] {
  return rows.flatMap((row) => {
    const run = runs.get(row.name);
    if (!run) return [];
    return [row.target ? row.target.judge(run, baselines, { backend }) : reference(run.result)];
  });
}

/**
 * The report: every baseline run of the table (BASELINES order), then every row's verdict (table
 * order), then the best baselines and the notes. The "vs raw" column appears when a verdict has one.
 */
export function formatReport(input: {
  machine: Machine;
  baselines: BaselineRuns;
  verdicts: readonly Verdict[];
}): string {
  const { machine, baselines, verdicts } = input;
  const hasRaw = verdicts.some((v) => v.vsRaw);
  const row = (cells: string[], vsRaw = '') =>
    hasRaw ? [...cells.slice(0, 7), vsRaw, ...cells.slice(7)] : cells;
  const lines = [
    `machine: ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, ` +
      `node ${machine.node}, load average at start ${machine.loadAverage.join(' ')}`,
    '',
  ];
  const header = row(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'CPU ms/req', 'vs baseline', 'target', 'result'],
    'vs raw',
  );
  const rows: string[][] = [];
  const echo = baselines.has('echo') ? best(baselines, 'echo') : Number.NaN;
  for (const name of Object.keys(BASELINES) as BaselineName[]) {
    for (const run of baselines.get(name) ?? []) {
      const r = run.load?.result;
      const def: BaselineDef = BASELINES[name];
      const vsEcho = def.vsEcho && r ? `${pct(r.rps / echo)} of echo` : '';
      rows.push(
        row([
          `${run.name} (baseline)`,
          fmt(run.rps),
          r ? String(r.p50) : '',
          r ? String(r.p99) : '',
          r ? String(r.non2xx) : '',
          r ? cpu(r.serverCpuMsPerRequest) : '',
          vsEcho,
          '',
          '',
        ]),
      );
    }
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
          v.reference ? '' : v.pass ? 'PASS' : 'MISS',
        ],
        v.vsRaw ? `${pct(v.vsRaw.ratio)} of raw ${v.vsRaw.query}` : '',
      ),
    );
  }
  lines.push(...table(header, rows), '');
  const twice = (Object.keys(BASELINES) as BaselineName[]).filter((n) => (baselines.get(n)?.length ?? 0) > 1);
  lines.push(
    `baselines: ${twice.map((n) => `${n} ${fmt(best(baselines, n))}/s`).join(', ')} (the higher of two runs each)`,
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

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Writes a results JSON. bench/results/ is git-ignored, but `biome check .` still reads it: the
 * file is formatted the way biome wants so that `npm run lint` stays green after a bench run.
 */
export async function writeResults(root: string, file: string, json: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  const biome = path.join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return;
  try {
    execFileSync(biome, ['format', '--write', file], { cwd: root, stdio: 'ignore' });
  } catch {
    // Formatting is cosmetic; the results are written either way.
  }
}
