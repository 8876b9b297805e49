import { type ApiCall, ApiError, createApiCall, type Fetch } from './api-call.js';

export { ApiError };

export interface CreateShareRequest {
  readonly secret: string;
  readonly passphrase?: string | undefined;
  readonly ttlSeconds?: number | undefined;
  readonly maxViews?: number | undefined;
  /** The link verifier (link-key-check.ts) of the content key the secret was encrypted with. */
  readonly keyCheck?: string | undefined;
}

export interface CreatedShare {
  readonly secretKey: string;
  readonly receiptKey: string;
  readonly expiresAt: string;
  readonly maxViews: number;
  readonly passphraseRequired: boolean;
}

export interface ShareStatus {
  readonly passphraseRequired: boolean;
  readonly expiresAt: string;
  readonly viewsLeft: number;
}

export interface Receipt {
  readonly state: 'pending' | 'consumed' | 'burned' | 'expired';
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly endedAt: string | null;
  readonly endReason: string | null;
  readonly maxViews: number;
  readonly viewsUsed: number;
  readonly viewsLeft: number;
  readonly passphraseRequired: boolean;
  readonly failedPassphraseAttempts: number;
  readonly timeline: readonly { readonly type: string; readonly at: string; readonly detail?: string }[];
}

export interface ShareApi {
  create(request: CreateShareRequest): Promise<CreatedShare>;
  /** Consumes nothing. */
  status(secretKey: string): Promise<ShareStatus>;
  /** Claims one view; `keyProof` is the link verifier, for shares created with one. */
  reveal(
    secretKey: string,
    passphrase?: string,
    keyProof?: string,
  ): Promise<{ secret: string; viewsLeft: number }>;
  burn(secretKey: string, passphrase?: string, keyProof?: string): Promise<void>;
  receipt(receiptKey: string): Promise<Receipt>;
  burnByReceipt(receiptKey: string): Promise<void>;
}

const unlock = (passphrase: string | undefined, keyProof: string | undefined) => ({
  ...(passphrase && { passphrase }),
  ...(keyProof !== undefined && { key_proof: keyProof }),
});

/** A small typed client of the share API, used by the web page and the CLI alike (global fetch). */
export function createShareApi(base: string, fetchImpl: Fetch = fetch): ShareApi {
  const api = createApiCall(base, fetchImpl);
  const call = (method: string, path: string, body?: unknown): ReturnType<ApiCall> =>
    api(method, path, { body });
  const key = (value: string) => encodeURIComponent(value);

  return {
    async create(request) {
      const json = await call('POST', '/api/v1/shares', {
        secret: request.secret,
        ...(request.passphrase !== undefined && { passphrase: request.passphrase }),
        ...(request.ttlSeconds !== undefined && { ttl_seconds: request.ttlSeconds }),
        ...(request.maxViews !== undefined && { max_views: request.maxViews }),
        ...(request.keyCheck !== undefined && { key_check: request.keyCheck }),
      });
      return {
        secretKey: String(json.secret_key),
        receiptKey: String(json.receipt_key),
        expiresAt: String(json.expires_at),
        maxViews: Number(json.max_views),
        passphraseRequired: json.passphrase_required === true,
      };
    },
    async status(secretKey) {
      const json = await call('GET', `/api/v1/shares/${key(secretKey)}`);
      return {
        passphraseRequired: json.passphrase_required === true,
        expiresAt: String(json.expires_at),
        viewsLeft: Number(json.views_left),
      };
    },
    async reveal(secretKey, passphrase, keyProof) {
      const json = await call(
        'POST',
        `/api/v1/shares/${key(secretKey)}/reveal`,
        unlock(passphrase, keyProof),
      );
      return { secret: String(json.secret), viewsLeft: Number(json.views_left) };
    },
    async burn(secretKey, passphrase, keyProof) {
      await call('DELETE', `/api/v1/shares/${key(secretKey)}`, unlock(passphrase, keyProof));
    },
    async receipt(receiptKey) {
      const json = await call('GET', `/api/v1/receipts/${key(receiptKey)}`);
      return {
        state: json.state as Receipt['state'],
        createdAt: String(json.created_at),
        expiresAt: String(json.expires_at),
        endedAt: (json.ended_at as string | null) ?? null,
        endReason: (json.end_reason as string | null) ?? null,
        maxViews: Number(json.max_views),
        viewsUsed: Number(json.views_used),
        viewsLeft: Number(json.views_left),
        passphraseRequired: json.passphrase_required === true,
        failedPassphraseAttempts: Number(json.failed_passphrase_attempts),
        timeline: (json.timeline as Receipt['timeline'] | undefined) ?? [],
      };
    },
    async burnByReceipt(receiptKey) {
      await call('POST', `/api/v1/receipts/${key(receiptKey)}/burn`, {});
    },
  };
}
