import { wireCopy } from './copy.js';
import { byId, formatDate, showView } from './dom.js';
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
const unkept = (): string[] => [
  ...(kept.share ? [] : ['the link to send']),
  ...(kept.receipt ? [] : ['the receipt link']),
];

const warnBeforeUnload = (event: BeforeUnloadEvent) => {
  if (unkept().length === 0) return;
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
    const missing = unkept();
    if (missing.length === 0) return leave();
    const [it, is] = missing.length === 1 ? ['it', 'It is'] : ['they', 'They are'];
    byId('leave-question').textContent =
      `You have not copied ${missing.join(' or ')} yet. ${is} shown only here: once you leave, ` +
      `${it} cannot be shown again. Share another secret anyway?`;
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
  const views = links.maxViews === 1 ? 'once' : `${links.maxViews} times`;
  const passphrase = links.passphraseRequired ? ' with the passphrase' : '';
  byId('result-summary').textContent =
    `It opens ${views}${passphrase}, until ${formatDate(links.expiresAt)}. After that it is gone.`;
  window.addEventListener('beforeunload', warnBeforeUnload);
  showView('result-view');
}
