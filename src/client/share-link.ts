import { decodeBase64url, encodeBase64url } from './base64url.js';
import { KEY_BYTES } from './client-crypto.js';

/**
 * The one link format of the page and the CLI (version 1):
 *   share:   <base>/s/<secret_key>#1.<base64url content key>
 *   receipt: <base>/r/<receipt_key>
 * The fragment starts with the format version, so a later format can change what follows it. A
 * share link without a fragment is a server-encrypted share (made through the API): it opens too.
 */
export const LINK_VERSION = 1;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}

export interface ShareLink {
  /** Where the hush server is, e.g. https://hush.example.com (no trailing slash). */
  readonly base: string;
  readonly secretKey: string;
  /** The content key from the fragment; undefined for a server-encrypted share. */
  readonly contentKey: Uint8Array | undefined;
}

export interface ReceiptLink {
  readonly base: string;
  readonly receiptKey: string;
}

const trimBase = (base: string) => base.replace(/\/+$/, '');

export function formatShareLink(base: string, secretKey: string, contentKey?: Uint8Array): string {
  const fragment = contentKey ? `#${LINK_VERSION}.${encodeBase64url(contentKey)}` : '';
  return `${trimBase(base)}/s/${secretKey}${fragment}`;
}

export function formatReceiptLink(base: string, receiptKey: string): string {
  return `${trimBase(base)}/r/${receiptKey}`;
}

/** Splits a link into the server base and the last two path segments (`s|r`, token). */
function split(text: string, kind: 's' | 'r'): { base: string; token: string; hash: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new LinkError('not a link: expected https://host/s/… or https://host/r/…');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LinkError('links are http(s) URLs');
  const segments = url.pathname.split('/');
  const token = segments.pop() ?? '';
  const marker = segments.pop();
  if (marker !== kind || !TOKEN.test(token)) {
    throw new LinkError(kind === 's' ? 'not a share link (…/s/<key>#…)' : 'not a receipt link (…/r/<key>)');
  }
  return { base: trimBase(`${url.origin}${segments.join('/')}`), token, hash: url.hash };
}

export function parseShareLink(text: string): ShareLink {
  const { base, token, hash } = split(text, 's');
  if (hash === '' || hash === '#') return { base, secretKey: token, contentKey: undefined };
  const match = /^#(\d+)\.([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match) throw new LinkError('the part after # is damaged');
  if (Number(match[1]) !== LINK_VERSION) {
    throw new LinkError(`link format ${match[1]} is newer than this client understands (${LINK_VERSION})`);
  }
  const contentKey = decodeBase64url(match[2] ?? '');
  if (contentKey?.length !== KEY_BYTES) throw new LinkError('the key after # is damaged');
  return { base, secretKey: token, contentKey };
}

export function parseReceiptLink(text: string): ReceiptLink {
  const { base, token } = split(text, 'r');
  return { base, receiptKey: token };
}
