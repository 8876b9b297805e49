import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { runUserCommand } from './user-command.js';

/** Argument handling only; creating accounts end to end is in test/process.test.ts. */
describe('hush user (arguments)', () => {
  const config = loadConfig({});
  const logger = createLogger('silent');
  afterEach(() => vi.restoreAllMocks());

  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    const code = await runUserCommand(args, config, logger);
    vi.restoreAllMocks();
    return { code, out, err };
  };

  it('prints usage for --help and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/usage: hush user create[\s\S]*hush user list[\s\S]*hush user delete/);
  });

  it.each([
    [[]],
    [['create']],
    [['create', 'a', 'b']],
    [['delete']],
    [['delete', 'a', 'b']],
    [['list', 'extra']],
    [['list', '--csv']],
  ])('refuses %j with usage and exit code 2, before touching any data', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/usage: hush user create/);
  });

  it('names the nearest action for a slip, with exit code 2', async () => {
    expect(await run(['lsit'])).toEqual({
      code: 2,
      out: '',
      err: "hush: unknown command 'user lsit'. Did you mean 'user list'?\n",
    });
    expect(await run(['creat', 'bob'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/'user create'\?\n$/),
    });
    expect((await run(['bogus', 'bob'])).err).toBe(
      "hush: unknown command 'user bogus'. Run 'hush user --help' to see the commands.\n",
    );
  });

  it('names an unknown option', async () => {
    const result = await run(['create', '--password', 'x', 'bob']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--password/);
  });
});
