import { ApiError, type Receipt, type ShareApi } from '../client/share-api.js';
import { parseReceiptLink } from '../client/share-link.js';
import { busy, byId, describeError, formatDate, showError, showView } from './dom.js';

/** What each timeline event means to the sender (the raw type is shown too). */
const EVENTS: Record<string, string> = {
  CREATE: 'created',
  READ: 'opened',
  PASSPHRASE_FAILED: 'wrong passphrase',
  DELETE: 'ended',
  EXPIRE: 'expired',
};

/** The sender's page: state, views and timeline; burn asks for a second click on its own button. */
export function startReceipt(api: ShareApi, href: string): void {
  showView('receipt-view', false);
  const state = byId('receipt-state');
  const burn = byId<HTMLButtonElement>('burn');
  const burnBox = byId('burn-box');
  const refresh = byId<HTMLButtonElement>('refresh');

  let receiptKey: string;
  try {
    receiptKey = parseReceiptLink(href).receiptKey;
  } catch (error) {
    state.textContent = 'unknown';
    showError(describeError(error));
    refresh.hidden = true;
    return;
  }

  const load = async () => {
    try {
      render(await api.receipt(receiptKey));
      showError(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') {
        state.textContent = 'unknown';
        burn.hidden = true;
        showError(
          'No receipt at this link: it is wrong, or the record was deleted after its retention time.',
        );
        return;
      }
      showError(describeError(error));
    }
  };

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
      refresh.focus();
    });
  });
  void load();
}

function render(receipt: Receipt): void {
  byId('receipt-state').textContent = receipt.state;
  byId('receipt-views').textContent =
    `${receipt.viewsUsed} of ${receipt.maxViews} ${receipt.maxViews === 1 ? 'view' : 'views'} used`;
  byId('receipt-expires').textContent = formatDate(receipt.expiresAt);
  const burn = byId<HTMLButtonElement>('burn');
  burn.hidden = receipt.state !== 'pending';
  if (burn.hidden) byId('burn-box').hidden = true;
  const items = receipt.timeline.map((event) => {
    const item = document.createElement('li');
    const type = document.createElement('span');
    type.className = 'event';
    type.textContent = event.type;
    const time = document.createElement('time');
    time.dateTime = event.at;
    time.textContent = formatDate(event.at);
    item.append(type, ` ${EVENTS[event.type] ?? ''} `, time);
    return item;
  });
  byId('timeline').replaceChildren(...items);
}
