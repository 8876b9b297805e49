import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, freePort, spawnNode, waitForHttp } from './processes.js';
import { accessToken, BENCH_ADMIN } from './secret-scenarios.js';
import { envWithoutHush } from './servers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A built hush serving, and an admin's access token to it. */
export interface BuiltHush {
  readonly hush: Child;
  readonly url: string;
  readonly token: string;
}

/**
 * Starts `node dist/main.js` (the build users run) on a free port with its data in `workDir`,
 * production logging to /dev/null and the bench admin, waits until it answers and signs in.
 * `env` adds settings; the caller's own HUSH_* variables never reach it.
 */
export async function startBuiltHush(workDir: string, env: Record<string, string> = {}): Promise<BuiltHush> {
  const main = path.join(root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build`');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const hush = spawnNode({
    name: 'hush',
    args: [main],
    cwd: workDir,
    env: {
      ...envWithoutHush(),
      HUSH_HOST: '127.0.0.1',
      HUSH_PORT: String(port),
      HUSH_DATA_DIR: path.join(workDir, 'data'),
      HUSH_LOG_LEVEL: 'info',
      HUSH_BOOTSTRAP_ADMIN_USERNAME: BENCH_ADMIN.username,
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
      ...env,
    },
    stdout: 'null',
  });
  await waitForHttp(hush, `${url}/healthz`);
  return { hush, url, token: await accessToken(url) };
}
