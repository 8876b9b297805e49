import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebhookCommand } from '../src/cli/webhook-command.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { userSession } from './helpers/hush-fixture.js';
import { startWebhookReceiver, verifiedBody, type WebhookReceiver } from './helpers/webhook-receiver.js';

/** `hush webhook …` against a real hush (SQLite, loopback) and a local receiver. */
let server: ListeningHush;
let receiver: WebhookReceiver;
let dir: string;
let adminToken: string;

const webhook = async (args: string[], token = adminToken) => {
  const io = memoryIo({ env: { HUSH_URL: server.url, HUSH_TOKEN: token, HUSH_CONFIG_DIR: dir } });
  const code = await runWebhookCommand(args, io);
  return { code, out: io.out(), err: io.err() };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-webhook-'));
  server = await listeningHush({ HUSH_WEBHOOK_ALLOW_PRIVATE: 'true' });
  receiver = await startWebhookReceiver();
  adminToken = server.fixture.adminAuth.authorization.slice('Bearer '.length);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush webhook add, list, deliveries, remove', () => {
  it('adds an endpoint (the secret once, on stdout), lists it, shows its deliveries, removes it', async () => {
    const added = await webhook(['add', `${receiver.url}/cli`, '--events', 'share.viewed', '--all-accounts']);
    expect(added.code, added.err).toBe(0);
    const secret = added.out.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const id = /webhook ([0-9a-f-]{36}):/.exec(added.err)?.[1] ?? '';
    expect(added.err).toContain('share.viewed; the secret below is shown only now');

    const listed = await webhook(['list']);
    expect(listed.out).toMatch(
      new RegExp(`${id}\\s+${receiver.url}/cli\\s+all accounts\\s+share.viewed\\s+0/0/0`),
    );
    expect(listed.out).not.toContain(secret);

    const hush = server.fixture.hush;
    const made = await hush.shares.create(
      { secret: 'cli webhook content' },
      { ip: '127.0.0.1', userAgent: 't' },
    );
    await hush.shares.reveal(made.secretKey, {}, { ip: '127.0.0.1', userAgent: 't' });
    await hush.webhookDelivery.runOnce();
    const [got] = await receiver.waitFor(1, '/cli');
    if (!got) throw new Error('delivered');
    expect(verifiedBody(secret, got)).toMatchObject({
      type: 'share.viewed',
      data: { share_id: made.shareId },
    });

    const deliveries = await webhook(['deliveries', id]);
    expect(deliveries.code, deliveries.err).toBe(0);
    expect(deliveries.out).toMatch(
      new RegExp(`${got.headers['webhook-id']}\\s+share.viewed\\s+delivered\\s+1\\s+204`),
    );
    const json = JSON.parse((await webhook(['deliveries', id, '--json'])).out) as { deliveries: unknown[] };
    expect(json.deliveries).toHaveLength(1);

    expect(await webhook(['remove', id])).toEqual({
      code: 0,
      out: '',
      err: `hush: removed webhook ${id} and its deliveries\n`,
    });
    expect(await webhook(['remove', id])).toMatchObject({
      code: 1,
      err: 'hush: no such webhook endpoint (of yours)\n',
    });
  });

  it('refuses bad events (usage), an all-accounts endpoint for a non-admin, a refused URL', async () => {
    expect(await webhook(['add', `${receiver.url}/x`, '--events', 'share.created'])).toMatchObject({
      code: 2,
    });
    const user = await userSession(server.fixture, 'hooky');
    const refused = await webhook(['add', `${receiver.url}/x`, '--all-accounts'], user.access_token);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('(forbidden)');
    const bad = await webhook(['add', 'ftp://example.com/'], user.access_token);
    expect(bad).toMatchObject({ code: 1, out: '' });
    expect(bad.err).toContain('(invalid_webhook)');
    expect(await webhook(['nope'])).toMatchObject({ code: 2 });
  });
});
