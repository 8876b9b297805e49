import { ApiError, type Receipt, type ShareApi } from '../client/share-api.js';
import { parseReceiptLink } from '../client/share-link.js';
import {
  BROKEN_LINK,
  busy,
  byId,
  errorWords,
  type Problem,
  showError,
  showProblem,
  showView,
} from './dom.js';
import { say, sayDate, type Text } from './page-words.js';
import { attemptsWords, statusWords, timelineWords, viewsWords } from './receipt-text.js';

/** How often a live receipt asks again: news within seconds, yet a forgotten tab costs little. */
const POLL_MS = 12_000;

const NO_RECEIPT: Problem = { title: { key: 'receipt.none-title' }, text: { key: 'receipt.none-text' } };

/**
 * The sender's page: status, views and timeline in words; burn asks for a second click on its own
 * button. While the share is live the page refreshes itself, paused while the tab is hidden.
 */
export function startReceipt(api: ShareApi, href: string): void {
  showView('receipt-view', false);
  const burn = byId<HTMLButtonElement>('burn');
  const burnBox = byId('burn-box');
  const refresh = byId<HTMLButtonElement>('refresh');

  let receiptKey: string;
  try {
    receiptKey = parseReceiptLink(href).receiptKey;
  } catch {
    showProblem({ ...BROKEN_LINK, text: { key: 'receipt.broken-text' } });
    return;
  }

  let live = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer =
      live && document.visibilityState === 'visible' ? setTimeout(() => void load(), POLL_MS) : undefined;
  };
  const load = async () => {
    try {
      const receipt = await api.receipt(receiptKey);
      live = receipt.state === 'pending';
      render(receipt);
      showError(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') {
        live = false;
        showProblem(NO_RECEIPT);
      } else showError(errorWords(error));
    }
    schedule();
  };
  document.addEventListener('visibilitychange', () => {
    // Back in view: catch up at once, then keep polling; hidden: the next timer never starts.
    if (document.visibilityState === 'visible' && live) void load();
    else clearTimeout(timer);
  });

  refresh.addEventListener('click', () => void busy(refresh, load));
  burn.addEventListener('click', () => {
    burnBox.hidden = false;
    byId('burn-confirm').focus();
  });
  byId('burn-cancel').addEventListener('click', () => {
    burnBox.hidden = true;
    burn.focus();
  });
  const confirm = byId<HTMLButtonElement>('burn-confirm');
  confirm.addEventListener('click', () => {
    void busy(confirm, async () => {
      try {
        await api.burnByReceipt(receiptKey);
      } catch (error) {
        // Already ended: the refresh below shows how.
        if (!(error instanceof ApiError && error.code === 'not_found')) return showError(errorWords(error));
      }
      burnBox.hidden = true;
      await load();
      byId('receipt-title').focus();
    });
  });
  void load();
}

/** Shows a pair of `<dt>`/`<dd>` rows with this text (or date), or hides both. */
function fact(id: string, text: Text | { readonly date: string } | undefined): void {
  byId(`${id}-label`).hidden = text === undefined;
  const value = byId(id);
  value.hidden = text === undefined;
  if (text !== undefined && typeof text === 'object' && 'date' in text) sayDate(value, text.date);
  else say(value, text);
}

function render(receipt: Receipt): void {
  const live = receipt.state === 'pending';
  // `say` writes only when the words changed: the facts are a live region, and a poll that rewrote
  // the same words every 12 s would have a screen reader read them out again each time.
  say(byId('receipt-state'), statusWords(receipt));
  say(byId('receipt-views'), viewsWords(receipt));
  fact('receipt-attempts', attemptsWords(receipt));
  // An ended share has no expiry left to wait for: its end time is shown instead.
  fact('receipt-expires', live ? { date: receipt.expiresAt } : undefined);
  fact('receipt-ended', live ? undefined : { date: receipt.endedAt ?? receipt.expiresAt });
  byId('receipt-live').hidden = !live;
  byId('refresh').hidden = !live;
  byId('burn').hidden = !live;
  if (!live) byId('burn-box').hidden = true;
  // Rebuilt only when it changed, so a poll never drops the reader's text selection.
  const items = timelineWords(receipt).map((entry) => {
    const item = document.createElement('li');
    const text = document.createElement('span');
    say(text, entry.words);
    const time = document.createElement('time');
    time.dateTime = entry.at;
    sayDate(time, entry.at, true);
    item.append(text, ', ', time);
    return item;
  });
  const timeline = byId('timeline');
  const words = (list: Iterable<Element>) => [...list].map((item) => item.textContent).join('\n');
  if (words(items) !== words(timeline.children)) timeline.replaceChildren(...items);
}
