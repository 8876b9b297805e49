import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/cli-errors.js';
import { EXPORT_USAGE, runExportCommand } from '../src/cli/export-command.js';
import { IMPORT_USAGE, runImportCommand } from '../src/cli/import-command.js';
import { RUN_USAGE, runRunCommand } from '../src/cli/run-command.js';
import { memoryIo } from './helpers/cli-io.js';
import { runHush } from './helpers/cli-process.js';
import { freePort } from './servers/free-port.js';

/**
 * What `hush run`, `export` and `import` decide before, or without, a server: usage, input and
 * sign-in refusals, and an unreachable server. (With a server: test/cli-run.test.ts.)
 */
let dir: string;
/** No saved login: an empty config directory, whatever the developer running this has. */
let noLogin: Record<string, string>;
const TOKEN = 'hush_at_not-a-real-token-but-well-formed';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-run-usage-'));
  noLogin = { HUSH_CONFIG_DIR: path.join(dir, 'config') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Command = (args: readonly string[], io: ReturnType<typeof memoryIo>) => Promise<number>;
const call = async (command: Command, args: string[], env: Record<string, string> = {}, input = '') => {
  const io = memoryIo({ env: { ...noLogin, ...env }, input });
  const code = await command(args, io);
  return { code, out: io.out(), err: io.err() };
};

describe('--help', () => {
  it('each command prints its usage on stdout, exit 0, also through hush help', async () => {
    for (const [command, run, usage] of [
      ['run', runRunCommand, RUN_USAGE],
      ['export', runExportCommand, EXPORT_USAGE],
      ['import', runImportCommand, IMPORT_USAGE],
    ] as const) {
      expect(await call(run, ['--help'])).toEqual({ code: 0, out: usage, err: '' });
      expect(usage).toMatch(new RegExp(`^usage: hush ${command} `));
    }
    // run's --help belongs to the command after --.
    expect((await call(runRunCommand, ['--secret', 'a', '--', 'ls', '--help'])).err).toMatch(/not signed in/);
    const viaHelp = await runHush(['help', 'run']);
    expect(viaHelp).toEqual({ code: 0, stdout: RUN_USAGE, stderr: '' });
    const listed = await runHush(['--help']);
    expect(listed.stdout).toMatch(/^ {2}run --secret <name>\[,…\] -- <command…>$/m);
    expect(listed.stdout).toMatch(/^ {2}machine create\|list\|show\|delete\|secret-id$/m);
  });
});

describe('hush run refusals (exit 2 unless said)', () => {
  it('needs the command after --, and --secret', async () => {
    const after = 'hush: the command goes after --: hush run --secret <name> -- <command>\n';
    expect(await call(runRunCommand, ['--secret', 'a', 'printenv'])).toEqual({
      code: 2,
      out: '',
      err: after,
    });
    expect(await call(runRunCommand, ['--secret', 'a', '--'])).toEqual({ code: 2, out: '', err: after });
    expect(await call(runRunCommand, ['--', 'printenv'])).toEqual({
      code: 2,
      out: '',
      err: 'hush: --secret is needed (see hush run --help)\n',
    });
    expect((await call(runRunCommand, ['--json', '--secret', 'a', '--', 'ls'])).err).toMatch(
      /^hush: Unknown option '--json'/,
    );
  });

  it('checks secret names before signing in', async () => {
    expect(await call(runRunCommand, ['--secret', 'apps/db,../etc', '--', 'ls'])).toEqual({
      code: 2,
      out: '',
      err: 'hush: \'../etc\' is not a secret name (segments of letters, digits, ".", "_" and "-" separated by "/")\n',
    });
    expect((await call(runRunCommand, ['--secret', 'a,,b', '--', 'ls'])).err).toMatch(
      /^hush: an empty name is not/,
    );
  });

  it('without a login or HUSH_TOKEN says to sign in; an unreachable server is exit 3', async () => {
    expect(await call(runRunCommand, ['--secret', 'apps/db', '--', 'ls'])).toEqual({
      code: 2,
      out: '',
      err: 'hush: not signed in: run hush login (or set HUSH_TOKEN)\n',
    });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const env = { HUSH_TOKEN: TOKEN };
    for (const [command, args] of [
      [runRunCommand, ['--server', closed, '--secret', 'apps/db', '--', 'ls']],
      [runExportCommand, ['--server', closed, 'apps/db']],
    ] as const) {
      const result = await call(command, [...args], env);
      expect(result.code).toBe(EXIT.network);
      expect(result.err).toMatch(/^hush: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/);
      expect(result.err).not.toContain(TOKEN);
    }
  });
});

describe('hush export refusals', () => {
  it('needs a name and a known format', async () => {
    expect(await call(runExportCommand, [])).toEqual({
      code: 2,
      out: '',
      err: 'hush: wrong number of arguments (see hush export --help)\n',
    });
    expect((await call(runExportCommand, ['--format', 'yaml', 'a'])).err).toBe(
      'hush: --format must be dotenv, shell, json\n',
    );
    expect((await call(runExportCommand, ['--json', '--format', 'shell', 'a'])).err).toBe(
      'hush: --json and --format shell disagree\n',
    );
  });
});

describe('hush import refusals', () => {
  it('needs one name, --from, a format it can tell, and a whole --cas', async () => {
    expect((await call(runImportCommand, ['--from', 'x.env'])).err).toMatch(/wrong number of arguments/);
    expect((await call(runImportCommand, ['apps/db'])).err).toBe(
      'hush: --from is needed (see hush import --help)\n',
    );
    expect((await call(runImportCommand, ['apps/a,apps/b', '--from', 'x.env'])).err).toMatch(
      /^hush: 'apps\/a,apps\/b' is not a secret name/,
    );
    expect((await call(runImportCommand, ['apps/db', '--from', '-'])).err).toBe(
      'hush: reading stdin needs --format dotenv or --format json\n',
    );
    expect((await call(runImportCommand, ['apps/db', '--from', 'keys.txt'])).err).toMatch(
      /cannot tell the format/,
    );
    for (const cas of ['--cas=-1', '--cas=one', '--cas=1.5']) {
      expect(await call(runImportCommand, ['apps/db', '--from', 'x.env', cas])).toEqual({
        code: 2,
        out: '',
        err: 'hush: --cas must be a version number (0: only if the secret does not exist)\n',
      });
    }
  });

  it('reads the file before signing in: a bad file is reported first, with its own code', async () => {
    expect(await call(runImportCommand, ['apps/db', '--from', path.join(dir, 'missing.env')])).toEqual({
      code: EXIT.local,
      out: '',
      err: `hush: cannot read ${path.join(dir, 'missing.env')} (ENOENT)\n`,
    });
    const secret = 'value-that-must-not-show-77';
    const file = path.join(dir, 'numbers.json');
    writeFileSync(file, JSON.stringify({ PORT: 8080, PASSWORD: secret }));
    const numbers = await call(runImportCommand, ['apps/db', '--from', file]);
    expect(numbers).toEqual({
      code: 2,
      out: '',
      err: `hush: the key 'PORT' in ${file} is a number: values must be strings\n`,
    });
    const good = path.join(dir, 'good.env');
    writeFileSync(good, `PASSWORD=${secret}\n`);
    expect(await call(runImportCommand, ['apps/db', '--from', good])).toEqual({
      code: 2,
      out: '',
      err: 'hush: not signed in: run hush login (or set HUSH_TOKEN)\n',
    });
  });
});
