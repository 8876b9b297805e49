import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newMasterKey, post, type Reply } from './helpers/load.js';
import { type NodeStorage, nodeStorageEnv, startedOn } from './helpers/node-storage.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { tempDirs } from './helpers/temp-dirs.js';

/**
 * The token rules as a matrix, on two real server processes sharing one deployment's storage:
 * every token is issued by one node and presented to the other, so a rule that held only in one
 * process's memory would fail here. Clients stand at addresses given by X-Forwarded-For, which
 * the nodes trust from loopback.
 */

const ADMIN = { username: 'matrix-admin', password: 'matrix admin password 0123' };
const HERE = '10.1.2.3';
const ELSEWHERE = '192.0.2.99';

interface Tokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

interface Nodes {
  /** The issuing node and the other one. */
  readonly a: string;
  readonly b: string;
}

const from = (ip: string, token?: string) => ({
  'x-forwarded-for': ip,
  ...(token && { authorization: `Bearer ${token}` }),
});
const lookup = (url: string, token: string, ip = HERE) =>
  call('GET', `${url}/api/v1/token/lookup-self`, { headers: from(ip, token) });

async function signIn(url: string, extra: Record<string, unknown> = {}, ip = HERE): Promise<Tokens> {
  const reply = await post(
    `${url}/api/v1/token/create`,
    { grant_type: 'password', ...ADMIN, ...extra },
    { headers: from(ip) },
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as unknown as Tokens;
}

const statuses = (replies: readonly Reply[]) => replies.map((reply) => reply.status);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Rule {
  readonly rule: string;
  /** Issues on node a, acts on either; resolves with the statuses seen on node b afterwards. */
  readonly run: (nodes: Nodes) => Promise<unknown>;
  readonly expected: unknown;
}

const RULES: readonly Rule[] = [
  {
    rule: 'a valid token works on both nodes',
    async run({ a, b }) {
      const t = await signIn(a);
      return statuses([await lookup(a, t.access_token), await lookup(b, t.access_token)]);
    },
    expected: [200, 200],
  },
  {
    rule: 'expired: a 1-second token is refused after its TTL',
    async run({ a, b }) {
      const t = await signIn(a, { ttl_seconds: 1 });
      const before = await lookup(b, t.access_token);
      await sleep(1_300);
      return statuses([before, await lookup(b, t.access_token), await lookup(a, t.access_token)]);
    },
    expected: [200, 401, 401],
  },
  {
    rule: 'max TTL: renewal cannot carry a session past it',
    async run({ a, b }) {
      const t = await signIn(a, { max_ttl_seconds: 1 });
      await sleep(1_300);
      const renew = await post(
        `${b}/api/v1/token/renew`,
        { refresh_token: t.refresh_token },
        { headers: from(HERE) },
      );
      return statuses([renew, await lookup(b, t.access_token)]);
    },
    expected: [400, 401],
  },
  {
    rule: 'revoked on one node: refused on the other at once',
    async run({ a, b }) {
      const t = await signIn(a);
      const ok = await lookup(b, t.access_token);
      const revoke = await post(`${a}/api/v1/token/revoke`, { revoke_token: t.access_token });
      return statuses([ok, revoke, await lookup(b, t.access_token), await lookup(a, t.access_token)]);
    },
    expected: [200, 200, 401, 401],
  },
  {
    rule: 'wrong IP: a token bound to networks is refused elsewhere',
    async run({ a, b }) {
      const t = await signIn(a, { bound_cidrs: ['10.0.0.0/8'] });
      return statuses([await lookup(b, t.access_token, HERE), await lookup(b, t.access_token, ELSEWHERE)]);
    },
    expected: [200, 401],
  },
  {
    rule: 'wrong IP: bind_ip binds to the signing-in address, refresh included',
    async run({ a, b }) {
      const t = await signIn(a, { bind_ip: true }, HERE);
      const renewElsewhere = await post(
        `${b}/api/v1/token/renew`,
        { refresh_token: t.refresh_token },
        { headers: from(ELSEWHERE) },
      );
      return statuses([
        await lookup(b, t.access_token, HERE),
        await lookup(b, t.access_token, ELSEWHERE),
        renewElsewhere,
      ]);
    },
    expected: [200, 401, 400],
  },
  {
    rule: 'uses exhausted: 5 of 24 concurrent uses across both nodes succeed',
    async run({ a, b }) {
      const t = await signIn(a, { max_uses: 5 });
      const replies = await Promise.all(
        Array.from({ length: 24 }, (_, i) => lookup(i % 2 ? a : b, t.access_token)),
      );
      return {
        ok: replies.filter((r) => r.status === 200).length,
        refused: replies.filter((r) => r.status === 401).length,
      };
    },
    expected: { ok: 5, refused: 19 },
  },
  {
    rule: 'one-time token (max_uses 1)',
    async run({ a, b }) {
      const t = await signIn(a, { max_uses: 1 });
      return statuses([await lookup(b, t.access_token), await lookup(a, t.access_token)]);
    },
    expected: [200, 401],
  },
  {
    rule: 'refresh reuse: the rotated token revokes the whole session',
    async run({ a, b }) {
      const t = await signIn(a);
      const renewed = await post(
        `${a}/api/v1/token/renew`,
        { refresh_token: t.refresh_token },
        { headers: from(HERE) },
      );
      const next = renewed.body as unknown as Tokens;
      const reuse = await post(
        `${b}/api/v1/token/renew`,
        { refresh_token: t.refresh_token },
        { headers: from(HERE) },
      );
      return statuses([
        renewed,
        reuse,
        await lookup(b, next.access_token),
        await post(`${a}/api/v1/token/renew`, { refresh_token: next.refresh_token }, { headers: from(HERE) }),
      ]);
    },
    expected: [200, 400, 401, 400],
  },
  {
    rule: 'concurrent renewals: exactly one succeeds',
    async run({ a, b }) {
      const t = await signIn(a);
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          post(
            `${i % 2 ? a : b}/api/v1/token/renew`,
            { refresh_token: t.refresh_token },
            { headers: from(HERE) },
          ),
        ),
      );
      return replies.filter((r) => r.status === 200).length;
    },
    expected: 1,
  },
];

const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres', 'redis'];

describe.each(BACKENDS)('token rules on two nodes (%s)', (backend) => {
  const dirs = tempDirs('hush-token-matrix-');
  const servers: ServerProcess[] = [];
  let nodes: Nodes;

  beforeAll(async () => {
    const common = {
      HUSH_RATE_LIMIT_MAX: '0',
      HUSH_LOG_LEVEL: 'info',
      HUSH_TRUST_PROXY: '127.0.0.1',
      HUSH_BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      ...(await nodeStorageEnv(backend)),
    };
    const shared: Record<string, string> =
      backend === 'sqlite' ? { HUSH_DATA_DIR: dirs.make() } : { HUSH_MASTER_KEY: newMasterKey() };
    for (let i = 0; i < 2; i++) {
      servers.push(await startServerProcess({ HUSH_DATA_DIR: dirs.make(), ...common, ...shared }));
    }
    for (const server of servers)
      expect(startedOn(server.output())).toBe(backend === 'redis' ? 'redis' : backend);
    nodes = { a: servers[0]?.url ?? '', b: servers[1]?.url ?? '' };
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    dirs.cleanup();
  });

  it.each(RULES)('$rule', async ({ run, expected }) => {
    expect(await run(nodes)).toEqual(expected);
  });

  it('a deleted account’s tokens stop working on every node', async () => {
    const admin = await signIn(nodes.a);
    const created = await post(
      `${nodes.a}/api/v1/users/create`,
      { username: 'leaver', role: 'user', password: 'leaver password 0123' },
      { headers: from(HERE, admin.access_token) },
    );
    expect(created.status).toBe(201);
    const reply = await post(
      `${nodes.b}/api/v1/token/create`,
      { grant_type: 'password', username: 'leaver', password: 'leaver password 0123' },
      { headers: from(HERE) },
    );
    const leaver = reply.body as unknown as Tokens;
    expect((await lookup(nodes.a, leaver.access_token)).status).toBe(200);
    const deleted = await post(`${nodes.b}/api/v1/users/leaver/delete`, undefined, {
      headers: from(HERE, admin.access_token),
    });
    expect(deleted.status).toBe(204);
    expect((await lookup(nodes.a, leaver.access_token)).status).toBe(401);
  });
});
