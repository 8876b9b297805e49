import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRequestCommand } from '../src/cli/request-command.js';
import { runRespondCommand } from '../src/cli/respond-command.js';
import { runRevealCommand } from '../src/cli/reveal-command.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { runHush } from './helpers/cli-process.js';
import { login } from './helpers/hush-fixture.js';

const SEND = /^http:\/\/127\.0\.0\.1:\d+\/respond\/[\w-]{43}#1\.[\w-]{87}$/;
const KEEP =
  /keep this link, it alone opens the answer \(once\): (http:\/\/127\.0\.0\.1:\d+\/request\/[\w-]{43}#1\.[\w-]+)\n/;

let hush: ListeningHush;
let dir: string;
beforeAll(async () => {
  hush = await listeningHush();
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-requests-'));
});
afterAll(async () => {
  await hush?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `hush request` through its entry function: the link to send and the link to keep. */
async function request(args: string[] = [], env: Record<string, string> = {}) {
  const io = memoryIo({ env: { HUSH_URL: hush.url, ...env } });
  expect(await runRequestCommand(args, io), io.err()).toBe(0);
  const send = io.out().trim();
  expect(send).toMatch(SEND);
  const keep = KEEP.exec(io.err())?.[1];
  expect(keep).toBeDefined();
  return { send, keep: keep as string, err: io.err() };
}

describe('hush request, respond, reveal', () => {
  it('request → respond (stdin) → reveal once; the answer never reaches the server in the clear', async () => {
    const { send, keep } = await request(['--note', 'the staging DB password', '--ttl', '1h']);
    const secret = 'hunter2\nline two\n';
    const responder = memoryIo({ input: secret });
    expect(await runRespondCommand([send], responder), responder.err()).toBe(0);
    expect(responder.err()).toContain('the request says: the staging DB password');
    expect(responder.err()).toContain('sent: only the requester can read it');

    // A second answer is refused.
    const again = memoryIo({ input: 'other' });
    expect(await runRespondCommand([send], again)).toBe(1);
    expect(again.err()).toContain('no such request');

    const revealer = memoryIo();
    expect(await runRevealCommand([keep], revealer), revealer.err()).toBe(0);
    expect(revealer.out()).toBe(secret);
    expect(revealer.err()).toContain('the answer is gone from the server');
    const twice = memoryIo();
    expect(await runRevealCommand([keep], twice)).toBe(1);
    expect(twice.err()).toContain('no such request');
    expect(hush.fixture.logs.join('\n')).not.toContain('hunter2');
  });

  it('reveal before an answer spends nothing; respond reads a file; --json; the link from stdin', async () => {
    const { send, keep } = await request();
    const early = memoryIo();
    expect(await runRevealCommand([keep], early)).toBe(1);
    expect(early.err()).toContain('nobody has answered this request yet');
    const file = path.join(dir, 'answer.txt');
    writeFileSync(file, 'from a file');
    const responder = memoryIo({ input: `${send}\n` });
    expect(await runRespondCommand(['-', file], responder), responder.err()).toBe(0);
    const revealer = memoryIo({ input: keep });
    expect(await runRevealCommand(['--json', '-'], revealer), revealer.err()).toBe(0);
    expect(JSON.parse(revealer.out())).toEqual({ secret: 'from a file' });
  });

  it('refuses bad usage, a damaged link and a link of the wrong kind', async () => {
    const { send, keep } = await request();
    const cases: [string[], RegExp][] = [
      [[keep], /not a link to answer/],
      [[send.slice(0, -20)], /incomplete|damaged/],
      [['-'], /name the file/],
      [[], /wrong number of arguments/],
    ];
    for (const [args, message] of cases) {
      const io = memoryIo({ input: 'x' });
      expect(await runRespondCommand(args, io)).toBe(2);
      expect(io.err()).toMatch(message);
    }
    const terminal = memoryIo({ stdinTTY: true });
    expect(await runRespondCommand([send], terminal)).toBe(2);
    expect(terminal.err()).toMatch(/nothing to send/);
    const badTtl = memoryIo({ env: { HUSH_URL: hush.url } });
    expect(await runRequestCommand(['--ttl', 'soon'], badTtl)).toBe(2);
    const cut = memoryIo();
    expect(await runRevealCommand([keep.slice(0, keep.indexOf('#') + 30)], cut)).toBe(2);
  });

  it('with HUSH_TOKEN, the request is owned by the signed-in account', async () => {
    const admin = await login(hush.fixture.hush.app, 'admin', 'test admin password 0123456789');
    const io = memoryIo({ env: { HUSH_URL: hush.url, HUSH_TOKEN: admin.access_token } });
    expect(await runRequestCommand(['--json'], io), io.err()).toBe(0);
    const { request_id } = JSON.parse(io.out()) as { request_id: string };
    const owners = await hush.fixture.hush.storage.requests.ownersOf([request_id]);
    expect(owners.get(request_id)?.kind).toBe('user');
  });

  it('runs as real processes through the hush command', async () => {
    const env = { HUSH_URL: hush.url };
    const made = await runHush(['request', '--note', 'via processes'], { env });
    expect(made.code, made.stderr).toBe(0);
    const keep = KEEP.exec(made.stderr)?.[1] as string;
    const answered = await runHush(['respond', made.stdout.trim(), '-'], { input: 's3cret', env });
    expect(answered.code, answered.stderr).toBe(0);
    const revealed = await runHush(['reveal', keep], { env });
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout).toBe('s3cret');
    const help = await runHush(['--help']);
    expect(help.stdout).toContain('request [--note …]');
  }, 60_000);
});
