import type { RequestApi } from '../client/request-api.js';
import { wireCopy } from './copy.js';
import { busy, byId, cryptoAvailable, showError, showView } from './dom.js';
import { fillExpiryChoices, readPageLimits } from './expiry-choices.js';
import { t } from './i18n.js';
import { describeRequestError, formatWhen, setWords } from './request-words.js';

const MAX_NOTE = 1000;

/**
 * The requester's form: the key pair is made in this browser; the public key goes into the link
 * to send and the private key into the link to keep. The server gets only the note and expiry.
 */
export function startRequestCreate(api: RequestApi): void {
  setWords({
    'request-create-title': 'request.create.title',
    'request-create-lead': 'request.create.lead',
    'request-note-label': 'request.create.note',
    'request-note-hint': 'request.create.note_hint',
    'request-ttl-label': 'request.create.expiry',
    'request-create': 'request.create.submit',
    'request-create-shortcut': 'request.create.shortcut',
  });
  const form = byId<HTMLFormElement>('request-create-form');
  const note = byId<HTMLTextAreaElement>('request-note');
  const ttl = byId<HTMLSelectElement>('request-ttl');
  const button = byId<HTMLButtonElement>('request-create');
  const problem = byId('request-note-problem');
  const limits = readPageLimits();
  if (limits) fillExpiryChoices(ttl, limits);

  note.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    form.requestSubmit();
  });
  note.addEventListener('input', () => {
    problem.hidden = true;
    note.removeAttribute('aria-invalid');
    note.removeAttribute('aria-describedby');
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showError(undefined);
    if (!cryptoAvailable()) return showError(t('request.error.no_crypto'));
    if ([...note.value].length > MAX_NOTE) {
      problem.textContent = t('request.create.note_too_long', { max: MAX_NOTE });
      problem.hidden = false;
      note.setAttribute('aria-invalid', 'true');
      note.setAttribute('aria-describedby', problem.id);
      note.focus();
      return;
    }
    void busy(button, async () => {
      try {
        const made = await api.create({ note: note.value.trim(), ttlSeconds: Number(ttl.value) });
        form.reset();
        showMade(made.respondLink, made.keepLink, made.expiresAt);
      } catch (error) {
        showError(describeRequestError(error));
      }
    });
  });
  showView('request-create-view');
  if (!cryptoAvailable()) showError(t('request.error.no_crypto'));
}

function showMade(send: string, keep: string, expiresAt: string): void {
  setWords({
    'request-made-title': 'request.made.title',
    'request-send-label': 'request.made.send_label',
    'request-send-hint': 'request.made.send_hint',
    'request-keep-label': 'request.made.keep_label',
    'request-keep-hint': 'request.made.keep_hint',
    'request-copy-send': 'request.copy',
    'request-copy-keep': 'request.copy',
    'request-open-keep': 'request.made.open_keep',
    'request-another': 'request.made.another',
  });
  byId('request-made-summary').textContent = t('request.made.summary', { date: formatWhen(expiresAt) });
  const sendField = byId<HTMLInputElement>('request-send-link');
  const keepField = byId<HTMLInputElement>('request-keep-link');
  sendField.value = send;
  keepField.value = keep;
  byId<HTMLAnchorElement>('request-open-keep').href = keep;
  wireCopy(byId<HTMLButtonElement>('request-copy-send'), byId('request-copy-send-status'), () => sendField);
  wireCopy(byId<HTMLButtonElement>('request-copy-keep'), byId('request-copy-keep-status'), () => keepField);
  showView('request-made-view');
}
