import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../src/cli/export-command.js';
import { runImportCommand } from '../src/cli/import-command.js';
import { runMachineCommand } from '../src/cli/machine-command.js';
import { runPolicyCommand } from '../src/cli/policy-command.js';
import { runRunCommand } from '../src/cli/run-command.js';
import { saveLogin } from '../src/cli/saved-login.js';
import { runSecretCommand } from '../src/cli/secret-command.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/hush-fixture.js';

type Run = (args: readonly string[], io: ReturnType<typeof memoryIo>) => Promise<number>;

interface Case {
  readonly name: string;
  readonly command: Run;
  readonly args: readonly string[];
  readonly input?: string;
}

/** Every command that signs in, each with a call that needs its token. */
const COMMANDS: readonly Case[] = [
  { name: 'run', command: runRunCommand, args: ['--secret', 'apps/db', '--', process.execPath, '-e', ''] },
  { name: 'export', command: runExportCommand, args: ['apps/db'] },
  {
    name: 'import',
    command: runImportCommand,
    args: ['apps/db', '--from', '-', '--format', 'dotenv'],
    input: 'A=1\n',
  },
  { name: 'machine', command: runMachineCommand, args: ['list'] },
  { name: 'secret', command: runSecretCommand, args: ['get', 'apps/db'] },
  { name: 'policy', command: runPolicyCommand, args: ['list'] },
];

const SAVED_DEAD =
  'hush: the saved login no longer works (its session was revoked or has ended): run hush login\n';
const ENV_DEAD = 'hush: HUSH_TOKEN is invalid, expired or revoked\n';

describe('a dead session, in every command that signs in', () => {
  let server: ListeningHush;
  let dir: string;
  let revoked: string;

  beforeAll(async () => {
    server = await listeningHush();
    dir = mkdtempSync(path.join(tmpdir(), 'hush-dead-session-'));
    const created = await fetch(`${server.url}/api/v1/token/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
    });
    revoked = ((await created.json()) as { access_token: string }).access_token;
    const revoke = await fetch(`${server.url}/api/v1/token/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ revoke_token: revoked }),
    });
    expect(revoke.status).toBe(200);
    await saveLogin(
      { HUSH_CONFIG_DIR: dir },
      {
        server: server.url,
        accessToken: revoked,
        refreshToken: undefined,
        accessExpiresAt: Date.now() + 3_600_000,
        refreshExpiresAt: undefined,
        principal: { kind: 'user', name: ADMIN_USERNAME },
      },
    );
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(COMMANDS)(
    '$name says the saved login no longer works, or that HUSH_TOKEN is dead',
    async ({ command, args, input }) => {
      const attempt = async (env: NodeJS.ProcessEnv) => {
        const io = memoryIo({ env, input: input ?? '' });
        return { code: await command(args, io), out: io.out(), err: io.err() };
      };
      expect(await attempt({ HUSH_CONFIG_DIR: dir })).toEqual({ code: 1, out: '', err: SAVED_DEAD });
      expect(await attempt({ HUSH_TOKEN: revoked, HUSH_URL: server.url })).toEqual({
        code: 1,
        out: '',
        err: ENV_DEAD,
      });
    },
  );
});
