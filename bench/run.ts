import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Argon2Rate } from './argon2-rate.js';
import { BACKENDS, type Backend, type BackendServers, startBackend } from './backends.js';
import { type BigBodiesResult, bigBodiesScenario, judgeBigBodies } from './big-body-scenario.js';
import { FLOOR_SECRET_ROUTES, type FloorSeed, seedFloor } from './floor-scenarios.js';
import { freePort, killAllNow, runNode, spawnNode, stopAll, waitForHttp } from './processes.js';
import { formatProfile, summarizeProfile } from './profile-summary.js';
import { RAW_QUERIES } from './raw-queries.js';
import { type RawRevealResult, rawCreateScenario, rawRevealScenario, seedRaw } from './raw-scenarios.js';
import {
  type Baselines,
  describeMachine,
  floorNotes,
  fmt,
  formatReport,
  judgeLogin,
  judgePassphrase,
  judgeReveal,
  judgeSecret,
  judgeVsEcho,
  judgeVsRaw,
  type RawBaselines,
  TARGETS,
  type Verdict,
} from './report.js';
import {
  CREATE_BODY,
  createScenario,
  createShares,
  echoScenario,
  type LoadOptions,
  type LoadResult,
  PASSPHRASE,
  type PassphraseResult,
  passphraseScenario,
  type RevealResult,
  revealScenario,
  type Target,
} from './scenarios.js';
import {
  accessToken,
  BENCH_ADMIN,
  createSecrets,
  loginScenario,
  type SecretReadResult,
  type SecretWriteResult,
  secretReadScenario,
  secretWriteScenario,
  tokenLookupScenario,
} from './secret-scenarios.js';

/**
 * `npm run bench`: builds hush, starts it (`node dist/main.js`, production logging to /dev/null,
 * fresh SQLite data dir) and a bare Fastify echo server as separate processes, drives both with
 * autocannon from this process, measures the raw Argon2id rate in a third process, prints the
 * results against PRODUCT.md's quality bars and writes bench/results/latest.json.
 *
 * With --backend postgres|redis it also starts throwaway PostgreSQL (and Redis) servers, runs hush
 * on them, and measures a bare Fastify route doing the same raw query (bench/raw-query-server.ts)
 * as the baseline for create and reveal; results go to bench/results/latest-<backend>.json.
 *
 * On SQLite, secret-write and secret-read are each followed by their floor: a bare Fastify route
 * doing the same queries and crypto (bench/secret-floor-server.ts), reported beside them.
 */
const USAGE = `usage: npm run bench -- [options]

  --backend B       sqlite (default), postgres or redis: where hush keeps shares. postgres and redis
                    start throwaway servers and add raw-query baselines (INSERT / DELETE … RETURNING,
                    SET … PX / GETDEL) that create and reveal are judged against
  --duration S      measured seconds per scenario (default 10)
  --warmup S        discarded warm-up seconds per scenario (default 2)
  --connections N   autocannon connections (default 50, the bar's figure)
  --only LIST       comma-separated subset of create,reveal,passphrase-create,secret-write,secret-read,
                    login (default: all of these; echo always runs), plus token-lookup: GET
                    /api/v1/token/lookup-self, the authenticated floor, reported with no target;
                    big-bodies: /healthz p99 while 20 clients send maximum-size bodies to every
                    route that needs no sign-in.
                    On SQLite, secret-write and secret-read are each followed by their floor (a bare
                    route doing the same queries and crypto, bench/secret-floor-server.ts)
  --profile         run hush under \`node --cpu-prof\` and summarize the profile (slows hush down:
                    use it to find out why, not to report numbers)
  --strict          exit 1 when a target is missed
  --help            print this`;
const SCENARIOS = [
  'create',
  'reveal',
  'passphrase-create',
  'secret-write',
  'secret-read',
  'login',
  'token-lookup',
  'big-bodies',
] as const;
/** Selectable with --only, but not part of a default run: no bar, diagnosis only. */
const OPTIONAL: readonly Scenario[] = ['token-lookup'];
type Scenario = (typeof SCENARIOS)[number];

const MAX_VIEWS = 100;
/** Secrets secret-read rotates through (reads spend nothing, so the pool need not grow with the rate). */
const READ_POOL = 200;
const HEALTHZ = { connections: 10, rate: 100 } as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
/** Temporary data directories to remove, also when the run is interrupted. */
const tempDirs = new Set<string>();
/** The run's PostgreSQL / Redis servers, to destroy after hush has stopped, also when interrupted. */
let backendServers: BackendServers | undefined;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      only: { type: 'string', default: SCENARIOS.filter((s) => !OPTIONAL.includes(s)).join(',') },
      backend: { type: 'string', default: 'sqlite' },
      profile: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!(BACKENDS as readonly string[]).includes(values.backend)) {
    throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got "${values.backend}"`);
  }
  const number = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} must be a number >= ${min}, got "${value}"`);
    return n;
  };
  const only = values.only.split(',').map((s) => s.trim());
  for (const name of only) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
    }
  }
  return {
    load: {
      durationSeconds: number('duration', values.duration, 1),
      warmupSeconds: number('warmup', values.warmup, 0),
      connections: Math.round(number('connections', values.connections, 1)),
    } satisfies LoadOptions,
    only: new Set(only as Scenario[]),
    backend: values.backend as Backend,
    profile: values.profile,
    strict: values.strict,
  };
}

/** The parent's environment without any HUSH_* (hush rejects unknown ones; a stray one would skew it). */
function envWithoutHush(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUSH_')));
}

async function main(): Promise<number> {
  const options = parseOptions();
  const machine = describeMachine();
  const mainJs = path.join(root, 'dist', 'main.js');
  if (!existsSync(mainJs))
    throw new Error(`${mainJs} is missing: run \`npm run build\` (npm run bench does)`);

  const workDir = await mkdtemp(path.join(tmpdir(), 'hush-bench-'));
  tempDirs.add(workDir);
  const profileDir = path.join(resultsDir, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const log = (line: string) => console.log(line);

  try {
    const backend = await startBackend(options.backend);
    backendServers = backend;
    const [echoPort, hushPort, rawPort, floorPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const echo = spawnNode({
      name: 'echo server',
      args: ['--import', 'tsx', path.join(root, 'bench', 'echo-server.ts'), String(echoPort)],
      cwd: root,
      env: envWithoutHush(),
      stdout: 'null',
    });
    const rawServer =
      backend.raw &&
      spawnNode({
        name: `raw ${backend.raw.backend} baseline server`,
        args: [
          '--import',
          'tsx',
          path.join(root, 'bench', 'raw-query-server.ts'),
          String(rawPort),
          backend.raw.backend,
          backend.raw.url,
        ],
        cwd: root,
        env: envWithoutHush(),
        stdout: 'null',
      });
    // The secret store's floor: SQLite only (it runs hush's SQLite statements on its own file).
    const wantsFloor = options.only.has('secret-write') || options.only.has('secret-read');
    const floorServer =
      wantsFloor && options.backend === 'sqlite'
        ? spawnNode({
            name: 'secret floor server',
            args: [
              '--import',
              'tsx',
              path.join(root, 'bench', 'secret-floor-server.ts'),
              String(floorPort),
              path.join(workDir, 'floor', 'floor.db'),
            ],
            cwd: root,
            env: envWithoutHush(),
            stdout: 'null',
          })
        : undefined;
    const hush = spawnNode({
      name: 'hush',
      args: [...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), mainJs],
      // Not the repository: hush reads ./.env, and a developer's .env must not change the bench.
      cwd: workDir,
      env: {
        ...envWithoutHush(),
        HUSH_HOST: '127.0.0.1',
        HUSH_PORT: String(hushPort),
        HUSH_DATA_DIR: path.join(workDir, 'data'),
        // Production logging: one JSON line per request, written (to /dev/null), not disabled.
        HUSH_LOG_LEVEL: 'info',
        // The limiter still runs on every request; it just never says no to the one bench client.
        HUSH_RATE_LIMIT_MAX: '1000000000',
        // The account secret-write, secret-read and login sign in with.
        HUSH_BOOTSTRAP_ADMIN_USERNAME: BENCH_ADMIN.username,
        HUSH_BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
        // PostgreSQL / Redis: where the throwaway servers listen (nothing for SQLite).
        ...backend.hushEnv,
      },
      stdout: 'null',
    });
    const echoUrl = `http://127.0.0.1:${echoPort}`;
    const hushUrl = `http://127.0.0.1:${hushPort}`;
    const rawUrl = `http://127.0.0.1:${rawPort}`;
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    const postCreate = { method: 'POST', headers: { 'content-type': 'application/json' }, body: CREATE_BODY };
    await Promise.all([
      waitForHttp(echo, `${echoUrl}/echo`, postCreate),
      waitForHttp(hush, `${hushUrl}/healthz`),
      rawServer && waitForHttp(rawServer, `${rawUrl}/create`, postCreate),
      // Answers 2xx once the file is migrated; seeds a spare admin (count 0), harmless.
      floorServer &&
        waitForHttp(floorServer, `${floorUrl}/seed`, { ...postCreate, body: JSON.stringify({ count: 0 }) }),
    ]);

    const { load } = options;
    log(
      `hush ${hushUrl} (pid ${hush.process.pid}) and echo ${echoUrl} (pid ${echo.process.pid})` +
        (rawServer ? `, raw-query baseline ${rawUrl} (pid ${rawServer.process.pid})` : '') +
        (floorServer ? `, secret floor ${floorUrl} (pid ${floorServer.process.pid})` : '') +
        `; ${load.connections} connections, ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s per scenario` +
        (options.profile ? '; hush is being CPU-profiled, numbers are not representative' : ''),
    );
    if (backend.raw) log(`storage: ${backend.description}`);
    if (wantsFloor && !floorServer) {
      log(
        `secret floor skipped: it runs hush's SQLite statements, and this run is --backend ${options.backend}`,
      );
    }

    const show = (r: LoadResult) =>
      log(
        `  ${r.name}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.non2xx} non-2xx, ` +
          `${r.errors} errors, server CPU ${r.serverCpuMsPerRequest?.toFixed(3) ?? '?'} ms/req ` +
          `(${r.serverCores?.toFixed(2) ?? '?'} cores)`,
      );
    const echoTarget: Target = { url: echoUrl, pid: echo.process.pid };
    const hushTarget: Target = { url: hushUrl, pid: hush.process.pid };
    const echoRuns: LoadResult[] = [];
    const argon2Runs: Argon2Rate[] = [];
    const argon2VerifyRuns: Argon2Rate[] = [];
    const measureArgon2 = async (op: 'hash' | 'verify' = 'hash') => {
      // Servers idle meanwhile: the hash rate gets the whole machine, as hush's hashing could.
      const out = await runNode({
        name: 'argon2 rate',
        args: [
          '--import',
          'tsx',
          path.join(root, 'bench', 'argon2-rate.ts'),
          `--concurrency=${load.connections}`,
          `--duration=${load.durationSeconds}`,
          `--warmup=${load.warmupSeconds}`,
          `--passphrase=${op === 'hash' ? PASSPHRASE : BENCH_ADMIN.password}`,
          `--op=${op}`,
        ],
        cwd: root,
        env: envWithoutHush(),
      });
      const rate = JSON.parse(out) as Argon2Rate;
      (op === 'hash' ? argon2Runs : argon2VerifyRuns).push(rate);
      log(
        `  raw Argon2id ${op}: ${fmt(rate.hashesPerSecond)} ${op === 'hash' ? 'hashes' : 'verifies'}/s ` +
          `(${rate.concurrency} in flight)`,
      );
    };

    // PostgreSQL / Redis: the bare routes doing the raw queries, before and after hush (like echo).
    const raw: (RawBaselines & { create: LoadResult[]; reveal: RawRevealResult[] }) | undefined =
      backend.raw && { queries: RAW_QUERIES[backend.raw.backend], create: [], reveal: [] };
    const measureRaw = async (round: number) => {
      if (!raw || !rawServer) return;
      const rawTarget: Target = { url: rawUrl, pid: rawServer.process.pid };
      let createRps = 0;
      if (options.only.has('create')) {
        const run = await rawCreateScenario(rawTarget, load, `raw ${raw.queries.create} #${round}`);
        raw.create.push(run);
        createRps = run.rps;
        show(run);
      }
      if (options.only.has('reveal')) {
        // One row per reveal, sized like hush's views: on the echo rate (an upper bound), 50% to spare.
        const rows =
          Math.ceil(
            Math.max(echoRuns[0]?.rps ?? 0, createRps) * (load.durationSeconds + load.warmupSeconds) * 1.5,
          ) + load.connections;
        const started = performance.now();
        const ids = await seedRaw(rawUrl, rows);
        log(`  (pre-created ${ids.length} raw rows in ${(performance.now() - started).toFixed(0)} ms)`);
        const run = await rawRevealScenario(rawTarget, ids, load, `raw ${raw.queries.reveal} #${round}`);
        raw.reveal.push(run);
        show(run);
      }
    };

    echoRuns.push(await echoScenario(echoTarget, load, 'echo #1'));
    show(echoRuns[0] as LoadResult);
    await measureRaw(1);

    let create: LoadResult | undefined;
    if (options.only.has('create')) {
      create = await createScenario(hushTarget, load);
      show(create);
    }

    let reveal: RevealResult | undefined;
    if (options.only.has('reveal')) {
      // Size the pool of views on the echo rate (an upper bound for hush), with room to spare.
      const views =
        Math.max(echoRuns[0]?.rps ?? 0, create?.rps ?? 0) * (load.durationSeconds + load.warmupSeconds) * 1.5;
      const count = Math.ceil(views / MAX_VIEWS) + load.connections;
      const started = performance.now();
      const keys = await createShares(hushUrl, count, MAX_VIEWS);
      log(
        `  (pre-created ${keys.length} shares x ${MAX_VIEWS} views in ` +
          `${(performance.now() - started).toFixed(0)} ms)`,
      );
      reveal = await revealScenario(hushTarget, keys, MAX_VIEWS, load);
      show(reveal);
    }

    const needsToken = ['secret-write', 'secret-read', 'token-lookup'] as const;
    const token = needsToken.some((s) => options.only.has(s)) ? await accessToken(hushUrl) : '';
    const floorTarget: Target | undefined = floorServer && { url: floorUrl, pid: floorServer.process.pid };
    let floorSeed: FloorSeed | undefined;
    if (floorTarget) {
      const started = performance.now();
      floorSeed = await seedFloor(floorUrl, options.only.has('secret-read') ? READ_POOL : 0);
      log(
        `  (seeded the secret floor: a token and ${floorSeed.ids.length} secrets in ` +
          `${(performance.now() - started).toFixed(0)} ms)`,
      );
    }
    const floor: { secretWrite?: SecretWriteResult; secretRead?: SecretReadResult } = {};

    let secretWrite: SecretWriteResult | undefined;
    if (options.only.has('secret-write')) {
      secretWrite = await secretWriteScenario(hushTarget, token, load);
      show(secretWrite);
      if (floorTarget && floorSeed) {
        floor.secretWrite = await secretWriteScenario(
          floorTarget,
          floorSeed.token,
          load,
          FLOOR_SECRET_ROUTES,
        );
        show(floor.secretWrite);
      }
    }

    let secretRead: SecretReadResult | undefined;
    if (options.only.has('secret-read')) {
      const started = performance.now();
      const ids = await createSecrets(hushUrl, token, READ_POOL);
      log(`  (pre-created ${ids.length} secrets in ${(performance.now() - started).toFixed(0)} ms)`);
      secretRead = await secretReadScenario(hushTarget, token, ids, load);
      show(secretRead);
      if (floorTarget && floorSeed) {
        floor.secretRead = await secretReadScenario(
          floorTarget,
          floorSeed.token,
          floorSeed.ids,
          load,
          FLOOR_SECRET_ROUTES,
        );
        show(floor.secretRead);
      }
    }

    let tokenLookup: LoadResult | undefined;
    if (options.only.has('token-lookup')) {
      tokenLookup = await tokenLookupScenario(hushTarget, token, load);
      show(tokenLookup);
    }

    let passphrase: PassphraseResult | undefined;
    if (options.only.has('passphrase-create')) {
      await measureArgon2();
      passphrase = await passphraseScenario(hushTarget, load, HEALTHZ);
      show(passphrase.create);
      show(passphrase.healthz);
      await measureArgon2();
    }

    let login: LoadResult | undefined;
    if (options.only.has('login')) {
      await measureArgon2('verify');
      login = await loginScenario(hushTarget, load);
      show(login);
      await measureArgon2('verify');
    }

    let bigBodies: BigBodiesResult | undefined;
    if (options.only.has('big-bodies')) {
      bigBodies = await bigBodiesScenario(root, hushTarget, load);
      show(bigBodies.idle);
      show(bigBodies.attack);
      show(bigBodies.healthz);
    }

    await measureRaw(2);
    echoRuns.push(await echoScenario(echoTarget, load, 'echo #2'));
    show(echoRuns[1] as LoadResult);

    const baselines: Baselines = {
      echo: echoRuns,
      argon2: argon2Runs,
      argon2Verify: argon2VerifyRuns,
      ...(raw ? { raw } : {}),
    };
    const verdicts: Verdict[] = [];
    if (create) verdicts.push(raw ? judgeVsRaw(create, baselines, 'create') : judgeVsEcho(create, baselines));
    if (reveal) verdicts.push(judgeReveal(reveal, baselines));
    if (passphrase) verdicts.push(judgePassphrase(passphrase, baselines));
    if (secretWrite) {
      const note = `${secretWrite.writesRequested} creates sent (warm-up included), each with a new name`;
      verdicts.push(
        judgeSecret(secretWrite, baselines, [note, ...floorNotes(secretWrite, floor.secretWrite)]),
      );
    }
    if (secretRead) {
      const note = `reads rotate through ${secretRead.secrets} pre-created secrets`;
      verdicts.push(judgeSecret(secretRead, baselines, [note, ...floorNotes(secretRead, floor.secretRead)]));
    }
    if (login) verdicts.push(judgeLogin(login, baselines));
    if (bigBodies) verdicts.push(judgeBigBodies(bigBodies));

    log('');
    if (raw) log(`backend: ${options.backend}`);
    log(
      formatReport({
        machine,
        baselines,
        verdicts,
        references: tokenLookup ? [tokenLookup] : [],
        floors: [floor.secretWrite, floor.secretRead].filter((r) => r !== undefined),
      }),
    );

    await mkdir(resultsDir, { recursive: true });
    const base = options.backend === 'sqlite' ? 'latest' : `latest-${options.backend}`;
    const file = path.join(resultsDir, options.profile ? `${base}-profiled.json` : `${base}.json`);
    const json = {
      date: new Date().toISOString(),
      profiled: options.profile,
      backend: options.backend,
      options: { ...options.load, only: [...options.only], healthz: HEALTHZ },
      machine,
      targets: TARGETS,
      results: {
        echo: echoRuns,
        raw,
        create,
        reveal,
        passphrase,
        argon2: argon2Runs,
        secretWrite,
        secretRead,
        floor: floorServer ? floor : undefined,
        login,
        argon2Verify: argon2VerifyRuns,
        tokenLookup,
        bigBodies,
      },
      verdicts,
    };
    await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
    formatForLint(file);
    log(`\nwrote ${path.relative(root, file)}`);
    return options.strict && verdicts.some((v) => !v.pass) ? 1 : 0;
  } finally {
    await stopAll();
    await destroyBackend();
    await removeTempDirs();
    if (options.profile) await showProfile(profileDir);
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

/**
 * bench/results/ is git-ignored, but `biome check .` still reads it: format the JSON the way biome
 * wants so that `npm run lint` stays green after a bench run. Best effort.
 */
function formatForLint(file: string): void {
  const biome = path.join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return;
  try {
    execFileSync(biome, ['format', '--write', file], { cwd: root, stdio: 'ignore' });
  } catch {
    // Formatting is cosmetic; the results are written either way.
  }
}

async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs) {
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

async function showProfile(dir: string): Promise<void> {
  const files = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')) : [];
  for (const f of files) {
    const file = path.join(dir, f);
    console.log(`\n${path.relative(root, file)}\n${formatProfile(summarizeProfile(file))}`);
  }
  if (files.length === 0) console.log(`\nno .cpuprofile was written to ${dir}`);
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
