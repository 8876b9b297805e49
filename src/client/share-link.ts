import { decodeBase64url, encodeBase64url } from './base64url.js';
import { KEY_BYTES } from './client-crypto.js';

/**
 * The one link format of the page and the CLI (version 1):
 *   share:   <base>/s/<secret_key>#1.<base64url content key>
 *   receipt: <base>/r/<receipt_key>
 * The fragment starts with the format version, so a later format can change what follows it. A
 * share link without a fragment is a server-encrypted share (made through the API): it opens too.
 * Version 2 (`#2.<key>`, same key) marks a share with files (docs/file-format.md): a client knows
 * before it spends a view, and one older than files refuses the link instead of spending it.
 */
export const LINK_VERSION = 1;
export const FILES_LINK_VERSION = 2;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** base64url characters of a 32-byte content key. */
const KEY_CHARS = 43;
const INCOMPLETE =
  'this link is incomplete: the key after # was cut short. Ask the sender for the whole link; nothing was used up';
const DAMAGED =
  'this link is damaged: the key after # is not valid. Ask the sender for the whole link; nothing was used up';

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
  /** Present (true) when the link is of a share with files (link version 2). */
  readonly withFiles?: true;
}

export interface ReceiptLink {
  readonly base: string;
  readonly receiptKey: string;
}

const trimBase = (base: string) => base.replace(/\/+$/, '');

/** A soft line break (quoted-printable `=`) or a line break with reply quoting (`> `) inside a link. */
const WRAP = /=?\r?\n[>\s]*/g;
/** Whitespace, zero-width characters and soft hyphens that mail and chat clients slip into text. */
const INVISIBLE = /[\s\u00AD\u200B-\u200D\u2060\uFEFF]+/g;
/** What comes before a pasted link: `<`, brackets, quotes, markdown emphasis (a link starts with h). */
const LEADING = /^(?:[<([{'"`*_\u2018\u201C\u00AB]|%(?:3C|22|27|60))+/i;
/**
 * What mail and chat clients append or wrap around a link: sentence punctuation, closing brackets
 * and quotes (also as the browser percent-encodes them in an address), an ellipsis. None of these
 * is in the base64url alphabet, so a key never loses a character here; `-` and `_` are never cut.
 */
const TRAILING =
  /(?:[.,;:!?)\]}>'"`*\u2019\u201D\u00BB\u2026\u3001\u3002\uFF01\uFF0C\uFF1F]|%(?:20|22|27|3E|60))+$/i;

/**
 * A link as pasted, without what mail and chat clients add to it: surrounding `<…>` or quotes,
 * trailing punctuation, line breaks and spaces inside a wrapped link. (Our links contain no
 * whitespace, so removing all of it is safe.)
 */
export function cleanLinkText(text: string): string {
  return text.replace(WRAP, '').replace(INVISIBLE, '').replace(LEADING, '').replace(TRAILING, '');
}

export function formatShareLink(
  base: string,
  secretKey: string,
  contentKey?: Uint8Array,
  options: { readonly withFiles?: boolean } = {},
): string {
  const version = options.withFiles ? FILES_LINK_VERSION : LINK_VERSION;
  const fragment = contentKey ? `#${version}.${encodeBase64url(contentKey)}` : '';
  return `${trimBase(base)}/s/${secretKey}${fragment}`;
}

export function formatReceiptLink(base: string, receiptKey: string): string {
  return `${trimBase(base)}/r/${receiptKey}`;
}

/** Splits a link into the server base and the last two path segments (`s|r`, token). */
function split(text: string, kind: 's' | 'r'): { base: string; token: string; hash: string } {
  let url: URL;
  try {
    url = new URL(cleanLinkText(text));
  } catch {
    throw new LinkError('not a link: expected https://host/s/… or https://host/r/…');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LinkError('links are http(s) URLs');
  const segments = url.pathname.split('/');
  const token = segments.pop() ?? '';
  const marker = segments.pop();
  if (marker !== kind) {
    throw new LinkError(kind === 's' ? 'not a share link (…/s/<key>#…)' : 'not a receipt link (…/r/<key>)');
  }
  if (!TOKEN.test(token)) {
    throw new LinkError(
      `this link is damaged or incomplete (the part after /${kind}/ should be 43 characters): ask the sender for the whole link; nothing was used up`,
    );
  }
  return { base: trimBase(`${url.origin}${segments.join('/')}`), token, hash: url.hash };
}

export function parseShareLink(text: string): ShareLink {
  const { base, token, hash } = split(text, 's');
  if (hash === '' || hash === '#') return { base, secretKey: token, contentKey: undefined };
  // `#1` alone: the dot and everything after it were cut (or taken for punctuation).
  const match = /^#(\d+)(?:\.([A-Za-z0-9_-]*))?$/.exec(hash);
  if (!match) throw new LinkError(DAMAGED);
  const version = Number(match[1]);
  if (version !== LINK_VERSION && version !== FILES_LINK_VERSION) {
    throw new LinkError(
      `link format ${match[1]} is newer than this client understands (${FILES_LINK_VERSION})`,
    );
  }
  const keyText = match[2] ?? '';
  // A key cut short (a chat client's preview, a line break) is refused here, before any request.
  if (keyText.length < KEY_CHARS) throw new LinkError(INCOMPLETE);
  const contentKey = decodeBase64url(keyText);
  if (contentKey?.length !== KEY_BYTES) throw new LinkError(DAMAGED);
  return { base, secretKey: token, contentKey, ...(version === FILES_LINK_VERSION && { withFiles: true }) };
}

export function parseReceiptLink(text: string): ReceiptLink {
  const { base, token } = split(text, 'r');
  return { base, receiptKey: token };
}
