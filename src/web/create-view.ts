import { encryptText, newContentKey } from '../client/client-crypto.js';
import { deriveKeyCheck } from '../client/link-key-check.js';
import type { ShareApi } from '../client/share-api.js';
import { formatReceiptLink, formatShareLink } from '../client/share-link.js';
import { busy, byId, cryptoAvailable, describeError, NO_CRYPTO, showError, showView } from './dom.js';
import { showResult } from './result-view.js';

/**
 * The create form: the secret is sealed here with a fresh key, and only the envelope (with the
 * passphrase and limits) goes to the server. The key is put into the link's fragment only.
 */
export function startCreate(api: ShareApi, origin: string): void {
  const form = byId<HTMLFormElement>('create-form');
  const secret = byId<HTMLTextAreaElement>('secret');
  const passphrase = byId<HTMLInputElement>('passphrase');
  const ttl = byId<HTMLSelectElement>('ttl');
  const views = byId<HTMLInputElement>('views');
  const button = byId<HTMLButtonElement>('create');

  const invalid = (field: HTMLElement, message: string) => {
    field.setAttribute('aria-invalid', 'true');
    showError(message);
    field.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const field of [secret, views]) field.removeAttribute('aria-invalid');
    showError(undefined);
    if (!cryptoAvailable()) return showError(NO_CRYPTO);
    if (secret.value === '') return invalid(secret, 'Write the secret first.');
    const maxViews = Number(views.value);
    if (!Number.isInteger(maxViews) || maxViews < 1 || maxViews > 100) {
      return invalid(views, 'Views allowed must be a whole number from 1 to 100.');
    }
    void busy(button, async () => {
      try {
        const key = newContentKey();
        const created = await api.create({
          secret: await encryptText(key, secret.value),
          passphrase: passphrase.value === '' ? undefined : passphrase.value,
          ttlSeconds: Number(ttl.value),
          maxViews,
          // Lets the server refuse a damaged link before it spends a view (link-key-check.ts).
          keyCheck: await deriveKeyCheck(key),
        });
        form.reset();
        showResult({
          shareLink: formatShareLink(origin, created.secretKey, key),
          receiptLink: formatReceiptLink(origin, created.receiptKey),
          expiresAt: created.expiresAt,
          maxViews: created.maxViews,
          passphraseRequired: created.passphraseRequired,
        });
      } catch (error) {
        showError(describeError(error));
      }
    });
  });

  byId('new').addEventListener('click', () => {
    showView('create-view', false);
    secret.focus();
  });
  showView('create-view', false);
  if (!cryptoAvailable()) showError(NO_CRYPTO);
}
