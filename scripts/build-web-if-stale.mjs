#!/usr/bin/env node
// `npm start` runs this before serving: `vite build` has no incremental mode, so the page is rebuilt
// only when a file it was built from (the list vite.config.ts writes into dist/web), the Vite
// config or the lockfile changed since, or when dist/web is missing. Plain JS: tsx would cost ~0.3 s.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const INPUTS = path.join(root, 'dist/web/.build-inputs.json');
const ALWAYS = ['vite.config.ts', 'package-lock.json', 'package.json'];

/** Why the page must be rebuilt, or undefined when dist/web is up to date. */
function staleReason() {
  let list;
  try {
    statSync(path.join(root, 'dist/web/index.html'));
    list = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return 'no previous build';
  }
  for (const file of [...ALWAYS, ...list.inputs]) {
    let mtime;
    try {
      mtime = statSync(path.join(root, file)).mtimeMs;
    } catch {
      return `${file} is gone`;
    }
    // Against the build's start: a file saved while Vite ran counts as changed.
    if (mtime >= list.startedAt) return `${file} changed`;
  }
  return undefined;
}

const reason = staleReason();
if (reason === undefined) {
  process.stdout.write('web page: dist/web is up to date\n');
} else {
  process.stdout.write(`web page: building (${reason})\n`);
  const vite = path.join(root, 'node_modules/.bin/vite');
  const result = spawnSync(vite, ['build'], { cwd: root, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}
