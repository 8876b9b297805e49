import { wireCopy } from './copy.js';
import { byId, formatDate, showView } from './dom.js';

export interface CreatedLinks {
  readonly shareLink: string;
  readonly receiptLink: string;
  readonly expiresAt: string;
  readonly maxViews: number;
  readonly passphraseRequired: boolean;
}

let wired = false;

/** The view after a create: the link to send (with a copy button) and the sender's receipt link. */
export function showResult(links: CreatedLinks): void {
  const field = byId<HTMLInputElement>('share-link');
  if (!wired) {
    wireCopy(byId<HTMLButtonElement>('copy'), byId('copy-status'), () => field);
    wired = true;
  }
  field.value = links.shareLink;
  const receipt = byId<HTMLAnchorElement>('receipt-link');
  receipt.href = links.receiptLink;
  const views = links.maxViews === 1 ? 'once' : `${links.maxViews} times`;
  const passphrase = links.passphraseRequired ? ' with the passphrase' : '';
  byId('result-summary').textContent =
    `It opens ${views}${passphrase}, until ${formatDate(links.expiresAt)}. After that it is gone.`;
  showView('result-view');
}
