import { wireCopy } from './copy.js';
import { byId, showView } from './dom.js';
import type { MessageKey } from './i18n.js';
import { sayKey } from './page-words.js';
import { hideQr, wireQr } from './qr-view.js';

export interface CreatedLinks {
  readonly shareLink: string;
  readonly receiptLink: string;
  readonly expiresAt: string;
  readonly maxViews: number;
  readonly passphraseRequired: boolean;
}

/** Which of the two links the sender has kept (copied, or for the receipt: opened in a tab). */
const kept = { share: false, receipt: false };

/**
 * The links exist only on this page (the share link holds the only copy of the key), so leaving
 * before both are kept asks first. Once both are copied it asks nothing: the sender has them, and
 * a warning on every later tab close would only teach them to click it away.
 */
const unkept = (): MessageKey | undefined => {
  if (!kept.share && !kept.receipt) return 'result.leave-both';
  if (!kept.share) return 'result.leave-share';
  if (!kept.receipt) return 'result.leave-receipt';
  return undefined;
};

const warnBeforeUnload = (event: BeforeUnloadEvent) => {
  if (unkept() === undefined) return;
  event.preventDefault();
  event.returnValue = ''; // older browsers show their own words only when this is set
};

/** Wires the result view once; `another` opens the create form again. */
export function wireResult(another: () => void): void {
  const share = byId<HTMLInputElement>('share-link');
  const receipt = byId<HTMLInputElement>('receipt-field');
  wireCopy(
    byId<HTMLButtonElement>('copy'),
    byId('copy-status'),
    () => share,
    () => {
      kept.share = true;
    },
  );
  wireCopy(
    byId<HTMLButtonElement>('copy-receipt'),
    byId('copy-receipt-status'),
    () => receipt,
    () => {
      kept.receipt = true;
    },
  );
  wireQr(() => share.value);
  byId('receipt-link').addEventListener('click', () => {
    kept.receipt = true;
  });

  const box = byId('leave-box');
  const leave = () => {
    window.removeEventListener('beforeunload', warnBeforeUnload);
    box.hidden = true;
    another();
  };
  byId('new').addEventListener('click', () => {
    const question = unkept();
    if (question === undefined) return leave();
    sayKey(byId('leave-question'), question);
    box.hidden = false;
    byId('leave-cancel').focus();
  });
  byId('leave-confirm').addEventListener('click', leave);
  byId('leave-cancel').addEventListener('click', () => {
    box.hidden = true;
    byId('new').focus();
  });
}

/** The view after a create: the link to send and the sender's receipt link, each with a copy button. */
export function showResult(links: CreatedLinks): void {
  kept.share = false;
  kept.receipt = false;
  byId<HTMLInputElement>('share-link').value = links.shareLink;
  byId<HTMLInputElement>('receipt-field').value = links.receiptLink;
  byId<HTMLAnchorElement>('receipt-link').href = links.receiptLink;
  byId('leave-box').hidden = true;
  hideQr();
  sayKey(byId('result-summary'), links.passphraseRequired ? 'result.summary-passphrase' : 'result.summary', {
    count: links.maxViews,
    until: { date: links.expiresAt },
    relative: { relative: links.expiresAt },
  });
  window.addEventListener('beforeunload', warnBeforeUnload);
  showView('result-view');
}
