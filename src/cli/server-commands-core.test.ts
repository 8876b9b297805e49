import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Config, loadConfig } from '../config/config.js';
import { createPassphraseHasher } from '../crypto/passphrase-hasher.js';
import { createLogger } from '../logging/logger.js';
import { createSettingsService } from '../settings/settings-service.js';
import { runKeysCommand } from './keys-command.js';
import { runUserCommand } from './user-command.js';

// The server-side commands run on the core alone. Were anything they import to reach the HTTP
// layer, loading Fastify would fail this file; the spies show what each command opened.
vi.mock('fastify', () => {
  throw new Error('a server-side command imported Fastify');
});
vi.mock('../crypto/passphrase-hasher.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../crypto/passphrase-hasher.js')>();
  return { ...actual, createPassphraseHasher: vi.fn(actual.createPassphraseHasher) };
});
vi.mock('../settings/settings-service.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../settings/settings-service.js')>();
  return { ...actual, createSettingsService: vi.fn(actual.createSettingsService) };
});

const logger = createLogger('silent');
const PASSWORD = 'a password for the core test 42';
let dir: string;
let config: Config;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-core-'));
  config = loadConfig({ HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: 'c'.repeat(64) });
  writeFileSync(path.join(dir, 'pw'), `${PASSWORD}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.mocked(createPassphraseHasher).mockClear());

/** Runs a command with stdout captured; asserts it succeeded. */
async function run(command: () => Promise<number>): Promise<string> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    expect(await command()).toBe(0);
    return out;
  } finally {
    write.mockRestore();
  }
}

describe('server-side commands on the core alone', () => {
  it('`user create` opens the hashing pool it needs; list and delete open none', async () => {
    const create = ['create', '--password-file', path.join(dir, 'pw'), 'bob'];
    expect(await run(() => runUserCommand(create, config, logger))).toBe('created user bob\n');
    expect(createPassphraseHasher).toHaveBeenCalledTimes(1);
    vi.mocked(createPassphraseHasher).mockClear();

    const listed = JSON.parse(await run(() => runUserCommand(['list', '--json'], config, logger)));
    expect(listed.users.map((user: { username: string }) => user.username)).toEqual(['bob']);
    expect(await run(() => runUserCommand(['delete', 'bob'], config, logger))).toMatch(/^deleted bob/);
    expect(createPassphraseHasher).not.toHaveBeenCalled();
    // Nor do they read runtime settings: no settings service, so no poller.
    expect(createSettingsService).not.toHaveBeenCalled();
  });

  it('`keys rotate` opens no hashing pool', async () => {
    expect(await run(() => runKeysCommand(['rotate'], config, logger))).toMatch(
      /^keyring key \d+ is now active/,
    );
    expect(createPassphraseHasher).not.toHaveBeenCalled();
    expect(createSettingsService).not.toHaveBeenCalled();
  });
});
