import type { AuditService } from '../audit/audit-service.js';
import type { Actor, EventType } from '../audit/audit-types.js';
import { open, seal } from '../crypto/aead.js';
import { hkdfSha256 } from '../crypto/share-key.js';
import { newPublicId, newToken, parseToken } from '../crypto/tokens.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { ShareSettingsSource } from '../settings/share-settings.js';
import type { RequestRecord, RequestStore } from '../storage/request-store.js';
import type {
  CreatedRequest,
  CreateRequestInput,
  RequestPrompt,
  RequestState,
  RequestStatus,
} from './request-types.js';
import { validateAnswer, validateRequestInput } from './request-validation.js';

export interface RequestServiceDeps {
  readonly store: RequestStore;
  readonly audit: AuditService;
  readonly settings: ShareSettingsSource;
  readonly masterKey: Buffer;
  readonly now?: () => number;
}

/** Secret requests (docs/requests.md): every unknown or ended key answers request_not_found. */
export interface RequestService {
  create(input: CreateRequestInput, client: ClientInfo, actor?: Actor): Promise<CreatedRequest>;
  /** What the responder sees (the note) while the request is open. */
  prompt(respondKey: string): Promise<RequestPrompt>;
  /** Stores the responder's envelope; only the first answer counts. */
  answer(respondKey: string, answer: string, client: ClientInfo): Promise<void>;
  status(requestKey: string): Promise<RequestStatus>;
  /** The answer, once: the claim erases it. */
  reveal(requestKey: string, client: ClientInfo): Promise<string>;
  burn(requestKey: string, client: ClientInfo): Promise<void>;
}

/** At rest, note and answer are sealed under a key of the master key bound to the request. */
const sealKey = (masterKey: Buffer, id: string, part: 'note' | 'answer') =>
  hkdfSha256(masterKey, Buffer.from(id, 'utf8'), `hush/request-${part}/v1/${id}`);
const associated = (id: string, part: 'note' | 'answer') =>
  Buffer.from(`hush/request-${part}/v1/${id}`, 'utf8');

export function createRequestService(deps: RequestServiceDeps): RequestService {
  const now = deps.now ?? Date.now;
  const { store, audit, masterKey } = deps;

  const event = (type: EventType, id: string, client: ClientInfo, actor?: Actor) =>
    audit.prepare({ type, subject: { kind: 'request', id }, client, ...(actor ? { actor } : {}) });
  const sealPart = (id: string, part: 'note' | 'answer', text: string) =>
    seal(sealKey(masterKey, id, part), Buffer.from(text, 'utf8'), associated(id, part));
  const openPart = (id: string, part: 'note' | 'answer', sealed: Buffer | undefined) =>
    sealed ? open(sealKey(masterKey, id, part), sealed, associated(id, part)).toString('utf8') : '';

  const byKey = async (requestKey: string): Promise<RequestRecord> => {
    const token = parseToken(requestKey);
    const request = token && (await store.findByKey(token.hash));
    if (!request) throw new HushError('request_not_found');
    return request;
  };
  const stateAt = (request: RequestRecord, at: number): RequestState =>
    (request.state === 'open' || request.state === 'answered') && request.expiresAt <= at
      ? 'expired'
      : request.state;

  return {
    async create(input, client, actor) {
      // Asking for a secret creates one: the same rule as for shares.
      if (deps.settings.current().requireSignIn && input.owner === undefined) {
        throw new HushError('sign_in_required');
      }
      const valid = validateRequestInput(input, deps.settings.current());
      const createdAt = now();
      const id = newPublicId();
      const requestToken = newToken();
      const respondToken = newToken();
      const record = {
        id,
        requestHash: requestToken.hash,
        respondHash: respondToken.hash,
        note: valid.note === '' ? undefined : sealPart(id, 'note', valid.note),
        owner: input.owner,
        createdAt,
        expiresAt: createdAt + valid.ttlSeconds * 1000,
      };
      const events = [event('request.created', id, client, actor)];
      await store.create(record, events);
      audit.stored(events);
      return {
        requestId: id,
        requestKey: requestToken.text,
        respondKey: respondToken.text,
        expiresAt: new Date(record.expiresAt),
      };
    },

    async prompt(respondKey) {
      const token = parseToken(respondKey);
      const request = token && (await store.findOpen(token.hash, now()));
      if (!request) throw new HushError('request_not_found');
      return { note: openPart(request.id, 'note', request.note), expiresAt: new Date(request.expiresAt) };
    },

    async answer(respondKey, answer, client) {
      validateAnswer(answer, deps.settings.current());
      const token = parseToken(respondKey);
      const at = now();
      const request = token && (await store.findOpen(token.hash, at));
      if (!request) throw new HushError('request_not_found');
      const events = [event('request.answered', request.id, client)];
      if (!(await store.answer(request.id, sealPart(request.id, 'answer', answer), at, events))) {
        throw new HushError('request_not_found');
      }
      audit.stored(events);
    },

    async status(requestKey) {
      const request = await byKey(requestKey);
      return {
        requestId: request.id,
        state: stateAt(request, now()),
        note: openPart(request.id, 'note', request.note),
        createdAt: new Date(request.createdAt),
        expiresAt: new Date(request.expiresAt),
        answeredAt: request.answeredAt === undefined ? undefined : new Date(request.answeredAt),
      };
    },

    async reveal(requestKey, client) {
      const request = await byKey(requestKey);
      const at = now();
      const state = stateAt(request, at);
      if (state === 'open') throw new HushError('request_not_answered');
      if (state !== 'answered') throw new HushError('request_not_found');
      const events = [event('request.revealed', request.id, client)];
      const sealed = await store.reveal(request.id, at, events);
      if (!sealed) throw new HushError('request_not_found');
      audit.stored(events);
      return openPart(request.id, 'answer', sealed);
    },

    async burn(requestKey, client) {
      const request = await byKey(requestKey);
      const events = [
        audit.prepare({
          type: 'request.burned',
          subject: { kind: 'request', id: request.id },
          client,
          data: { reason: 'burned_by_owner' },
        }),
      ];
      if (!(await store.burn(request.id, now(), events))) throw new HushError('request_not_found');
      audit.stored(events);
    },
  };
}
