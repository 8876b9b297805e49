import path from 'node:path';
import type autocannon from 'autocannon';
import { BODY_LIMITS, liveBodyBytes } from '../src/http/body-limits.js';
import type { SettingsReader } from '../src/settings/setting-definitions.js';
import type { LoadRun, Verdict } from './bench-types.js';
import { runNode } from './processes.js';
import { fmt } from './report.js';
import { JSON_HEADERS, type LoadOptions, type LoadResult, type LoadSpec, type Target } from './scenarios.js';

/** The bar's figures: 20 clients sending maximum-size bodies, /healthz p99 at most 20 ms meanwhile. */
export const BIG_BODY_CLIENTS = 20;
export const MAX_HEALTHZ_P99_UNDER_BIG_BODIES_MS = 20;

/** A made-up share key: the routes that take one answer 404 after the body has been dealt with. */
const KEY = 'A'.repeat(43);

/**
 * Every route that takes a body without signing in (BODY_LIMITS key, and the path to send to). The
 * body-limit tables do not say which routes sign in, so this list is kept by hand: a route added
 * here must have a limit (bigBodyRequests throws otherwise). Vault's PUT twins share their POST's
 * handler and limit.
 */
const ANONYMOUS_ROUTES = [
  ['POST /api/v1/shares', '/api/v1/shares'],
  ['POST /api/v1/shares/:secretKey/reveal', `/api/v1/shares/${KEY}/reveal`],
  ['DELETE /api/v1/shares/:secretKey', `/api/v1/shares/${KEY}`],
  ['POST /api/v1/receipts/:receiptKey/burn', `/api/v1/receipts/${KEY}/burn`],
  ['POST /api/secret', '/api/secret'],
  ['DELETE /api/secret/:secretKey', `/api/secret/${KEY}`],
  ['POST /generate', '/generate'],
  ['POST /secrets/:secretKey', `/secrets/${KEY}`],
  ['POST /api/v1/token/create', '/api/v1/token/create'],
  ['POST /api/v1/token/renew', '/api/v1/token/renew'],
  ['POST /api/v1/token/revoke', '/api/v1/token/revoke'],
  ['POST /api/v1/auth/github/exchange', '/api/v1/auth/github/exchange'],
  ['POST /api/v1/machines/login', '/api/v1/machines/login'],
  ['POST /v1/auth/approle/login', '/v1/auth/approle/login'],
  ['POST /v1/auth/userpass/login/:username', '/v1/auth/userpass/login/nobody'],
] as const;

/** The settings hush starts with (the bench changes none). */
const DEFAULTS: SettingsReader = {
  get: ((key: string) => ({ 'shares.max_bytes': 64 * 1024, 'secrets.max_bytes': 64 * 1024 })[key]) as never,
};

/** The attack at a route's full size: one JSON object of as many keys as fit in `bytes`. */
function manyKeys(bytes: number): string {
  const parts: string[] = [];
  let length = 2;
  for (let i = 0; ; i++) {
    const part = `"k${i}":1`;
    if (length + part.length + 1 > bytes) break;
    parts.push(part);
    length += part.length + 1;
  }
  return `{${parts.join(',')}}`.padEnd(bytes, ' ');
}

/**
 * The largest legitimate share: shares.max_bytes of text, every character sent as a \u escape
 * (seed 002's route needs a passphrase, hashed with Argon2id off the event loop).
 */
const maxShare = (route: string) =>
  JSON.stringify({
    secret: '\u0001'.repeat(64 * 1024),
    ttl_seconds: 60,
    ...(route.endsWith('/generate') && { passphrase: 'p' }),
  });

/** For each anonymous route: its whole limit filled with keys; and the largest real shares. */
export function bigBodyRequests(): autocannon.Request[] {
  const requests: autocannon.Request[] = [];
  for (const [route, url] of ANONYMOUS_ROUTES) {
    const limit = BODY_LIMITS[route];
    if (!limit) throw new Error(`no body limit for ${route}`);
    const bytes = liveBodyBytes(limit, DEFAULTS);
    const method = route.split(' ')[0] as 'POST' | 'DELETE';
    // (Bodies over the limit are refused from their Content-Length with the connection closed, which
    // autocannon cannot keep cycling through; test/body-limits.test.ts covers them.)
    requests.push({ method, path: url, headers: JSON_HEADERS, body: manyKeys(bytes) });
    if (route.endsWith('/shares') || route.endsWith('/secret') || route.endsWith('/generate')) {
      requests.push({ method, path: url, headers: JSON_HEADERS, body: maxShare(route) });
    }
  }
  return requests;
}

/** /healthz from its own process (see healthz-probe.ts): the idle probe is the row's baseline. */
export async function probe(root: string, hush: Target, seconds: number, name: string): Promise<LoadResult> {
  const out = await runNode({
    name: 'healthz probe',
    args: [
      '--import',
      'tsx',
      path.join(root, 'bench', 'healthz-probe.ts'),
      hush.url,
      String(seconds),
      '10',
      '100',
      name,
    ],
    cwd: root,
    env: process.env,
  });
  return JSON.parse(out) as LoadResult;
}

/**
 * 20 clients send maximum-size bodies to every route that needs no sign-in: the attack bodies of
 * the issue (as many keys as fit in each route's limit) and the largest legitimate shares (every
 * character escaped), with /healthz probed meanwhile. Non-2xx answers are the point here. The probe
 * starts after the warm-up (JIT, connections), inside the attack, and ends before it.
 */
export const bigBodiesRequest = (root: string, hush: Target, load: LoadOptions): LoadSpec => ({
  name: 'big bodies (20 clients)',
  options: {
    url: hush.url,
    requests: bigBodyRequests(),
    connections: BIG_BODY_CLIENTS,
    duration: load.durationSeconds + load.warmupSeconds,
    timeout: 30,
  },
  warmup: 'inside',
  beside: async () => {
    await new Promise((resolve) => setTimeout(resolve, load.warmupSeconds * 1000));
    return probe(root, hush, load.durationSeconds - 1, 'healthz (during big bodies)');
  },
});

/** The bar: /healthz p99 while the bodies arrive, against /healthz idle in the same run. */
export function judgeBigBodies(run: LoadRun, idle: LoadResult): Verdict {
  const { result: attack } = run;
  const healthz = run.beside;
  if (!healthz) throw new Error('big-bodies ran without its /healthz probe');
  const codes = Object.entries(attack.statusCodes)
    .map(([code, count]) => `${count} × ${code}`)
    .join(', ');
  return {
    scenario: 'healthz during big bodies',
    rps: healthz.rps,
    p50: healthz.p50,
    p99: healthz.p99,
    non2xx: healthz.non2xx,
    // What hush spends per big body answered (the probe's 100 req/s are a small part of it).
    serverCpuMsPerRequest: attack.serverCpuMsPerRequest,
    baseline: 'none',
    baselineRps: idle.rps,
    ratio: Number.NaN,
    comparison: `idle p99 ${idle.p99} ms`,
    target: `/healthz p99 <= ${MAX_HEALTHZ_P99_UNDER_BIG_BODIES_MS} ms, 0 non-2xx`,
    pass:
      healthz.p99 <= MAX_HEALTHZ_P99_UNDER_BIG_BODIES_MS &&
      healthz.non2xx + healthz.errors + healthz.timeouts === 0,
    notes: [
      `${BIG_BODY_CLIENTS} clients sent ${fmt(attack.rps + attack.non2xx / attack.seconds)} bodies/s ` +
        `(${codes}; ${attack.errors} errors), server CPU ${attack.serverCores?.toFixed(2) ?? '?'} cores`,
      `/healthz idle: p50 ${idle.p50} ms, p99 ${idle.p99} ms; during: p50 ${healthz.p50} ms, p99 ${healthz.p99} ms, ` +
        `max ${healthz.max} ms (${healthz.errors} errors, ${healthz.timeouts} timeouts)`,
    ],
  };
}
