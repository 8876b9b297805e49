import { decryptText, isEnvelope } from '../client/client-crypto.js';
import { deriveKeyCheck } from '../client/link-key-check.js';
import { ApiError, type ShareApi } from '../client/share-api.js';
import { parseShareLink, type ShareLink } from '../client/share-link.js';
import { wireCopy } from './copy.js';
import {
  BROKEN_LINK,
  busy,
  byId,
  cryptoAvailable,
  errorWords,
  GONE,
  NO_CRYPTO,
  showError,
  showProblem,
  showView,
} from './dom.js';
import type { Words } from './i18n.js';
import { say, sayKey } from './page-words.js';
import { refusalWords } from './refusal-words.js';

/**
 * The recipient's page. Loading it only peeks (a GET that consumes nothing, so link previewers are
 * harmless); one view is claimed when the Reveal button is pressed. The content key never leaves
 * the fragment, and is dropped from the address bar once the last view is spent.
 */
export function startReveal(api: ShareApi, href: string): void {
  showView('reveal-view', false);
  const status = byId('status');
  const form = byId<HTMLFormElement>('reveal-form');
  const passphraseField = byId('reveal-passphrase-field');
  const passphrase = byId<HTMLInputElement>('reveal-passphrase');
  const button = byId<HTMLButtonElement>('reveal');

  let link: ShareLink;
  try {
    link = parseShareLink(href);
  } catch {
    showProblem(BROKEN_LINK);
    return;
  }
  if (link.contentKey && !cryptoAvailable()) {
    say(status, NO_CRYPTO);
    return;
  }
  const { secretKey, contentKey } = link;
  // The proof that the link is whole: the server checks it before it spends anything.
  const keyProof = contentKey ? deriveKeyCheck(contentKey) : Promise.resolve(undefined);

  const gone = () => {
    form.hidden = true;
    showProblem(GONE);
  };
  const askPassphrase = () => {
    passphraseField.hidden = false;
  };

  void api.status(secretKey).then(
    (share) => {
      const words: Words[] = [
        {
          key: 'reveal.opens',
          values: {
            count: share.viewsLeft,
            until: { date: share.expiresAt },
            relative: { relative: share.expiresAt },
          },
        },
      ];
      if (share.passphraseRequired) words.push({ key: 'reveal.guarded' });
      // Shares made in a browser or the CLI need the key after #; only API-made ones open without.
      if (!contentKey) words.push({ key: 'reveal.keyless' });
      say(status, words);
      if (share.passphraseRequired) askPassphrase();
      form.hidden = false;
    },
    (error: unknown) => {
      if (error instanceof ApiError && error.code === 'not_found') gone();
      // The peek failed for another reason (network, rate limit): reveal may still work.
      say(status, errorWords(error));
      form.hidden = false;
    },
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showError(undefined);
    if (!passphraseField.hidden && passphrase.value === '') {
      showError({ key: 'reveal.passphrase-missing' });
      passphrase.focus();
      return;
    }
    void busy(button, async () => {
      try {
        const typed = passphrase.value === '' ? undefined : passphrase.value;
        const revealed = await api.reveal(secretKey, typed, await keyProof);
        // A share with files: their code loads now (its own chunk), lists them and downloads them.
        const text =
          contentKey && (revealed.files || isFilesEnvelope(revealed.secret))
            ? await import('./file-save.js').then(({ showSharedFiles }) =>
                showSharedFiles(location.origin, contentKey, revealed, byId('revealed-box')),
              )
            : await openSecret(revealed.secret, contentKey);
        showSecret(text, revealed.viewsLeft);
        // Burning needs what revealing needed: kept only in this closure while views are left.
        if (revealed.viewsLeft > 0) offerBurn(typed);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') gone();
        if (error instanceof ApiError && error.code === 'passphrase_required') askPassphrase();
        const refusal = refusalWords(error);
        if (refusal && (refusal.final || refusal.badLink)) {
          // Neither the same link nor another passphrase can open it now: no button to press again.
          form.hidden = true;
          showProblem({
            title: refusal.final ? { key: 'reveal.destroyed' } : BROKEN_LINK.title,
            text: refusal.words,
          });
          return;
        }
        showError(refusal ? refusal.words : errorWords(error));
        if (!passphraseField.hidden && !form.hidden) {
          passphrase.focus();
          passphrase.select();
        }
      }
    });
  });

  const showSecret = (text: string, viewsLeft: number) => {
    // The key has done its job once the last view is spent: keep it out of the history. While views
    // remain it stays, or a reload would spend the next view on a secret it could no longer open.
    if (viewsLeft === 0) dropKey();
    form.hidden = true;
    passphrase.value = '';
    const revealed = byId<HTMLTextAreaElement>('revealed');
    revealed.value = text;
    byId('views-left').textContent = String(viewsLeft);
    sayKey(status, viewsLeft === 0 ? 'reveal.revealed-last' : 'reveal.revealed');
    sayKey(byId('revealed-hint'), viewsLeft === 0 ? 'reveal.hint-last' : 'reveal.hint-more');
    byId('revealed-box').hidden = false;
    wireCopy(byId<HTMLButtonElement>('copy-secret'), byId('copy-secret-status'), () => revealed);
    revealed.focus();
  };

  /** The recipient's "burn it now": the views left are destroyed with the share key (and passphrase). */
  const offerBurn = (typed: string | undefined) => {
    const box = byId('burn-now-box');
    const burnButton = byId<HTMLButtonElement>('burn-now');
    const burnStatus = byId('burn-now-status');
    box.hidden = false;
    burnButton.onclick = () =>
      void busy(burnButton, async () => {
        showError(undefined);
        try {
          await api.burn(secretKey, typed, await keyProof);
        } catch (error) {
          // Gone already (expired, or burned by its sender): the outcome asked for.
          if (!(error instanceof ApiError && error.code === 'not_found')) return showError(errorWords(error));
        }
        box.hidden = true;
        dropKey();
        byId('views-left').textContent = '0';
        sayKey(status, 'reveal.burned');
        sayKey(byId('revealed-hint'), 'reveal.burned-hint');
        sayKey(burnStatus, 'reveal.burned-status');
        burnStatus.tabIndex = -1;
        burnStatus.focus();
      });
  };
}

const isFilesEnvelope = (secret: string) => secret.startsWith('h2.');

/** Drops the content key from the address bar (and so from the history) once the share is gone. */
function dropKey(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/**
 * With the fragment's key, an envelope opens. Without a key the text is shown as stored, as the CLI
 * does: it may be a server-encrypted share that merely starts like an envelope, and the view that
 * revealed it is spent either way.
 */
async function openSecret(secret: string, contentKey: Uint8Array | undefined): Promise<string> {
  if (contentKey && isEnvelope(secret)) return decryptText(contentKey, secret);
  return secret;
}
