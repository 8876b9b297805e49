import { t } from './i18n.js';

/**
 * Secret requests on the page: `/request` (the form), `/request/<key>` (the requester's link to
 * keep) and `/respond/<key>` (the link to send). Their code loads on demand, so the page's first
 * load carries none of it.
 */
export function isRequestPage(path: string): boolean {
  return path === '/request' || path.startsWith('/request/') || path.startsWith('/respond/');
}

export async function startRequestPage(href: string): Promise<void> {
  const { startRequestViews } = await import('./request-page.js');
  startRequestViews(href);
}

/** The front page's way in: "Ask someone for a secret". */
export function labelAskLink(): void {
  const link = document.getElementById('ask-link');
  if (link) link.textContent = t('request.ask_link');
}
