import type { Static } from 'typebox';
import type {
  CreatedShareResponse,
  CreateShareBody,
  ReceiptResponse,
  RevealBody,
  RevealResponse,
  ShareStatusResponse,
} from '../http/schemas/share-schemas.js';
import { type ApiCall, ApiError, createApiCall, type Fetch } from './api-call.js';
import { type CamelKeys, camelKeys, snakeKeys } from './camel-keys.js';

export { ApiError };

// The share API's bodies are its schemas' types, renamed to camelCase (camel-keys.ts). The schemas
// are imported as types only: the page bundle carries no TypeBox (test/web-budget.test.ts).
/** `keyCheck` is the link verifier (link-key-check.ts) of the content key the secret was encrypted with. */
/** `upload` attaches a complete upload of the share's files (file-api.ts) to the new share. */
export type CreateShareRequest = Omit<CamelKeys<Static<typeof CreateShareBody>>, 'upload'> & {
  readonly upload?: { readonly id: string; readonly key: string };
};
export type CreatedShare = CamelKeys<Static<typeof CreatedShareResponse>>;
export type ShareStatus = CamelKeys<Static<typeof ShareStatusResponse>>;
/** The single-use download grant a reveal of a share with files gives (valid minutes to start). */
export interface ShareFiles {
  readonly downloadKey: string;
  /** Stored bytes of the whole download. */
  readonly bytes: number;
  readonly expiresAt: string;
}
export type RevealedShare = Omit<CamelKeys<Static<typeof RevealResponse>>, 'files'> & {
  readonly files?: ShareFiles;
};
export type Receipt = CamelKeys<Static<typeof ReceiptResponse>>;

export interface ShareApi {
  create(request: CreateShareRequest): Promise<CreatedShare>;
  /** Consumes nothing. */
  status(secretKey: string): Promise<ShareStatus>;
  /** Claims one view; `keyProof` is the link verifier, for shares created with one. */
  reveal(secretKey: string, passphrase?: string, keyProof?: string): Promise<RevealedShare>;
  burn(secretKey: string, passphrase?: string, keyProof?: string): Promise<void>;
  receipt(receiptKey: string): Promise<Receipt>;
  burnByReceipt(receiptKey: string): Promise<void>;
}

/** The reveal answer on the wire (`files` is there when the share has files). */
type RevealAnswer = Static<typeof RevealResponse> & {
  readonly files?: { readonly download_key: string; readonly bytes: number; readonly expires_at: string };
};

const unlock = (passphrase: string | undefined, keyProof: string | undefined): Static<typeof RevealBody> => ({
  ...(passphrase && { passphrase }),
  ...(keyProof !== undefined && { key_proof: keyProof }),
});

/** A small typed client of the share API, used by the web page and the CLI alike (global fetch). */
export function createShareApi(base: string, fetchImpl: Fetch = fetch): ShareApi {
  const api: ApiCall = createApiCall(base, fetchImpl);
  const key = (value: string) => encodeURIComponent(value);

  return {
    async create(request) {
      const body: Static<typeof CreateShareBody> = snakeKeys(request);
      return camelKeys(await api<Static<typeof CreatedShareResponse>>('POST', '/api/v1/shares', { body }));
    },
    async status(secretKey) {
      return camelKeys(
        await api<Static<typeof ShareStatusResponse>>('GET', `/api/v1/shares/${key(secretKey)}`),
      );
    },
    async reveal(secretKey, passphrase, keyProof) {
      const path = `/api/v1/shares/${key(secretKey)}/reveal`;
      const body = unlock(passphrase, keyProof);
      const { files, ...revealed } = await api<RevealAnswer>('POST', path, { body });
      return { ...camelKeys(revealed), ...(files && { files: camelKeys(files) }) };
    },
    async burn(secretKey, passphrase, keyProof) {
      await api('DELETE', `/api/v1/shares/${key(secretKey)}`, { body: unlock(passphrase, keyProof) });
    },
    async receipt(receiptKey) {
      return camelKeys(
        await api<Static<typeof ReceiptResponse>>('GET', `/api/v1/receipts/${key(receiptKey)}`),
      );
    },
    async burnByReceipt(receiptKey) {
      await api('POST', `/api/v1/receipts/${key(receiptKey)}/burn`, { body: {} });
    },
  };
}
