import {
  describeAttempts,
  describeStatus,
  describeTimeline,
  describeViews,
} from '../client/receipt-words.js';
import { ApiError, type Receipt, type ShareApi } from '../client/share-api.js';
import { parseReceiptLink } from '../client/share-link.js';
import {
  BROKEN_LINK,
  busy,
  byId,
  describeError,
  formatDate,
  showError,
  showProblem,
  showView,
} from './dom.js';

/** How often a live receipt asks again: news within seconds, yet a forgotten tab costs little. */
const POLL_MS = 12_000;

const NO_RECEIPT = {
  title: 'There is no receipt here',
  text: 'This receipt link is wrong, or the secret ended so long ago that its record was deleted.',
};

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
    showProblem({
      ...BROKEN_LINK,
      text: 'Part of this receipt link is missing or was changed on the way. Copy it again from where you kept it, in one piece.',
    });
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
      } else showError(describeError(error));
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
        if (!(error instanceof ApiError && error.code === 'not_found'))
          return showError(describeError(error));
      }
      burnBox.hidden = true;
      await load();
      byId('receipt-title').focus();
    });
  });
  void load();
}

/**
 * Sets an element's text only when it changed: the facts are a live region, and a poll that
 * rewrote the same words every 12 s would have a screen reader read them out again each time.
 */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Shows a pair of `<dt>`/`<dd>` rows with this text, or hides both. */
function fact(id: string, text: string | undefined): void {
  byId(`${id}-label`).hidden = text === undefined;
  const value = byId(id);
  value.hidden = text === undefined;
  setText(value, text ?? '');
}

function render(receipt: Receipt): void {
  const live = receipt.state === 'pending';
  setText(byId('receipt-state'), describeStatus(receipt));
  setText(byId('receipt-views'), describeViews(receipt));
  fact('receipt-attempts', describeAttempts(receipt));
  // An ended share has no expiry left to wait for: its end time is shown instead.
  fact('receipt-expires', live ? formatDate(receipt.expiresAt) : undefined);
  fact('receipt-ended', live ? undefined : formatDate(receipt.endedAt ?? receipt.expiresAt));
  byId('receipt-live').hidden = !live;
  byId('refresh').hidden = !live;
  byId('burn').hidden = !live;
  if (!live) byId('burn-box').hidden = true;
  // Rebuilt only when it changed, so a poll never drops the reader's text selection.
  const items = describeTimeline(receipt).map((entry) => {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = entry.at;
    time.textContent = formatDate(entry.at, true);
    item.append(`${entry.text}, `, time);
    return item;
  });
  const timeline = byId('timeline');
  const words = (list: Iterable<Element>) => [...list].map((item) => item.textContent).join('\n');
  if (words(items) !== words(timeline.children)) timeline.replaceChildren(...items);
}
