import type { Static } from 'typebox';
import type {
  CreatedRequestResponse,
  RequestPromptResponse,
  RequestStatusResponse,
  RevealedAnswerResponse,
} from '../http/schemas/request-schemas.js';
import { type ApiCall, createApiCall, type Fetch } from './api-call.js';
import { checkRequestKey, decryptAnswer, encryptAnswer, newRequestKeyPair } from './request-crypto.js';
import { formatKeepLink, formatRespondLink, type KeepLink, type RespondLink } from './request-link.js';

// Schemas as types only: the page bundle carries no TypeBox.
export type RequestStatus = Static<typeof RequestStatusResponse>;
export type RequestPrompt = Static<typeof RequestPromptResponse>;

export interface MadeRequest {
  readonly requestId: string;
  /** Send this one to whoever should answer. */
  readonly respondLink: string;
  /** Keep this one: it opens the answer, once. */
  readonly keepLink: string;
  readonly expiresAt: string;
}

/**
 * Secret requests end to end for the page and the CLI: the key pair is made here and its private
 * half only ever goes into the link to keep; answers are encrypted here before they are sent.
 */
export interface RequestApi {
  create(options: { note?: string; ttlSeconds?: number; bearer?: string }): Promise<MadeRequest>;
  /** The note of an open request (consumes nothing). */
  prompt(link: RespondLink): Promise<RequestPrompt>;
  /** Encrypts `text` to the link's public key and sends it: only the first answer counts. */
  respond(link: RespondLink, text: string): Promise<void>;
  status(link: KeepLink): Promise<RequestStatus>;
  /** Claims the answer (once) and opens it with the link's private key. */
  reveal(link: KeepLink): Promise<string>;
  burn(link: KeepLink): Promise<void>;
}

/** `base` is where the API is; links are made under `linkBase` (the page's origin, or the server). */
export function createRequestApi(base: string, fetchImpl: Fetch = fetch, linkBase = base): RequestApi {
  const api: ApiCall = createApiCall(base, fetchImpl);
  const key = (value: string) => encodeURIComponent(value);

  return {
    async create({ note, ttlSeconds, bearer }) {
      const pair = await newRequestKeyPair();
      const body = {
        ...(note ? { note } : {}),
        ...(ttlSeconds !== undefined && { ttl_seconds: ttlSeconds }),
      };
      const made = await api<Static<typeof CreatedRequestResponse>>('POST', '/api/v1/requests', {
        body,
        ...(bearer !== undefined && { bearer }),
      });
      return {
        requestId: made.request_id,
        respondLink: formatRespondLink(linkBase, made.respond_key, pair.publicKey),
        keepLink: formatKeepLink(linkBase, made.request_key, pair.privateKey),
        expiresAt: made.expires_at,
      };
    },
    prompt: (link) => api<RequestPrompt>('GET', `/api/v1/requests/respond/${key(link.respondKey)}`),
    async respond(link, text) {
      const answer = await encryptAnswer(link.publicKey, text);
      await api('POST', `/api/v1/requests/respond/${key(link.respondKey)}`, { body: { answer } });
    },
    status: (link) => api<RequestStatus>('GET', `/api/v1/requests/${key(link.requestKey)}`),
    async reveal(link) {
      await checkRequestKey(link.privateKey);
      const path = `/api/v1/requests/${key(link.requestKey)}/reveal`;
      const { answer } = await api<Static<typeof RevealedAnswerResponse>>('POST', path, { body: {} });
      return decryptAnswer(link.privateKey, answer);
    },
    async burn(link) {
      await api('DELETE', `/api/v1/requests/${key(link.requestKey)}`);
    },
  };
}
