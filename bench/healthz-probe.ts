import autocannon from 'autocannon';
import { summarize } from './scenarios.js';

/**
 * GET /healthz at a fixed rate for a while, from its own process so that the load generator's
 * own work never shows up as hush's latency; prints one LoadResult as JSON.
 * Usage: healthz-probe.ts <url> <seconds> <connections> <rate> <name>
 */
const [url = '', seconds = '10', connections = '10', rate = '100', name = 'healthz'] = process.argv.slice(2);
const options = {
  url: `${url}/healthz`,
  headers: { 'user-agent': 'hush-bench/1' },
  connections: Number(connections),
  overallRate: Number(rate),
};
// One discarded second first: this process's own JIT and connection setup are not hush's latency.
await autocannon({ ...options, duration: 1 });
const result = await autocannon({ ...options, duration: Number(seconds) });
process.stdout.write(JSON.stringify(summarize(name, result)));
