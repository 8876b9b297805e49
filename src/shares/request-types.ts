/** Secret requests (reverse shares): docs/requests.md. */

/**
 * `open` waits for an answer; `answered` holds one for the requester; `revealed`, `burned` and
 * `expired` have ended (the answer, if any, is erased).
 */
/** The note is shown to the responder: a line or two of context, never a secret. */
export const MAX_NOTE_LENGTH = 1000;

export const REQUEST_STATES = ['open', 'answered', 'revealed', 'burned', 'expired'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Who made a request with a bearer token: a user or a machine identity. */
export interface RequestOwner {
  readonly kind: 'user' | 'machine';
  readonly id: string;
}

export interface CreateRequestInput {
  readonly note?: string | undefined;
  readonly ttlSeconds?: number | undefined;
  readonly owner?: RequestOwner | undefined;
}

export interface CreatedRequest {
  readonly requestId: string;
  /** The requester keeps it: status, reveal, burn. Never stored. */
  readonly requestKey: string;
  /** Sent to the responder: see the note and answer once. Never stored. */
  readonly respondKey: string;
  readonly expiresAt: Date;
}

/** What the responder sees before answering. */
export interface RequestPrompt {
  readonly note: string;
  readonly expiresAt: Date;
}

/** What the requester sees: never the answer. */
export interface RequestStatus {
  readonly requestId: string;
  readonly state: RequestState;
  readonly note: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly answeredAt: Date | undefined;
}
