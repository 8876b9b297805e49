import { ApiError } from '../client/api-call.js';
import type { RequestApi } from '../client/request-api.js';
import { parseRespondLink, type RespondLink } from '../client/request-link.js';
import { busy, byId, cryptoAvailable, showError, showProblem, showView } from './dom.js';
import { t } from './i18n.js';
import { wireAnswerFile } from './request-file.js';
import { describeRequestError, formatWhen, setWords, showBrokenLink } from './request-words.js';

/**
 * The responder's page: loading it only reads the note (a GET that consumes nothing); Send
 * encrypts the answer here, to the public key in the fragment, and stores it. One answer only.
 */
export function startRespond(api: RequestApi, href: string): void {
  setWords({
    'respond-title': 'request.respond.title',
    'respond-status': 'request.respond.checking',
    'respond-note-label': 'request.respond.note_label',
    'respond-answer-label': 'request.respond.answer',
    'respond-hint': 'request.respond.hint',
    'respond-send': 'request.respond.send',
  });
  showView('respond-view', false);
  let link: RespondLink;
  try {
    link = parseRespondLink(href);
  } catch {
    showBrokenLink();
    return;
  }
  const status = byId('respond-status');
  const form = byId<HTMLFormElement>('respond-form');
  const answer = byId<HTMLTextAreaElement>('respond-answer');
  const button = byId<HTMLButtonElement>('respond-send');
  const problem = byId('respond-answer-problem');
  const closed = () => showProblem({ title: t('request.closed.title'), text: t('request.closed.text') });
  if (!cryptoAvailable()) {
    status.textContent = t('request.error.no_crypto');
    return;
  }

  void api.prompt(link).then(
    (prompt) => {
      byId('respond-note').textContent = prompt.note === '' ? t('request.respond.no_note') : prompt.note;
      byId('respond-note-box').hidden = false;
      status.textContent = t('request.respond.until', { date: formatWhen(prompt.expires_at) });
      form.hidden = false;
      answer.focus();
    },
    (error: unknown) => {
      if (error instanceof ApiError && error.code === 'request_not_found') return closed();
      status.textContent = describeRequestError(error);
      form.hidden = false;
    },
  );

  answer.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    form.requestSubmit();
  });
  const answerChanged = () => {
    problem.hidden = true;
    answer.removeAttribute('aria-invalid');
  };
  answer.addEventListener('input', answerChanged);
  wireAnswerFile(answer, answerChanged);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showError(undefined);
    if (answer.value === '') {
      problem.textContent = t('request.respond.empty');
      problem.hidden = false;
      answer.setAttribute('aria-invalid', 'true');
      answer.setAttribute('aria-describedby', `respond-hint ${problem.id}`);
      answer.focus();
      return;
    }
    void busy(button, async () => {
      try {
        await api.respond(link, answer.value);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'request_not_found') return closed();
        return showError(describeRequestError(error));
      }
      answer.value = '';
      form.hidden = true;
      byId('respond-note-box').hidden = true;
      status.textContent = '';
      setWords({
        'respond-sent-title': 'request.respond.sent_title',
        'respond-sent': 'request.respond.sent',
      });
      byId('respond-sent-box').hidden = false;
      byId('respond-sent-title').focus();
    });
  });
}
