import { ApiError } from '../client/api-call.js';
import { RequestCryptoError } from '../client/request-crypto.js';
import { LinkError } from '../client/share-link.js';
import { byId, showProblem } from './dom.js';
import { t } from './i18n.js';
import type { MessageKey } from './messages/en.js';

/** Sets each element's text (by id) to its message. */
export function setWords(words: Readonly<Record<string, MessageKey>>): void {
  for (const [id, key] of Object.entries(words)) byId(id).textContent = t(key);
}

/** Words for a failure, by the server's stable code; never what the user typed. */
export function describeRequestError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('request.error.network');
    if (error.code === 'rate_limited') return t('request.error.rate_limited');
    if (error.code === 'ttl_out_of_range') return t('request.error.ttl');
    if (error.code === 'secret_too_large') return t('request.respond.too_large');
    if (error.code === 'request_not_found') return t('request.closed.text');
  }
  if (error instanceof RequestCryptoError) return t('request.error.crypto');
  if (error instanceof LinkError) return t('request.broken.text');
  return t('request.error.unknown');
}

export const showBrokenLink = () =>
  showProblem({ title: t('request.broken.title'), text: t('request.broken.text') });

/** A date and time in the reader's language. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}
