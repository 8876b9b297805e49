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

/** The one alert region of the page; undefined clears it. */
export function showError(message: string | undefined): void {
  byId('error').textContent = message ?? '';
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
  if (error instanceof LinkError || error instanceof ClientCryptoError) return sentence(error.message);
  return 'Something went wrong. Try again.';
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** WebCrypto exists only in secure contexts (HTTPS, or http://localhost). */
export function cryptoAvailable(): boolean {
  return globalThis.isSecureContext && typeof globalThis.crypto?.subtle?.importKey === 'function';
}

export const NO_CRYPTO =
  'This page encrypts in the browser, which browsers allow only over HTTPS (or on localhost). Open it with https://.';

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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
