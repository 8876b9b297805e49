import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../src/cli/export-command.js';
import { runImportCommand } from '../src/cli/import-command.js';
import { DB_PASSWORD, type KvServer, STRIPE_KEY, startKvServer, TRICKY } from './cli-run-server.js';

/**
 * `hush export` and `hush import` in-process against a real hush (SQLite, loopback) through the
 * native KV API. Refusals that need no server: test/cli-run-usage.test.ts.
 */
let kv: KvServer;
const inProcess: KvServer['inProcess'] = (...args) => kv.inProcess(...args);
const api: KvServer['api'] = (...args) => kv.api(...args);

beforeAll(async () => {
  kv = await startKvServer();
}, 60_000);
afterAll(() => kv?.close());

describe('hush export', () => {
  it('prints dotenv that the dotenv package reads back exactly, merged in order', async () => {
    const result = await inProcess(runExportCommand, ['apps/billing/db', 'apps/billing/stripe']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe('');
    expect(result.out.split('\n')[0]).toBe('DB_URL="postgres://db.internal/billing"');
    expect({ ...parse(result.out) }).toEqual({
      DB_URL: 'postgres://db.internal/billing',
      DB_PASSWORD,
      STRIPE_KEY,
      TRICKY,
    });
  });

  it('prints shell exports and json; json takes keys that are no variable names', async () => {
    const shell = await inProcess(runExportCommand, ['--format', 'shell', 'apps/billing/stripe']);
    expect(shell.out).toBe(
      `export STRIPE_KEY='${STRIPE_KEY}'\nexport TRICKY='multi\nline "quoted" it'\\''s $HOME \\n'\n`,
    );
    const json = await inProcess(runExportCommand, ['--json', 'apps/bad-names']);
    expect(json).toEqual({ code: 0, out: `${JSON.stringify({ 'db-url': DB_PASSWORD })}\n`, err: '' });
    const dotenv = await inProcess(runExportCommand, ['apps/bad-names']);
    expect(dotenv.code).toBe(2);
    expect(dotenv.err).not.toContain(DB_PASSWORD);
  });

  it('refuses clashes as run does, and names a missing secret', async () => {
    expect(
      await inProcess(runExportCommand, ['--format', 'json', 'apps/billing/db', 'apps/other/db']),
    ).toEqual({
      code: 2,
      out: '',
      err: "hush: the key 'DB_URL' is in both apps/billing/db and apps/other/db: name only one of them\n",
    });
    expect((await inProcess(runExportCommand, ['apps/nope'])).err).toBe(
      'hush: no such secret: apps/nope (or this token may not read it)\n',
    );
  });
});

describe('hush import', () => {
  it('writes a .env file as a new secret, then a new version; --cas guards each write', async () => {
    const file = path.join(kv.dir, '.env.production');
    writeFileSync(file, `# from the old host\nA=1\nB="two\\nlines"\nexport C='it is'\n`);
    const created = await inProcess(runImportCommand, ['apps/imported', '--from', file, '--cas', '0']);
    expect(created).toEqual({ code: 0, out: '', err: 'hush: created apps/imported version 1 (3 keys)\n' });
    expect((await api('GET', 'apps/imported')).body).toMatchObject({
      version: 1,
      data: { A: '1', B: 'two\nlines', C: 'it is' },
    });

    const again = await inProcess(runImportCommand, ['apps/imported', '--from', file, '--cas', '0']);
    expect(again).toEqual({
      code: 1,
      out: '',
      err: 'hush: apps/imported exists already (--cas 0 writes only a new secret)\n',
    });
    const json = path.join(kv.dir, 'next.json');
    writeFileSync(json, JSON.stringify({ A: 'one' }));
    const next = await inProcess(runImportCommand, ['apps/imported', '--from', json, '--cas', '1', '--json']);
    expect(next.code, next.err).toBe(0);
    expect(JSON.parse(next.out)).toMatchObject({ name: 'apps/imported', version: 2, created: false });
    const stale = await inProcess(runImportCommand, ['apps/imported', '--from', json, '--cas', '1']);
    expect(stale).toEqual({
      code: 1,
      out: '',
      err: 'hush: apps/imported is not at version 1 (--cas): it changed since; nothing was written\n',
    });
    // The new version holds exactly the file's keys.
    expect((await api('GET', 'apps/imported')).body).toMatchObject({ version: 2, data: { A: 'one' } });
  });

  it('export | import copies a secret exactly, through stdin', async () => {
    const exported = await inProcess(runExportCommand, ['--format', 'json', 'apps/billing/stripe']);
    const imported = await inProcess(runImportCommand, ['apps/copy', '--from', '-', '--format', 'json'], {
      input: exported.out,
    });
    expect(imported).toEqual({ code: 0, out: '', err: 'hush: created apps/copy version 1 (2 keys)\n' });
    expect((await api('GET', 'apps/copy')).body).toMatchObject({ data: { STRIPE_KEY, TRICKY } });
    const dotenv = await inProcess(runExportCommand, ['apps/billing/stripe']);
    const back = await inProcess(
      runImportCommand,
      ['apps/copy-dotenv', '--from', '-', '--format', 'dotenv'],
      {
        input: dotenv.out,
      },
    );
    expect(back.code, back.err).toBe(0);
    expect((await api('GET', 'apps/copy-dotenv')).body).toMatchObject({ data: { STRIPE_KEY, TRICKY } });
  });

  it('a read-only token cannot import', async () => {
    const readOnly = await kv.signInWith('secrets:read');
    const file = path.join(kv.dir, 'ro.env');
    writeFileSync(file, 'A=1\n');
    expect(await inProcess(runImportCommand, ['apps/ro', '--from', file], { token: readOnly })).toEqual({
      code: 1,
      out: '',
      err: 'hush: the token does not carry the scope this needs (secrets:write)\n',
    });
  });
});
