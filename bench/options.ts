import { parseArgs } from 'node:util';
import { BACKENDS, type Backend } from './backend-servers.js';
import { SCENARIOS } from './scenario-table.js';
import type { LoadOptions } from './scenarios.js';

const scenarioList = SCENARIOS.map(
  (r) => `                    ${r.name}${r.optional ? ' (only with --only)' : ''}: ${r.what}`,
);

export const USAGE = `usage: npm run bench -- [options]

  --backend B       sqlite (default), postgres or redis: where hush keeps shares. postgres and redis
                    start throwaway servers and add raw-query baselines (INSERT / DELETE … RETURNING,
                    SET … PX / GETDEL) that create and reveal are judged against
  --duration S      measured seconds per scenario (default 10)
  --warmup S        discarded warm-up seconds per scenario (default 2)
  --connections N   autocannon connections (default 50, the bar's figure)
  --only LIST       comma-separated rows of the scenario table (bench/scenario-table.ts), default
                    all but the optional ones; their baselines run with them (echo always):
${scenarioList.join('\n')}
  --compare FILE    after the run, each scenario's server CPU per request against FILE (a results
                    JSON, e.g. bench/results/baseline-issue-13-sqlite.json); flags any > 5% worse
  --profile         run hush under \`node --cpu-prof\` and summarize the profile (slows hush down:
                    use it to find out why, not to report numbers)
  --strict          exit 1 when a target is missed or --compare flags a figure
  --help            print this`;

export interface BenchOptions {
  readonly load: LoadOptions;
  readonly only: string | undefined;
  readonly backend: Backend;
  readonly compare: string | undefined;
  readonly profile: boolean;
  readonly strict: boolean;
}

export function parseOptions(args: readonly string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      only: { type: 'string' },
      backend: { type: 'string', default: 'sqlite' },
      compare: { type: 'string' },
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
  return {
    load: {
      durationSeconds: number('duration', values.duration, 1),
      warmupSeconds: number('warmup', values.warmup, 0),
      connections: Math.round(number('connections', values.connections, 1)),
    },
    only: values.only,
    backend: values.backend as Backend,
    compare: values.compare,
    profile: values.profile,
    strict: values.strict,
  };
}
