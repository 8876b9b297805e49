import { encryptText, newContentKey } from '../client/client-crypto.js';
import { deriveKeyCheck } from '../client/link-key-check.js';
import type { ShareApi } from '../client/share-api.js';
import { formatReceiptLink, formatShareLink } from '../client/share-link.js';
import { busy, byId, cryptoAvailable, errorWords, NO_CRYPTO, showError, showView } from './dom.js';
import { fillExpiryChoices, readPageLimits } from './expiry-choices.js';
import type { PickedFiles } from './file-picker.js';
import type { MessageKey, Values } from './i18n.js';
import { say, sayKey } from './page-words.js';
import { generatePassphrase } from './password.js';
import { showResult, wireResult } from './result-view.js';

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
  const passphraseStatus = byId('passphrase-status');
  // The server's limits of now, in the page it served: expiries up to its maximum, its default chosen.
  const limits = readPageLimits();
  if (limits) fillExpiryChoices(ttl, limits);
  const viewsMax = limits?.maxViews ?? 100;
  views.max = String(viewsMax);

  // Ctrl+Enter (Cmd+Enter on a Mac) in the secret sends the form, as the button does.
  secret.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    form.requestSubmit();
  });

  // A generated passphrase is shown, not masked: it has to be copied and sent another way.
  byId<HTMLButtonElement>('generate').addEventListener('click', () => {
    passphrase.value = generatePassphrase();
    passphrase.type = 'text';
    passphrase.select();
    sayKey(passphraseStatus, 'create.generated');
  });
  passphrase.addEventListener('input', () => say(passphraseStatus, undefined));

  // A field's message sits under it (`#<id>-problem`) and goes away as soon as the field is edited:
  // a message still shown beside a value that has been fixed reads as a new error.
  const problem = (field: HTMLElement) => byId(`${field.id}-problem`);
  const valid = (field: HTMLElement) => {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
    problem(field).hidden = true;
    say(problem(field), undefined);
  };
  const invalid = (field: HTMLElement, key: MessageKey, values?: Values) => {
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', problem(field).id);
    sayKey(problem(field), key, values);
    problem(field).hidden = false;
    field.focus();
  };
  for (const field of [secret, views]) field.addEventListener('input', () => valid(field));

  // Files: their code loads on demand (its own chunk), then adds its picker under the secret.
  let picked: PickedFiles | undefined;
  void import('./file-picker.js').then(({ mountFilePicker }) => {
    picked = mountFilePicker(byId('secret-problem'), origin, form);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const field of [secret, views]) valid(field);
    showError(undefined);
    if (!cryptoAvailable()) return showError(NO_CRYPTO);
    const withFiles = picked !== undefined && picked.count() > 0;
    if (secret.value === '' && !withFiles) return invalid(secret, 'create.secret-missing');
    const filesProblem = withFiles ? picked?.problem() : undefined;
    if (filesProblem) return showError(filesProblem);
    const maxViews = Number(views.value);
    if (!Number.isInteger(maxViews) || maxViews < 1 || maxViews > viewsMax) {
      return invalid(views, 'create.views-invalid', { max: viewsMax });
    }
    void busy(button, async () => {
      try {
        const key = newContentKey();
        const sealed =
          withFiles && picked
            ? await picked.seal(key, secret.value)
            : { secret: await encryptText(key, secret.value) };
        const created = await api.create({
          ...sealed,
          passphrase: passphrase.value === '' ? undefined : passphrase.value,
          ttlSeconds: Number(ttl.value),
          maxViews,
          // Lets the server refuse a damaged link before it spends a view (link-key-check.ts).
          keyCheck: await deriveKeyCheck(key),
        });
        form.reset();
        picked?.reset();
        passphrase.type = 'password';
        say(passphraseStatus, undefined);
        showResult({
          shareLink: formatShareLink(origin, created.secretKey, key, { withFiles }),
          receiptLink: formatReceiptLink(origin, created.receiptKey),
          expiresAt: created.expiresAt,
          maxViews: created.maxViews,
          passphraseRequired: created.passphraseRequired,
        });
      } catch (error) {
        showError(errorWords(error));
      }
    });
  });

  wireResult(() => {
    showView('create-view', false);
    secret.focus();
  });
  showView('create-view', false);
  if (!cryptoAvailable()) showError(NO_CRYPTO);
}
