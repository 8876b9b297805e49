import path from 'node:path';
import type { Backend, BackendServers } from './backend-servers.js';
import type { Servers } from './bench-types.js';
import { type Child, freePort, spawnNode, waitForHttp } from './processes.js';
import { CREATE_BODY } from './scenarios.js';
import { BENCH_ADMIN } from './secret-scenarios.js';

/** The parent's environment without any HUSH_* (hush rejects unknown ones; a stray one would skew it). */
export const envWithoutHush = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUSH_')));

/**
 * Starts hush (`node dist/main.js`, production logging to /dev/null, fresh data dir) and the bare
 * servers beside it, each its own process: the echo, the raw-query server on PostgreSQL / Redis,
 * and the secret floor on SQLite when `floor` (it runs hush's SQLite statements on its own file).
 * Resolves once every one answers.
 */
export async function startServers(input: {
  root: string;
  workDir: string;
  backend: Backend;
  storage: BackendServers;
  floor: boolean;
  /** Extra node arguments for hush (--cpu-prof). */
  hushArgs: readonly string[];
}): Promise<Servers & { describe: string }> {
  const { root, workDir, storage } = input;
  const [echoPort, hushPort, rawPort, floorPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const script = (name: string, file: string, ...args: string[]) =>
    spawnNode({
      name,
      args: ['--import', 'tsx', path.join(root, 'bench', file), ...args],
      cwd: root,
      env: envWithoutHush(),
      stdout: 'null',
    });
  const echo = script('echo server', 'echo-server.ts', String(echoPort));
  const raw =
    storage.raw &&
    script(
      `raw ${storage.raw.backend} baseline server`,
      'raw-query-server.ts',
      String(rawPort),
      storage.raw.backend,
      storage.raw.url,
    );
  const floor =
    input.floor && input.backend === 'sqlite'
      ? script(
          'secret floor server',
          'secret-floor-server.ts',
          String(floorPort),
          path.join(workDir, 'floor', 'floor.db'),
        )
      : undefined;
  const hush = spawnNode({
    name: 'hush',
    args: [...input.hushArgs, path.join(root, 'dist', 'main.js')],
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
      ...storage.hushEnv,
    },
    stdout: 'null',
  });
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const postCreate = { method: 'POST', headers: { 'content-type': 'application/json' }, body: CREATE_BODY };
  await Promise.all([
    waitForHttp(echo, `${url(echoPort)}/echo`, postCreate),
    waitForHttp(hush, `${url(hushPort)}/healthz`),
    raw && waitForHttp(raw, `${url(rawPort)}/create`, postCreate),
    // Answers 2xx once the file is migrated; seeds a spare admin (count 0), harmless.
    floor &&
      waitForHttp(floor, `${url(floorPort)}/seed`, { ...postCreate, body: JSON.stringify({ count: 0 }) }),
  ]);
  const target = (child: Child | undefined, port: number) =>
    child && { url: url(port), pid: child.process.pid };
  const line = (name: string, child: Child | undefined, port: number) =>
    child ? `${name} ${url(port)} (pid ${child.process.pid})` : undefined;
  return {
    hush: { url: url(hushPort), pid: hush.process.pid },
    echo: { url: url(echoPort), pid: echo.process.pid },
    raw: target(raw, rawPort),
    floor: target(floor, floorPort),
    describe: [
      line('hush', hush, hushPort),
      line('echo', echo, echoPort),
      line('raw-query baseline', raw, rawPort),
      line('secret floor', floor, floorPort),
    ]
      .filter(Boolean)
      .join(', '),
  };
}
