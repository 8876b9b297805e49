import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBuiltHush } from './built-hush.js';
import { killAllNow, stopAll } from './processes.js';
import { authorized } from './secret-scenarios.js';

/**
 * Files in and out without holding them (issue 15, "its RSS grows by under 50 MB while a 1 GiB file
 * goes in and out"): a real hush (`node dist/main.js`, SQLite in a temporary data directory, or
 * PostgreSQL with --database-url) takes a 1 GiB stream in 1 MiB parts, attaches it to a share,
 * reveals it and streams it back; the server's RSS (/proc/<pid>/status VmRSS) is sampled every
 * 50 ms throughout. Growth = peak during the transfer - the idle RSS after a 16 MiB warm-up round
 * trip (the RSS at start is reported too). The downloaded stream must hash the same as the uploaded one.
 *
 *   npm run bench:files          # = npm run build && node --import tsx bench/file-rss.ts [--mib 1024]
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PART = 1024 * 1024;
const BAR_MB = 50;

const rssOf = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
};
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Part n of the stream: a random block, stamped with its index so no two parts are alike. */
const partOf = (block: Buffer, n: number, size: number) => {
  const part = Buffer.from(block.subarray(0, size));
  if (size >= 8) part.writeUInt32BE(n, 0);
  return part;
};

/** Uploads `mib` MiB, creates a share with it, reveals and downloads it; returns both hashes. */
async function roundTrip(url: string, mib: number) {
  const bytes = mib * PART;
  const block = randomBytes(PART);
  const up = await fetch(`${url}/api/v1/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ bytes }),
  });
  const upload = (await up.json()) as { upload_id: string; upload_key: string };
  if (up.status !== 201) throw new Error(`upload refused: ${up.status} ${JSON.stringify(upload)}`);
  const sent = createHash('sha256');
  for (let n = 0; n < mib; n++) {
    const part = partOf(block, n, PART);
    sent.update(part);
    const res = await fetch(`${url}/api/v1/uploads/${upload.upload_id}/parts/${n}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'hush-upload-key': upload.upload_key },
      body: new Uint8Array(part),
    });
    if (res.status !== 204) throw new Error(`part ${n}: ${res.status} ${await res.text()}`);
  }
  const created = await fetch(`${url}/api/v1/shares`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: 'bench', upload: { id: upload.upload_id, key: upload.upload_key } }),
  });
  const share = (await created.json()) as { secret_key: string };
  const revealed = await fetch(`${url}/api/v1/shares/${share.secret_key}/reveal`, { method: 'POST' });
  const { files } = (await revealed.json()) as { files: { download_key: string; bytes: number } };
  const download = await fetch(`${url}/api/v1/downloads/${files.download_key}`, { method: 'POST' });
  if (download.status !== 200 || !download.body) throw new Error(`download: ${download.status}`);
  const got = createHash('sha256');
  let received = 0;
  for await (const chunk of download.body) {
    got.update(chunk);
    received += chunk.length;
  }
  if (received !== bytes) throw new Error(`downloaded ${received} of ${bytes} bytes`);
  return { sent: sent.digest('hex'), got: got.digest('hex') };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { mib: { type: 'string', default: '1024' }, 'database-url': { type: 'string' } },
  });
  const mib = Number(values.mib);
  const workDir = await mkdtemp(path.join(tmpdir(), 'hush-bench-files-'));
  try {
    const { hush, url, token } = await startBuiltHush(workDir, {
      HUSH_RATE_LIMIT_MAX: '0',
      ...(values['database-url'] && { HUSH_DATABASE_URL: values['database-url'] }),
    });
    const pid = hush.process.pid as number;
    const set = await fetch(`${url}/api/v1/sys/setting`, {
      method: 'POST',
      headers: authorized(token),
      body: JSON.stringify({ key: 'shares.max_file_bytes', value: 1024 * PART }),
    });
    if (set.status !== 200) throw new Error(`setting refused: ${set.status} ${await set.text()}`);

    // Warm-up: the code paths, the JIT and the allocator's first arenas; then the idle figure.
    const fresh = rssOf(pid);
    await roundTrip(url, 16);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = rssOf(pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 50);
    const started = performance.now();
    const hashes = await roundTrip(url, mib);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));
    if (hashes.sent !== hashes.got) throw new Error('the downloaded stream differs from the uploaded one');
    const growth = peak - idle;
    const pass = growth < BAR_MB * 1e6;
    console.log(
      `files: ${mib} MiB up and down in ${seconds.toFixed(1)} s (${((2 * mib) / seconds).toFixed(0)} MiB/s both ways), ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    console.log(
      `server RSS: at start ${mb(fresh)}, idle after the warm-up ${mb(idle)}, peak ${mb(peak)}, growth ${mb(growth)} ` +
        `(${mb(peak - fresh)} over the start)`,
    );
    console.log(`bar: growth < ${BAR_MB} MB: ${pass ? 'PASS' : 'MISS'}`);
    const resultsDir = path.join(root, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, 'file-rss.json');
    const backend = values['database-url'] ? 'postgres' : 'sqlite';
    await writeFile(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), backend, mib, seconds, fresh, idle, peak, growth, pass, loadavg: loadavg(), node: process.version }, null, 2)}\n`,
    );
    console.log(`wrote ${path.relative(root, file)}`);
    return pass ? 0 : 1;
  } finally {
    await stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
}

process.on('exit', killAllNow);
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
