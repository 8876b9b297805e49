import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type Daemon, startDaemon } from './daemon.js';
import { freePort, waitFor } from './free-port.js';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** The data directory (`--dir`): the append-only files, and dump.rdb after a SAVE. */
  readonly dir: string;
  /** SHUTDOWN by SIGTERM: with `persistent`, the append-only file keeps every acknowledged write. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

const MISSING =
  'redis-server was not found on PATH. Install the Debian package: apt-get install -y redis-server';

export function findRedisServer(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'redis-server'))) return path.join(dir, 'redis-server');
  }
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  throw new Error(MISSING);
}

/**
 * A throwaway Redis on 127.0.0.1 and a free port, data in a temporary directory. `persistent`
 * turns on the append-only file with fsync on every write, as production should run it.
 */
export async function startRedisServer(options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--daemonize',
    'no',
    ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  const url = `redis://127.0.0.1:${port}`;
  let daemon: Daemon | undefined;
  const start = async () => {
    const started = startDaemon(binary, args);
    daemon = started;
    await waitFor('Redis', async () => {
      if (started.child.exitCode !== null) throw new Error(`redis-server exited:\n${started.output()}`);
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    });
  };
  await start();
  return {
    port,
    url,
    dir,
    stop: async () => daemon?.stop('SIGTERM'),
    restart: start,
    async destroy() {
      await daemon?.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
