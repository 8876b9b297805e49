import { describe, expect, it } from 'vitest';
import {
  createInPage,
  expectAccessible,
  fieldValue,
  screenshot,
  useBrowserSuite,
  waitForText,
} from './helpers.js';

/**
 * Issue 12 points 6 and 7 in Debian's chromium: a link whose key was mangled or cut spends no view
 * (the receipt still says pending and the whole link still opens), punctuation a mail client added
 * is stripped, and wrong passphrases show the attempts left with a warning before the last.
 */
describe('reveal page: damaged links and the passphrase limit (chromium)', () => {
  const suite = useBrowserSuite({ HUSH_PASSPHRASE_MAX_ATTEMPTS: '3', HUSH_RATE_LIMIT_MAX: '0' });
  const { freshPage, receiptOf } = suite;
  const reveals = () => suite.live.requestUrls.filter((url) => url.endsWith('/reveal')).length;
  /** One character of the key changed, as a retyped or badly copied link has it. */
  const mangle = (link: string) => `${link.slice(0, -2)}${link.at(-2) === 'A' ? 'B' : 'A'}${link.at(-1)}`;

  it('a mangled key spends nothing: the page says so, the receipt stays pending, the whole link opens', async () => {
    const secret = 'not spent by a damaged link';
    const created = await createInPage(await freshPage(), suite.live.base, { secret });

    const reader = await freshPage();
    await reader.goto(mangle(created.link));
    await waitForText(reader, '#status', /once more/i);
    await reader.click('#reveal');
    await waitForText(reader, '#problem-title', /this link is not complete/i);
    await waitForText(reader, '#problem-text', /damaged or incomplete.*whole link.*nothing was used up/i);
    await screenshot(reader, 'reveal-damaged-link');
    await expectAccessible(reader, 'link not complete (mangled key)');
    // The same link cannot do better, so there is no button to spend attempts with.
    expect(await reader.locator('#reveal-form').isHidden()).toBe(true);
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'pending', viewsUsed: 0 });

    const right = await freshPage();
    await right.goto(created.link);
    await right.click('#reveal');
    expect(await fieldValue(right, '#revealed')).toBe(secret);
  });

  it('a key cut short is refused before any request; a trailing full stop is stripped', async () => {
    const secret = 'cut, then whole';
    const created = await createInPage(await freshPage(), suite.live.base, { secret });
    const before = reveals();

    const cut = await freshPage();
    await cut.goto(created.link.slice(0, -8));
    await waitForText(cut, '#problem-title', /this link is not complete/i);
    await waitForText(cut, '#problem-text', /nothing was used up/i);
    expect(await cut.locator('#reveal-form').isHidden()).toBe(true);
    await expectAccessible(cut, 'link not complete (key cut short)');
    expect(reveals()).toBe(before);

    const dotted = await freshPage();
    await dotted.goto(`${created.link}.`);
    await dotted.click('#reveal');
    expect(await fieldValue(dotted, '#revealed')).toBe(secret);
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'consumed', viewsUsed: 1 });
  });

  it('a link that lost its key (cut at #) is refused without spending the view', async () => {
    const secret = 'the fragment was cut';
    const created = await createInPage(await freshPage(), suite.live.base, { secret });
    const keyless = await freshPage();
    await keyless.goto(created.link.slice(0, created.link.indexOf('#')));
    await waitForText(keyless, '#status', /no key after #/i);
    await expectAccessible(keyless, 'reveal of a link without its key');
    await keyless.click('#reveal');
    await waitForText(keyless, '#problem-text', /missing its key.*whole link.*nothing was used up/i);
    expect(await receiptOf(created.receiptLink)).toMatchObject({ state: 'pending', viewsUsed: 0 });
    const whole = await freshPage();
    await whole.goto(created.link);
    await whole.click('#reveal');
    expect(await fieldValue(whole, '#revealed')).toBe(secret);
  });

  it('wrong passphrases show the attempts left, warn before the last, and say when it burned', async () => {
    const created = await createInPage(await freshPage(), suite.live.base, {
      secret: 'three tries',
      passphrase: 'the right one',
    });
    const reader = await freshPage();
    await reader.goto(created.link);
    await reader.locator('#reveal-passphrase').waitFor({ state: 'visible' });
    const attempt = async (pattern: RegExp) => {
      await reader.fill('#reveal-passphrase', 'a wrong one');
      await reader.click('#reveal');
      return waitForText(reader, '#error', pattern);
    };

    expect(await attempt(/2 attempts left/)).toMatch(/nothing was used up/i);
    await expectAccessible(reader, 'wrong passphrase, 2 attempts left');
    expect(await attempt(/1 attempt left: another wrong passphrase destroys the secret/)).not.toMatch(
      /try again/i,
    );
    await screenshot(reader, 'reveal-last-attempt-warning');
    await expectAccessible(reader, 'last-attempt warning');
    await reader.fill('#reveal-passphrase', 'a wrong one');
    await reader.click('#reveal');
    await waitForText(reader, '#problem-title', /this secret was destroyed/i);
    expect(await reader.textContent('#problem-text')).toMatch(/too many wrong attempts/i);
    await expectAccessible(reader, 'destroyed after too many wrong passphrases');
    expect(await reader.locator('#reveal-form').isHidden()).toBe(true);
    expect(await receiptOf(created.receiptLink)).toMatchObject({
      state: 'burned',
      endReason: 'passphrase_attempts',
      failedPassphraseAttempts: 3,
    });
  });
});
