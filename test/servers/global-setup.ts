import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';
import { startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance-database URL of the shared throwaway PostgreSQL; make a database per test. */
    postgresUrl: string;
    /** URL of the shared throwaway Redis; isolate tests by key prefix. */
    redisUrl: string;
  }
}

/**
 * `npm test` runs every backend: one PostgreSQL and one Redis for the whole run, on loopback and
 * free ports, stopped at the end. Missing binaries fail the run with the package to install.
 */
export default async function setup(project: TestProject) {
  const [postgres, redis] = await Promise.allSettled([startPostgresServer(), startRedisServer()]);
  const destroy = async () => {
    await Promise.all(
      [postgres, redis].map((server) => (server.status === 'fulfilled' ? server.value.destroy() : undefined)),
    );
  };
  if (postgres.status === 'rejected' || redis.status === 'rejected') {
    await destroy();
    throw [postgres, redis].map((s) => (s.status === 'rejected' ? s.reason : undefined)).find(Boolean);
  }
  project.provide('postgresUrl', postgres.value.url());
  project.provide('redisUrl', redis.value.url);
  return destroy;
}
