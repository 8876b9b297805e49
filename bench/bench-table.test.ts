import { describe, expect, it } from 'vitest';
import { SIGN_IN } from '../src/http/body-budgets.js';
import type { BaselineRun, LoadRun } from './bench-types.js';
import { bigBodyRequests } from './big-body-scenario.js';
import { compareCpu } from './compare.js';
import { judgeRows } from './report.js';
import { SCENARIOS, selectRows } from './scenario-table.js';
import type { LoadResult } from './scenarios.js';

const result = (name: string, rps: number, cpu: number, p99 = 5): LoadResult => ({
  name,
  connections: 50,
  seconds: 10,
  rps,
  p50: 1,
  p90: 2,
  p99,
  max: p99,
  ok2xx: rps * 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodes: { 200: rps * 10 },
  serverCpuMsPerRequest: cpu,
  serverCores: (rps * cpu) / 1000,
});
const bare = (name: string, rps: number, cpu: number): BaselineRun => ({
  name,
  rps,
  load: { result: result(name, rps, cpu), counts: {} },
});

describe('the scenario table', () => {
  it('runs every row but the optional ones by default, in table order', () => {
    const names = selectRows(undefined).map((r) => r.name);
    expect(names).toEqual([
      'create',
      'reveal',
      'secret-write',
      'secret-read',
      'vault-kv-read',
      'passphrase-create',
      'login',
      'big-bodies',
    ]);
    expect(new Set(SCENARIOS.map((r) => r.name)).size).toBe(SCENARIOS.length);
  });

  it('--only picks rows by name, keeps table order and refuses unknown names', () => {
    expect(selectRows('reveal, token-lookup,create').map((r) => r.name)).toEqual([
      'create',
      'reveal',
      'token-lookup',
    ]);
    expect(() => selectRows('create,crate')).toThrow(/unknown scenario "crate"/);
  });

  it('judges each row that ran from its own bar, against the better of two baseline runs', () => {
    const rows = selectRows('create,token-lookup');
    const runs = new Map<string, LoadRun>([
      ['create', { result: result('create', 6000, 0.15), counts: {} }],
      ['token-lookup', { result: result('token-lookup', 9000, 0.08), counts: {} }],
    ]);
    const baselines = new Map([['echo', [bare('echo #1', 9000, 0.02), bare('echo #2', 12_000, 0.02)]]]);
    const [create, lookup] = judgeRows(rows, runs, baselines, 'sqlite');
    expect(create).toMatchObject({
      scenario: 'create',
      baseline: 'echo',
      baselineRps: 12_000,
      ratio: 0.5,
      pass: false,
    });
    expect(create?.target).toBe('>= 60% of echo, p99 <= 10 ms, 0 non-2xx');
    expect(lookup).toMatchObject({ scenario: 'token-lookup', reference: true, serverCpuMsPerRequest: 0.08 });
    const passing = judgeRows(
      rows.slice(0, 1),
      new Map([['create', { result: result('create', 7300, 0.15), counts: {} }]]),
      baselines,
      'sqlite',
    );
    expect(passing[0]?.pass).toBe(true);
  });
});

describe('big bodies', () => {
  it('sends a body of its full limit to every anonymous route, the sign-ins of machines and Vault too', () => {
    const requests = bigBodyRequests();
    const paths = new Set(requests.map((r) => `${r.method} ${r.path}`));
    for (const route of [
      'POST /api/v1/token/create',
      'POST /api/v1/machines/login',
      'POST /v1/auth/approle/login',
      'POST /v1/auth/userpass/login/nobody',
    ]) {
      expect(paths).toContain(route);
    }
    // A sign-in's whole limit, as the other sign-ins get.
    for (const path of [
      '/api/v1/machines/login',
      '/v1/auth/approle/login',
      '/v1/auth/userpass/login/nobody',
    ]) {
      expect(requests.find((r) => r.path === path)?.body?.length).toBe(SIGN_IN.bytes);
    }
  });
});

describe('--compare', () => {
  /** The layout written before issue 13: baseline runs under `results`. */
  const before = {
    verdicts: [
      { scenario: 'create', serverCpuMsPerRequest: 0.2 },
      { scenario: 'reveal', serverCpuMsPerRequest: 0.2 },
    ],
    results: { echo: [{ name: 'echo #1', serverCpuMsPerRequest: 0.02 }] },
  };
  /** The layout written since: baseline runs by name. */
  const latest = (create: number, reveal: number, echo: number) => ({
    verdicts: [
      { scenario: 'create', serverCpuMsPerRequest: create },
      { scenario: 'reveal', serverCpuMsPerRequest: reveal },
    ],
    baselines: { echo: [bare('echo #1', 9000, echo)] },
  });

  it('flags a hush figure more than 5% worse, and only that', () => {
    const rows = compareCpu(before, latest(0.2102, 0.2098, 0.02));
    expect(rows.find((r) => r.name === 'create')).toMatchObject({ kind: 'hush', worse: true });
    expect(rows.find((r) => r.name === 'reveal')).toMatchObject({ kind: 'hush', worse: false });
    expect(rows.find((r) => r.name === 'reveal')?.change).toBeCloseTo(0.049, 3);
  });

  it('reads the bare baselines of both layouts and never flags them', () => {
    const echo = compareCpu(before, latest(0.2, 0.2, 0.04)).find((r) => r.name === 'echo #1');
    expect(echo).toMatchObject({ kind: 'bare', before: 0.02, after: 0.04, worse: false });
  });
});
