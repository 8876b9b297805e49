import { ApiError } from '../client/api-call.js';
import type { RequestApi, RequestStatus } from '../client/request-api.js';
import { type KeepLink, parseKeepLink } from '../client/request-link.js';
import { wireCopy } from './copy.js';
import { busy, byId, cryptoAvailable, showError, showProblem, showView } from './dom.js';
import { t } from './i18n.js';
import type { MessageKey } from './messages/en.js';
import { describeRequestError, formatWhen, setWords, showBrokenLink } from './request-words.js';

const STATE_WORDS: Record<RequestStatus['state'], { state: MessageKey; text: MessageKey }> = {
  open: { state: 'request.state.open', text: 'request.view.open_text' },
  answered: { state: 'request.state.answered', text: 'request.view.answered_text' },
  revealed: { state: 'request.state.revealed', text: 'request.view.revealed_text' },
  burned: { state: 'request.state.burned', text: 'request.view.burned_text' },
  expired: { state: 'request.state.expired', text: 'request.view.expired_text' },
};

/**
 * The requester's link to keep: its state (never the answer) on load; Reveal claims the answer
 * once, opens it here with the private key from the fragment, and drops the key from the address.
 */
export function startRequestKeep(api: RequestApi, href: string): void {
  setWords({
    'request-view-title': 'request.view.title',
    'request-state-label': 'request.view.state',
    'request-note-shown-label': 'request.view.note',
    'request-expires-label': 'request.view.expires',
    'request-answered-label': 'request.view.answered_at',
    'request-reveal': 'request.view.reveal',
    'request-refresh': 'request.view.refresh',
    'request-burn': 'request.view.burn',
  });
  showView('request-view', false);
  let link: KeepLink;
  try {
    link = parseKeepLink(href);
  } catch {
    showBrokenLink();
    return;
  }
  const reveal = byId<HTMLButtonElement>('request-reveal');
  const refresh = byId<HTMLButtonElement>('request-refresh');
  const burn = byId<HTMLButtonElement>('request-burn');
  const text = byId('request-state-text');
  const gone = () => showProblem({ title: t('request.gone.title'), text: t('request.gone.text') });

  const show = (status: RequestStatus) => {
    const words = STATE_WORDS[status.state];
    byId('request-state').textContent = t(words.state);
    byId('request-note-shown').textContent = status.note === '' ? '—' : status.note;
    byId('request-expires').textContent = formatWhen(status.expires_at);
    byId('request-answered').textContent = status.answered_at
      ? formatWhen(status.answered_at)
      : t('request.view.not_yet');
    text.textContent = t(words.text);
    reveal.hidden = status.state !== 'answered';
    refresh.hidden = status.state !== 'open';
    burn.hidden = status.state !== 'open' && status.state !== 'answered';
  };
  const load = () =>
    api.status(link).then(show, (error: unknown) => {
      if (error instanceof ApiError && error.code === 'request_not_found') return gone();
      showError(describeRequestError(error));
    });

  refresh.addEventListener('click', () => void busy(refresh, load));
  burn.addEventListener('click', () =>
    busy(burn, async () => {
      try {
        await api.burn(link);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'request_not_found')) {
          return showError(describeRequestError(error));
        }
      }
      await load();
      text.textContent = t('request.view.burned_now');
    }),
  );
  reveal.addEventListener('click', () =>
    busy(reveal, async () => {
      showError(undefined);
      if (!cryptoAvailable()) return showError(t('request.error.no_crypto'));
      let answer: string;
      try {
        answer = await api.reveal(link);
      } catch (error) {
        await load();
        return showError(describeRequestError(error));
      }
      // The answer is gone from the server: the key has done its job.
      history.replaceState(null, '', `${location.pathname}${location.search}`);
      show({ ...(await api.status(link).catch(() => undefined)), state: 'revealed' } as RequestStatus);
      setWords({
        'request-answer-label': 'request.view.answer',
        'request-copy-answer': 'request.copy',
        'request-answer-hint': 'request.view.revealed_hint',
      });
      text.textContent = '';
      const field = byId<HTMLTextAreaElement>('request-answer');
      field.value = answer;
      byId('request-answer-box').hidden = false;
      wireCopy(
        byId<HTMLButtonElement>('request-copy-answer'),
        byId('request-copy-answer-status'),
        () => field,
      );
      field.focus();
    }),
  );
  void load();
}
