import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HushFixture, json, makeHush } from '../../test/helpers/hush-fixture.js';
import { createLogger } from '../logging/logger.js';
import { rewrapSettleMs } from '../secrets/secret-rewrap.js';
import { runKeysCommand } from './keys-command.js';

describe('hush keys', () => {
  let f: HushFixture;
  const logger = createLogger('silent');
  /** What rewrap waited, in ms: the test does not sit through the minute. */
  let slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
  };

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
    try {
      return { code: await runKeysCommand(args, f.config, logger, { sleep }), out, err };
    } finally {
      vi.restoreAllMocks();
    }
  };

  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f?.close());

  it('names the nearest action for a slip, exit code 2', async () => {
    expect(await run(['rewarp'])).toMatchObject({
      code: 2,
      err: "hush: unknown command 'keys rewarp'. Did you mean 'keys rewrap'?\n",
    });
    expect((await run(['bogus'])).err).toBe(
      "hush: unknown command 'keys bogus'. Run 'hush keys --help' to see the commands.\n",
    );
  });

  it.each([[[]], [['rotate', 'extra']]])('refuses %j with usage and exit code 2', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/usage: hush keys rotate/);
  });

  it('prints usage for --help', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringMatching(/rewrap/) });
  });

  it('rotates (audited) and rewraps on the configured storage; a running node still reads', async () => {
    const created = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/secrets/create',
      headers: f.adminAuth,
      payload: { name: 'cli/secret', value: 'cli-value' },
    });
    const { id } = json<{ id: string }>(created);

    expect(await run(['rotate'])).toMatchObject({ code: 0, out: 'keyring key 2 is now active\n' });
    const [event] = (await f.hush.audit.list({ type: 'key.rotated' }, 1, 10)).events;
    expect(event).toMatchObject({ subject: { kind: 'key', id: '2' }, data: { version: 2 } });

    slept = [];
    expect(await run(['rewrap'])).toMatchObject({
      err: expect.stringMatching(
        /^waiting 1 minute(?: [1-5] seconds?)?: running nodes may write with an older key until a minute after key 2 was added\n/,
      ),
      code: 0,
      out: 'rewrapped 1 secret versions to keyring key 2 (0 changed meanwhile, 0 unreadable)\n',
    });
    const [rewrap] = (await f.hush.audit.list({ type: 'key.rewrapped' }, 1, 10)).events;
    expect(rewrap?.data).toEqual({ moved: 1, skipped: 0, unreadable: 0 });
    const versions = await f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/secrets/${id}/versions`,
      headers: f.adminAuth,
    });
    expect(json(versions)).toMatchObject({ versions: [{ version: 1, key_version: 2 }] });
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(59_000);
    expect(slept[0]).toBeLessThanOrEqual(65_000);
    // This node had only seen key 1: it loads key 2 when it meets it.
    const read = await f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/secrets/${id}`,
      headers: f.adminAuth,
    });
    expect(json(read)).toMatchObject({ value: 'cli-value' });
    expect(await run(['rewrap'])).toMatchObject({ code: 0, out: expect.stringMatching(/^rewrapped 0 /) });
  });

  it('waits before a rewrap only while the newest key is younger than the nodes’ keyring refresh', () => {
    const key = (version: number, createdAt: number) => ({ version, createdAt, wrappedKey: Buffer.alloc(0) });
    const t = 1_000_000_000;
    expect(rewrapSettleMs([], t)).toBe(0);
    expect(rewrapSettleMs([key(1, t - 3_600_000), key(2, t)], t)).toBe(65_000);
    expect(rewrapSettleMs([key(1, t - 3_600_000), key(2, t - 30_000)], t)).toBe(35_000);
    expect(rewrapSettleMs([key(1, t - 65_000)], t)).toBe(0);
    expect(rewrapSettleMs([key(1, t - 3_600_000)], t)).toBe(0);
    // A key stamped by a clock an hour ahead: at most the full wait.
    expect(rewrapSettleMs([key(1, t + 3_600_000)], t)).toBe(65_000);
  });
});
