import { ClientCryptoError } from '../client/client-crypto.js';
import { ApiError } from '../client/share-api.js';
import { LinkError } from '../client/share-link.js';

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

/** The one alert region of the page, for what can be fixed by trying again; undefined clears it. */
export function showError(message: string | undefined): void {
  byId('error').textContent = message ?? '';
}

/** A state the visitor cannot fix on this page: its own heading, plain words, a way back. */
export interface Problem {
  readonly title: string;
  readonly text: string;
}

export const GONE: Problem = {
  title: 'This secret is gone',
  text: 'It was already opened, burned, or it expired, so it cannot be shown again. If you still need it, ask the person who sent the link for a new one.',
};

export const BROKEN_LINK: Problem = {
  title: 'This link is not complete',
  text: 'Part of the link is missing or was changed on the way (some mail and chat programs cut long links). Nothing was used up: ask the person who sent it to send the whole link again, copied in one piece.',
};

export const NOT_FOUND: Problem = {
  title: 'There is nothing here',
  text: 'This address is not a page of hush. Check it for typing mistakes, or ask whoever sent it for the link again.',
};

/**
 * Replaces the page with a problem state; its heading takes the focus, so it is read first. It is
 * final, so the alert goes too: a message raised after it would only repeat it in other words.
 */
export function showProblem(problem: Problem): void {
  byId('problem-title').textContent = problem.title;
  byId('problem-text').textContent = problem.text;
  showView('problem-view');
  byId('error').hidden = true;
}

const CODES: Record<string, string> = {
  network: 'Cannot reach hush. Check the connection and try again.',
  rate_limited: 'Too many requests from here. Wait a minute and try again.',
  passphrase_invalid: 'That passphrase is wrong. Nothing was used up: try again.',
  passphrase_required: 'This secret is protected by a passphrase: enter it first.',
  not_found: 'This secret is gone: it was opened, burned or has expired.',
  secret_too_large: 'The secret is too large for this server.',
  ttl_out_of_range: 'This server does not allow that expiry.',
  max_views_out_of_range: 'This server does not allow that number of views.',
  https_required: 'This server only answers over HTTPS.',
};

/** Words for a failure, by the server's stable code; never echoes what the user typed. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return CODES[error.code] ?? error.message;
  // A link error's own message is for the CLI and names the link format: the page says it plainly.
  if (error instanceof LinkError) return BROKEN_LINK.text;
  if (error instanceof ClientCryptoError) return sentence(error.message);
  return 'Something went wrong. Try again.';
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** WebCrypto exists only in secure contexts (HTTPS, or http://localhost). */
export function cryptoAvailable(): boolean {
  return globalThis.isSecureContext && typeof globalThis.crypto?.subtle?.importKey === 'function';
}

export const NO_CRYPTO =
  'This page encrypts in the browser, which browsers allow only over a secure connection. Open it with an address that starts with https://.';

/** A date in the reader's locale; `seconds` for events that may follow each other within a minute. */
export function formatDate(iso: string, seconds = false): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' });
}

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
