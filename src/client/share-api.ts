import { type ApiCall, ApiError, createApiCall, type Fetch } from './api-call.js';

export { ApiError };

export interface CreateShareRequest {
  readonly secret: string;
  readonly passphrase?: string | undefined;
  readonly ttlSeconds?: number | undefined;
  readonly maxViews?: number | undefined;
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
  readonly timeline: readonly { readonly type: string; readonly at: string }[];
}

export interface ShareApi {
  create(request: CreateShareRequest): Promise<CreatedShare>;
  /** Consumes nothing. */
  status(secretKey: string): Promise<ShareStatus>;
  /** Claims one view. */
  reveal(secretKey: string, passphrase?: string): Promise<{ secret: string; viewsLeft: number }>;
  burn(secretKey: string, passphrase?: string): Promise<void>;
  receipt(receiptKey: string): Promise<Receipt>;
  burnByReceipt(receiptKey: string): Promise<void>;
}

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
    async reveal(secretKey, passphrase) {
      const json = await call(
        'POST',
        `/api/v1/shares/${key(secretKey)}/reveal`,
        passphrase ? { passphrase } : {},
      );
      return { secret: String(json.secret), viewsLeft: Number(json.views_left) };
    },
    async burn(secretKey, passphrase) {
      await call('DELETE', `/api/v1/shares/${key(secretKey)}`, passphrase ? { passphrase } : {});
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
