/** Where a share is in its life. Everything but `pending` has no content left. */
export type ShareState = 'pending' | 'consumed' | 'burned' | 'expired';

/** Why a share ended; shown on the receipt. */
export type EndReason = 'viewed' | 'burned' | 'burned_by_sender' | 'passphrase_attempts' | 'expired';

/** Which operations a passphrase guards: reveal and burn (native), or only burn (the secret-manager API). */
export type PassphraseScope = 'reveal' | 'burn';

export interface CreateShareInput {
  readonly secret: string;
  readonly passphrase?: string | undefined;
  readonly ttlSeconds?: number | undefined;
  readonly maxViews?: number | undefined;
  readonly passphraseScope?: PassphraseScope;
  /** The link verifier (base64url, 32 bytes) a client derived from its content key; see link-key-check.ts. */
  readonly keyCheck?: string | undefined;
  /** A complete upload of the share's files (POST /uploads), attached by the create. */
  readonly upload?: { readonly id: string; readonly key: string } | undefined;
}

/** What a reveal or a burn by secret key brings to open the share. */
export interface ShareCredentials {
  readonly passphrase?: string | undefined;
  /** The link verifier again, for shares created with one. */
  readonly keyProof?: string | undefined;
}

export interface CreatedShare {
  readonly secretKey: string;
  readonly receiptKey: string;
  readonly shareId: string;
  readonly expiresAt: Date;
  readonly maxViews: number;
  readonly passphraseRequired: boolean;
}

export interface ShareStatus {
  readonly passphraseRequired: boolean;
  readonly expiresAt: Date;
  readonly viewsLeft: number;
}

export interface RevealedShare {
  readonly secret: string;
  readonly viewsLeft: number;
  /** The view's download of the share's files, when it has some: single use, start it soon. */
  readonly files?:
    | { readonly downloadKey: string; readonly bytes: number; readonly expiresAt: Date }
    | undefined;
}

export interface ReceiptEvent {
  readonly type: string;
  readonly at: Date;
  /** Why a DELETE ended the share (burned, burned_by_sender, passphrase_attempts). */
  readonly detail: string | undefined;
}

export interface Receipt {
  readonly shareId: string;
  readonly state: ShareState;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly endedAt: Date | undefined;
  readonly endReason: EndReason | undefined;
  readonly maxViews: number;
  readonly viewsUsed: number;
  readonly viewsLeft: number;
  readonly passphraseRequired: boolean;
  readonly failedPassphraseAttempts: number;
  readonly timeline: readonly ReceiptEvent[];
}
