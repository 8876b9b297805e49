import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, verifiedBody, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createInPage, fieldValue, useBrowserSuite } from './helpers.js';

/**
 * Issue 15 point 9: a share created and revealed on the page (chromium) reaches a local receiver
 * as a signed `share.viewed` webhook, which the Standard Webhooks reference implementation
 * verifies; no content or key in it.
 */
describe('webhooks from page traffic (chromium)', () => {
  const suite = useBrowserSuite({ HUSH_WEBHOOK_ALLOW_PRIVATE: 'true', HUSH_RATE_LIMIT_MAX: '0' });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver?.close());

  it('a share created and revealed in the browser produces one signed share.viewed delivery', async () => {
    const { fixture } = suite.live;
    // An admin's all-accounts endpoint: the page's shares are anonymous, so only it gets them.
    const registered = await fixture.hush.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: fixture.adminAuth,
      payload: { url: `${receiver.url}/browser`, all_accounts: true, events: ['share.viewed'] },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { secret, id } = JSON.parse(registered.body) as { secret: string; id: string };

    const text = 'seen in the browser, never in a webhook';
    const created = await createInPage(await suite.freshPage(), suite.live.base, { secret: text });
    const reader = await suite.freshPage();
    await reader.goto(created.link);
    await reader.click('#reveal');
    expect(await fieldValue(reader, '#revealed')).toBe(text);

    await fixture.hush.webhookDelivery.runOnce();
    const [got] = await receiver.waitFor(1, '/browser');
    if (!got) throw new Error('one delivery');
    const body = verifiedBody(secret, got);
    expect(body).toMatchObject({ type: 'share.viewed', data: { share_id: expect.any(String) } });
    const key = created.link.split('#')[1] ?? '';
    const token = new URL(created.link).pathname.split('/').pop() ?? '';
    for (const needle of [text, key, token, secret]) expect(got.body).not.toContain(needle);

    await fixture.hush.webhookDelivery.runOnce();
    expect(receiver.received).toHaveLength(1);
    const listed = await fixture.hush.app.inject({
      method: 'GET',
      url: `/api/v1/webhooks/${id}/deliveries`,
      headers: fixture.adminAuth,
    });
    expect(JSON.parse(listed.body).deliveries).toMatchObject([
      { id: got.headers['webhook-id'], status: 'delivered', attempts: 1 },
    ]);
  });
});
