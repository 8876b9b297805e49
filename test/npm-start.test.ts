import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './servers/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const START = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;

const dirs: string[] = [];
const left: number[] = [];
afterEach(() => {
  for (const pid of left.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process below `pid` (from /proc: parent ids), so a server npm started can be found by pid. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/**
 * A package whose `start` script is this repository's, in a temporary directory. Its dist/main.js
 * runs src/main.ts through tsx in place of the build (which `prestart` makes, and which a test run
 * must not rewrite under other tests): what is checked is how npm runs `start` and passes signals on.
 */
function startPackage(): string {
  const app = mkdtempSync(path.join(tmpdir(), 'hush-npm-start-'));
  dirs.push(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'hush-start-check', private: true, type: 'module', scripts: { start: START } }),
  );
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));
  mkdirSync(path.join(app, 'dist'));
  const main = pathToFileURL(path.join(ROOT, 'src/main.ts')).href;
  writeFileSync(
    path.join(app, 'dist/main.js'),
    `import { register } from 'tsx/esm/api';\nregister();\nawait import(${JSON.stringify(main)});\n`,
  );
  return app;
}

describe('npm start', () => {
  it('stops the server when npm itself gets SIGTERM: no `node dist/main.js` is left holding the port', async () => {
    const app = startPackage();
    const data = path.join(app, 'data');
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? app,
        npm_config_update_notifier: 'false',
        HUSH_DATA_DIR: data,
        HUSH_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = npm.pid as number;
    left.push(pid);
    let output = '';
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start did not serve within 30 s:\n${output}`)),
        30_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('hush is listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      npm.stdout.on('data', onData);
      npm.stderr.on('data', onData);
    });
    const below = descendants(pid);
    left.push(...below);
    expect(below.length).toBeGreaterThan(0);

    npm.kill('SIGTERM');
    const code = await exited;
    // npm has exited; whatever it started must be gone with it (a live server would keep the port).
    for (let i = 0; i < 50 && below.some(alive); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(below.filter(alive)).toEqual([]);
    expect(await refused(port)).toBe(true);
    // The server drained and exited 0, and npm reports its exit code.
    expect(output).toContain('shutdown complete');
    expect(code).toBe(0);
  }, 60_000);
});
