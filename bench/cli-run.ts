import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBuiltHush } from './built-hush.js';
import { killAllNow, stopAll } from './processes.js';
import { authorized } from './secret-scenarios.js';
import { envWithoutHush } from './servers.js';

/**
 * `hush run` start-up (issue 14, PRODUCT.md: "hush run with 50 keys starts its child within
 * 300 ms"): a real hush (SQLite, a temporary data directory) holds one secret of 50 keys; each run
 * spawns `node dist/main.js run --secret <it> -- node -e <report>` and times, from the spawn,
 * when the command's process began (its performance.timeOrigin) and when its first line arrived.
 * The floor is the same `node -e <report>` spawned directly; hush run and floor alternate, so both
 * see the same machine. The command checks it got all 50 keys, or the run fails.
 *
 *   npm run build && node --import tsx bench/cli-run.ts [--runs 20] [--warmup 3]
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'bench/run-50';
const KEYS = 50;
const BAR_MS = 300;
/** The command: when its process began (epoch ms, high resolution) and how many keys it got. */
const REPORT =
  "process.stdout.write(JSON.stringify({ began: performance.timeOrigin, keys: Object.keys(process.env).filter((k) => k.startsWith('BENCH_KEY_')).length }) + '\\n')";

interface Sample {
  /** From the spawn to the command's process starting. */
  readonly childStartMs: number;
  /** From the spawn to the command's first line on stdout. */
  readonly firstLineMs: number;
}

const now = () => performance.timeOrigin + performance.now();

/** Spawns `args`, resolves with the sample once its first line arrives (and it has exited 0). */
function sample(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, keys: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const spawned = now();
    const child = spawn(process.execPath, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let firstLine: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (firstLine === undefined && out.includes('\n')) firstLine = now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const report =
        firstLine === undefined ? undefined : (JSON.parse(out) as { began: number; keys: number });
      if (code !== 0 || report === undefined || firstLine === undefined || report.keys !== keys) {
        reject(new Error(`run failed (exit ${code}, ${report?.keys ?? 'no'} keys): ${err.trim()}`));
        return;
      }
      resolve({ childStartMs: report.began - spawned, firstLineMs: firstLine - spawned });
    });
  });
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const stats = (values: readonly number[]) => ({
  median: percentile(values, 50),
  p95: percentile(values, 95),
  min: Math.min(...values),
  max: Math.max(...values),
});
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' } },
  });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  const main = path.join(root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build`');
  const workDir = await mkdtemp(path.join(tmpdir(), 'hush-bench-cli-run-'));
  try {
    const { url, token } = await startBuiltHush(workDir);
    const data = Object.fromEntries(
      Array.from({ length: KEYS }, (_, i) => [
        `BENCH_KEY_${String(i + 1).padStart(2, '0')}`,
        randomBytes(24).toString('base64url'),
      ]),
    );
    const written = await fetch(`${url}/api/v1/kv/data/${SECRET}`, {
      method: 'PUT',
      headers: authorized(token),
      body: JSON.stringify({ data }),
    });
    if (written.status !== 200)
      throw new Error(`storing the secret failed: ${written.status} ${await written.text()}`);

    // The client's environment: the token and server, no saved login, nothing of the caller's HUSH_*.
    const env = {
      ...envWithoutHush(),
      HUSH_URL: url,
      HUSH_TOKEN: token,
      HUSH_CONFIG_DIR: path.join(workDir, 'config'),
    };
    const viaHush = [main, 'run', '--secret', SECRET, '--', process.execPath, '-e', REPORT];
    const direct = ['-e', REPORT];
    const hushRuns: Sample[] = [];
    const floorRuns: Sample[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const viaSample = await sample(viaHush, env, workDir, KEYS);
      const floorSample = await sample(direct, { ...env, ...data }, workDir, KEYS);
      if (i >= warmup) {
        hushRuns.push(viaSample);
        floorRuns.push(floorSample);
      }
    }
    const started = stats(hushRuns.map((s) => s.childStartMs));
    const firstLine = stats(hushRuns.map((s) => s.firstLineMs));
    const floor = stats(floorRuns.map((s) => s.firstLineMs));
    const floorStart = stats(floorRuns.map((s) => s.childStartMs));
    const pass = started.p95 <= BAR_MS;
    const row = (name: string, s: ReturnType<typeof stats>) =>
      `${name.padEnd(46)}${ms(s.median).padStart(8)}${ms(s.p95).padStart(8)}${ms(s.min).padStart(8)}${ms(s.max).padStart(8)}`;
    console.log(
      `hush run start-up: ${runs} runs after ${warmup} warm-up, ${KEYS} keys, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(`${''.padEnd(46)}  median     p95     min     max`);
    console.log(row('hush run: spawn -> command process started', started));
    console.log(row('hush run: spawn -> command first line', firstLine));
    console.log(row('floor (node -e): spawn -> process started', floorStart));
    console.log(row('floor (node -e): spawn -> first line', floor));
    console.log(
      `hush's own cost (median first line - floor median): ${ms(firstLine.median - floor.median)}; ` +
        `bar: the command starts within ${BAR_MS} ms (p95): ${pass ? 'PASS' : 'MISS'}`,
    );
    const resultsDir = path.join(root, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, 'cli-run.json');
    const machine = { loadavg: loadavg(), node: process.version };
    await writeFile(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), runs, warmup, keys: KEYS, machine, started, firstLine, floorStart, floor, hushRuns, floorRuns, pass }, null, 2)}\n`,
    );
    console.log(`wrote ${path.relative(root, file)}`);
    return 0;
  } finally {
    await stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
}

process.on('exit', killAllNow);
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
