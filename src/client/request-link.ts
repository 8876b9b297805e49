import { decodeBase64url, encodeBase64url } from './base64url.js';
import { PUBLIC_KEY_BYTES } from './request-envelope.js';
import { cleanLinkText, LINK_VERSION, LinkError } from './share-link.js';

/**
 * Links of a secret request (version 1, like share links):
 *   to send: <base>/respond/<respond_key>#1.<base64url P-256 public key, uncompressed>
 *   to keep: <base>/request/<request_key>#1.<base64url private key, PKCS #8>
 */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface RespondLink {
  readonly base: string;
  readonly respondKey: string;
  readonly publicKey: Uint8Array;
}

export interface KeepLink {
  readonly base: string;
  readonly requestKey: string;
  readonly privateKey: Uint8Array;
}

const trimBase = (base: string) => base.replace(/\/+$/, '');
const fragment = (key: Uint8Array) => `#${LINK_VERSION}.${encodeBase64url(key)}`;

export function formatRespondLink(base: string, respondKey: string, publicKey: Uint8Array): string {
  return `${trimBase(base)}/respond/${respondKey}${fragment(publicKey)}`;
}

export function formatKeepLink(base: string, requestKey: string, privateKey: Uint8Array): string {
  return `${trimBase(base)}/request/${requestKey}${fragment(privateKey)}`;
}

/** Whether `text` looks like a link to keep (…/request/<key>), for commands that take both kinds. */
export function isKeepLink(text: string): boolean {
  try {
    return new URL(cleanLinkText(text)).pathname.split('/').at(-2) === 'request';
  } catch {
    return false;
  }
}

function split(text: string, kind: 'respond' | 'request'): { base: string; token: string; key: Uint8Array } {
  let url: URL;
  try {
    url = new URL(cleanLinkText(text));
  } catch {
    throw new LinkError(`not a link: expected https://host/${kind}/…`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LinkError('links are http(s) URLs');
  const segments = url.pathname.split('/');
  const token = segments.pop() ?? '';
  if (segments.pop() !== kind) {
    throw new LinkError(
      kind === 'respond'
        ? 'not a link to answer (…/respond/<key>#…)'
        : 'not a request link to keep (…/request/<key>#…)',
    );
  }
  if (!TOKEN.test(token)) {
    throw new LinkError(
      `this link is damaged or incomplete (the part after /${kind}/ should be 43 characters)`,
    );
  }
  const match = /^#(\d+)\.([A-Za-z0-9_-]+)$/.exec(url.hash);
  if (!match) throw new LinkError('this link is incomplete: the key after # is missing or cut short');
  if (Number(match[1]) !== LINK_VERSION) {
    throw new LinkError(`link format ${match[1]} is newer than this client understands (${LINK_VERSION})`);
  }
  const key = decodeBase64url(match[2] ?? '');
  if (!key) throw new LinkError('this link is damaged or was cut short: the key after # is not valid');
  return { base: trimBase(`${url.origin}${segments.join('/')}`), token, key };
}

export function parseRespondLink(text: string): RespondLink {
  const { base, token, key } = split(text, 'respond');
  if (key.length !== PUBLIC_KEY_BYTES || key[0] !== 4) {
    throw new LinkError('this link is incomplete or damaged: the key after # is not a public key');
  }
  return { base, respondKey: token, publicKey: key };
}

export function parseKeepLink(text: string): KeepLink {
  const { base, token, key } = split(text, 'request');
  // A P-256 PKCS #8 key is 138 bytes (67 without its public point); anything shorter was cut.
  if (key.length < 67) throw new LinkError('this link is incomplete: the key after # was cut short');
  return { base, requestKey: token, privateKey: key };
}
