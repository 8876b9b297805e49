import { ClientCryptoError } from '../client/client-crypto.js';
import { ApiError } from '../client/share-api.js';
import { LinkError } from '../client/share-link.js';
import type { MessageKey, Words } from './i18n.js';
import { render, say, type Text } from './page-words.js';

/** The element with this id; the page's markup is fixed, so a missing one is a bug. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

/** Shows one view (a `<section>`), hides the others, and moves focus to its heading. */
export function showView(id: string, focus = true): void {
  for (const view of document.querySelectorAll<HTMLElement>('main > section')) view.hidden = view.id !== id;
  showError(undefined);
  if (focus) byId(id).querySelector<HTMLElement>('h1')?.focus();
}

/**
 * The one alert region of the page, for what can be fixed by trying again; undefined clears it.
 * Words (rather than a string) are said again when the language changes.
 */
export function showError(message: Text | undefined): void {
  say(byId('error'), message);
}

/** A state the visitor cannot fix on this page: its own heading, plain words, a way back. */
export interface Problem {
  readonly title: Text;
  readonly text: Text;
}

export const GONE: Problem = { title: { key: 'problem.gone-title' }, text: { key: 'problem.gone-text' } };

export const BROKEN_LINK: Problem = {
  title: { key: 'problem.broken-title' },
  text: { key: 'problem.broken-text' },
};

export const NOT_FOUND: Problem = {
  title: { key: 'problem.not-found-title' },
  text: { key: 'problem.not-found-text' },
};

/**
 * Replaces the page with a problem state; its heading takes the focus, so it is read first. It is
 * final, so the alert goes too: a message raised after it would only repeat it in other words.
 */
export function showProblem(problem: Problem): void {
  say(byId('problem-title'), problem.title);
  say(byId('problem-text'), problem.text);
  showView('problem-view');
  byId('error').hidden = true;
}

/** Words for the server's stable codes that have words of their own. */
const CODES: Readonly<Record<string, MessageKey>> = {
  network: 'error.network',
  rate_limited: 'error.rate_limited',
  passphrase_invalid: 'error.passphrase_invalid',
  passphrase_required: 'error.passphrase_required',
  not_found: 'error.not_found',
  secret_too_large: 'error.secret_too_large',
  ttl_out_of_range: 'error.ttl_out_of_range',
  max_views_out_of_range: 'error.max_views_out_of_range',
  https_required: 'error.https_required',
  sign_in_required: 'error.sign_in_required',
};

/** Words for a failure, by the server's stable code; never echoes what the user typed. */
export function errorWords(error: unknown): Words {
  if (error instanceof ApiError) {
    const key = Object.hasOwn(CODES, error.code) ? CODES[error.code] : undefined;
    return key ? { key } : { key: 'error.refused', values: { code: error.code } };
  }
  // A link error's own message is for the CLI and names the link format: the page says it plainly.
  if (error instanceof LinkError) return { key: 'problem.broken-text' };
  if (error instanceof ClientCryptoError) return { key: 'error.crypto' };
  return { key: 'error.unknown' };
}

/** `errorWords` as a string in the current language. */
export function describeError(error: unknown): string {
  return render(errorWords(error));
}

/** WebCrypto exists only in secure contexts (HTTPS, or http://localhost). */
export function cryptoAvailable(): boolean {
  return globalThis.isSecureContext && typeof globalThis.crypto?.subtle?.importKey === 'function';
}

export const NO_CRYPTO: Words = { key: 'error.no-crypto' };

/** A date in the page's language; `seconds` for events that may follow each other within a minute. */
export { formatDate } from './i18n.js';

/** Runs an async action with its button disabled, so a double click cannot send twice. */
export async function busy(button: HTMLButtonElement, action: () => Promise<void>): Promise<void> {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
