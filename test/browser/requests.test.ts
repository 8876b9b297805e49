import { describe, expect, it } from 'vitest';
import { createRequestApi } from '../../src/client/request-api.js';
import { expectAccessible, fieldValue, screenshot, useBrowserSuite, waitForText } from './helpers.js';

/**
 * Issue 15 point 3 (and 9) in Debian's chromium: a request made on the page, answered from a
 * second browser context, revealed once in the first; axe on every state.
 */
describe('secret requests on the page (chromium)', () => {
  // A short minimum TTL, so a request can expire within the test.
  const suite = useBrowserSuite({ HUSH_RATE_LIMIT_MAX: '0', HUSH_SHARE_TTL_MIN_SECONDS: '1' });
  const { freshPage } = suite;

  /** Makes a request through the page's form: the front page's link, then the form. */
  const makeRequest = async (note: string) => {
    const page = await freshPage();
    await page.goto(`${suite.live.base}/`);
    await page.click('#ask-link');
    await waitForText(page, '#request-create-title', /ask someone for a secret/i);
    await page.fill('#request-note', note);
    await screenshot(page, 'request-create');
    await expectAccessible(page, 'request form');
    await page.press('#request-note', 'Control+Enter');
    const send = await fieldValue(page, '#request-send-link');
    const keep = await fieldValue(page, '#request-keep-link');
    return { page, send, keep };
  };

  it('request on the page → answered in a second context → revealed once in the first', async () => {
    const secret = 'the staging password: correct horse battery staple';
    const { page, send, keep } = await makeRequest('the staging DB password, please');
    expect(send).toMatch(/\/respond\/[\w-]{43}#1\.[\w-]{87}$/);
    expect(keep).toMatch(/\/request\/[\w-]{43}#1\.[\w-]+$/);
    await waitForText(page, '#request-send-label', /send/i);
    await waitForText(page, '#request-keep-label', /keep/i);
    await screenshot(page, 'request-made');
    await expectAccessible(page, 'request made: both links');

    // The requester checks before anyone answered.
    await page.goto(keep);
    await waitForText(page, '#request-state', /waiting/i);
    expect(await page.locator('#request-reveal').isHidden()).toBe(true);
    await screenshot(page, 'request-open');
    await expectAccessible(page, 'request open, not answered');

    // Someone else, in a browser of their own.
    const responder = await freshPage();
    await responder.goto(send);
    await waitForText(responder, '#respond-note', /staging DB password/);
    await screenshot(responder, 'respond-form');
    await expectAccessible(responder, 'respond form');
    await responder.fill('#respond-answer', secret);
    await responder.press('#respond-answer', 'Control+Enter');
    await waitForText(responder, '#respond-sent', /only the person who asked can read it/i);
    expect(await responder.locator('#respond-form').isHidden()).toBe(true);
    await screenshot(responder, 'respond-sent');
    await expectAccessible(responder, 'respond sent');
    // The link to send takes no second answer.
    const again = await freshPage();
    await again.goto(send);
    await waitForText(again, '#problem-title', /closed/i);
    await expectAccessible(again, 'respond: request closed');

    // Nothing readable reached the server: the answer is an envelope, the keys never left the fragment.
    expect(suite.live.requestUrls.some((url) => url.includes('#'))).toBe(false);

    await page.click('#request-refresh');
    await waitForText(page, '#request-state', /answered/i);
    await expectAccessible(page, 'request answered, not yet revealed');
    await page.click('#request-reveal');
    expect(await fieldValue(page, '#request-answer')).toBe(secret);
    await waitForText(page, '#request-state', /revealed/i);
    expect(new URL(page.url()).hash).toBe('');
    await screenshot(page, 'request-revealed');
    await expectAccessible(page, 'request revealed');

    // Once: the link to keep now says so.
    const later = await freshPage();
    await later.goto(keep);
    await waitForText(later, '#request-state-text', /already revealed/i);
    expect(await later.locator('#request-reveal').isHidden()).toBe(true);
    await expectAccessible(later, 'request already revealed');
  });

  it('the responder can take the answer from a text file; a binary file is refused in words', async () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    const { page, send, keep } = await makeRequest('the deploy key');
    const responder = await freshPage();
    await responder.goto(send);
    await waitForText(responder, '#respond-note', /deploy key/);
    await responder.setInputFiles('#respond-file', {
      name: 'photo.dat',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x80]),
    });
    await waitForText(responder, '#respond-file-status', /photo\.dat is not a text file/);
    expect(await responder.inputValue('#respond-answer')).toBe('');
    await responder.setInputFiles('#respond-file', {
      name: 'id_ed25519',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(key),
    });
    await waitForText(responder, '#respond-file-status', /id_ed25519 is in the answer/);
    expect(await fieldValue(responder, '#respond-answer')).toBe(key);
    await expectAccessible(responder, 'respond: answer taken from a file');
    await responder.click('#respond-send');
    await waitForText(responder, '#respond-sent', /only the person who asked can read it/i);

    await page.goto(keep);
    await waitForText(page, '#request-state', /answered/i);
    await page.click('#request-reveal');
    expect(await fieldValue(page, '#request-answer')).toBe(key);
  });

  it('an expired request says so on both links', async () => {
    const made = await createRequestApi(suite.live.base).create({ note: 'soon gone', ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const page = await freshPage();
    await page.goto(made.keepLink);
    await waitForText(page, '#request-state', /expired/i);
    await waitForText(page, '#request-state-text', /expired/i);
    expect(await page.locator('#request-reveal').isHidden()).toBe(true);
    expect(await page.locator('#request-burn').isHidden()).toBe(true);
    await expectAccessible(page, 'request expired');
    const responder = await freshPage();
    await responder.goto(made.respondLink);
    await waitForText(responder, '#problem-title', /closed/i);
  });

  it('a cancelled request and a damaged link have their own states', async () => {
    const { page, send, keep } = await makeRequest('');
    await page.goto(keep);
    await waitForText(page, '#request-state', /waiting/i);
    await page.click('#request-burn');
    await waitForText(page, '#request-state', /cancelled/i);
    await expectAccessible(page, 'request cancelled');
    const responder = await freshPage();
    await responder.goto(send);
    await waitForText(responder, '#problem-title', /closed/i);
    const cut = await freshPage();
    await cut.goto(send.slice(0, -30));
    await waitForText(cut, '#problem-title', /not complete/i);
    await expectAccessible(cut, 'respond: link not complete');
  });
});
