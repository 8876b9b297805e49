import type { AuditService } from '../audit/audit-service.js';
import type { EventType } from '../audit/audit-types.js';
import { open, seal } from '../crypto/aead.js';
import type { PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { deriveShareKey, shareAssociatedData } from '../crypto/share-key.js';
import { newPublicId, newToken, parseToken, type Token } from '../crypto/tokens.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { ShareSettingsSource } from '../settings/share-settings.js';
import type { UploadAttachment } from '../storage/file-store.js';
import type { ShareRecord, ShareStore } from '../storage/share-store.js';
import { hashKeyCheck, keyProofMatches } from './link-key-check.js';
import { passphraseGuardsReveal } from './passphrase-scope.js';
import { DOWNLOAD_GRANT_TTL_MS } from './share-files.js';
import { describeReceipt } from './share-receipt.js';
import type {
  CreatedShare,
  CreateShareInput,
  Receipt,
  RevealedShare,
  ShareCredentials,
  ShareStatus,
} from './share-types.js';
import { validateCreateInput } from './share-validation.js';

/** The upload a create names, as the store checks it: its id and its key's hash. */
function uploadAttachment(upload: CreateShareInput['upload']): UploadAttachment | undefined {
  if (upload === undefined) return undefined;
  const key = parseToken(upload.key);
  if (!key) throw new HushError('upload_incomplete');
  return { id: upload.id, keyHash: key.hash };
}

export interface ShareServiceDeps {
  readonly store: ShareStore;
  readonly audit: AuditService;
  readonly settings: ShareSettingsSource;
  readonly masterKey: Buffer;
  readonly hasher: PassphraseHasher;
  readonly now?: () => number;
}

export interface ShareService {
  create(input: CreateShareInput, client: ClientInfo): Promise<CreatedShare>;
  peek(secretKey: string): Promise<ShareStatus>;
  reveal(secretKey: string, credentials: ShareCredentials, client: ClientInfo): Promise<RevealedShare>;
  burn(secretKey: string, credentials: ShareCredentials, client: ClientInfo): Promise<void>;
  receipt(receiptKey: string): Promise<Receipt>;
  burnByReceipt(receiptKey: string, client: ClientInfo): Promise<void>;
}

export function createShareService(deps: ShareServiceDeps): ShareService {
  const now = deps.now ?? Date.now;
  const { store, audit } = deps;

  /** One event about a share; share traffic has no principal, so its actor is anonymous. */
  const shareEvent = (type: EventType, id: string, client: ClientInfo, reason?: string) =>
    audit.prepare({
      type,
      subject: { kind: 'share', id },
      client,
      ...(reason === undefined ? {} : { data: { reason } }),
    });

  /** Unknown, malformed, consumed, burned and expired all look the same to the caller. */
  const findLive = async (secretKey: string): Promise<{ token: Token; share: ShareRecord }> => {
    const token = parseToken(secretKey);
    const share = token && (await store.findLive(token.hash, now()));
    if (!token || !share) throw new HushError('not_found');
    return { token, share };
  };

  /**
   * Counts a wrong passphrase or link key (one counter, one limit) and answers it: the attempts
   * left, or the code of its own for the attempt that burned the share.
   */
  const refuseAttempt = async (
    share: ShareRecord,
    failure: 'passphrase_invalid' | 'link_key_invalid',
    client: ClientInfo,
  ): Promise<never> => {
    const limit = deps.settings.current().passphraseMaxAttempts;
    // Counted with its event, and the burn (if this attempt burns) with its own, in one step.
    const events = {
      attempt: [
        shareEvent(
          failure === 'passphrase_invalid' ? 'share.passphrase_failed' : 'share.link_key_failed',
          share.id,
          client,
        ),
      ],
      burned: [shareEvent('share.burned', share.id, client, 'passphrase_attempts')],
    };
    const result = await store.recordFailedAttempt(share.id, limit, now(), events);
    if (!result) throw new HushError('not_found');
    audit.stored(result.burned ? [...events.attempt, ...events.burned] : events.attempt);
    if (result.burned) throw new HushError('passphrase_attempts_exhausted');
    const attemptsLeft = Math.max(limit - result.attempts, 0);
    const what =
      failure === 'passphrase_invalid'
        ? 'The passphrase is wrong'
        : 'The key in the link does not match this secret (the link is damaged or incomplete)';
    throw new HushError(
      failure,
      `${what}; nothing was used up. ${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left before the secret is burned.`,
      { attemptsLeft },
    );
  };

  /**
   * Checks the link key through its verifier, before anything else may spend or hash: a damaged
   * link must never cost a view. Shares without a verifier (older, or sent in the clear) skip it.
   * A share with one refuses a request without a proof (an old client), so nothing is spent on a
   * secret the caller could not open.
   */
  const checkLinkKey = async (share: ShareRecord, keyProof: string | undefined, client: ClientInfo) => {
    if (share.keyCheckHash === undefined) return;
    if (keyProof === undefined) throw new HushError('link_key_required');
    if (!keyProofMatches(share.keyCheckHash, keyProof))
      await refuseAttempt(share, 'link_key_invalid', client);
  };

  /** Checks the passphrase; a wrong one is counted atomically and may burn the share. */
  const checkPassphrase = async (share: ShareRecord, passphrase: string | undefined, client: ClientInfo) => {
    if (!share.passphraseHash) return;
    if (passphrase === undefined || passphrase === '') throw new HushError('passphrase_required');
    if (await deps.hasher.verify(share.passphraseHash, passphrase)) return;
    await refuseAttempt(share, 'passphrase_invalid', client);
  };

  const findByReceipt = async (receiptKey: string): Promise<ShareRecord> => {
    const token = parseToken(receiptKey);
    const share = token && (await store.findByReceipt(token.hash));
    if (!share) throw new HushError('not_found');
    return share;
  };

  return {
    async create(input, client) {
      const settings = deps.settings.current();
      const valid = validateCreateInput(input, settings);
      const createdAt = now();
      const expiresAt = createdAt + valid.ttlSeconds * 1000;
      const id = newPublicId();
      const token = newToken();
      const receipt = newToken();
      const key = deriveShareKey(deps.masterKey, token.bytes, id);
      const ciphertext = seal(key, Buffer.from(input.secret, 'utf8'), shareAssociatedData(id));
      const passphraseHash = input.passphrase ? await deps.hasher.hash(input.passphrase) : undefined;
      const record = {
        id,
        tokenHash: token.hash,
        receiptHash: receipt.hash,
        ciphertext,
        passphraseHash,
        passphraseScope: input.passphraseScope ?? 'reveal',
        keyCheckHash: input.keyCheck === undefined ? undefined : hashKeyCheck(input.keyCheck),
        maxViews: valid.maxViews,
        createdAt,
        expiresAt,
      } as const;
      const events = [shareEvent('share.created', id, client)];
      await store.create({ ...record, upload: uploadAttachment(input.upload) }, events);
      audit.stored(events);
      return {
        secretKey: token.text,
        receiptKey: receipt.text,
        shareId: id,
        expiresAt: new Date(expiresAt),
        maxViews: valid.maxViews,
        passphraseRequired: passphraseGuardsReveal(record),
      };
    },

    async peek(secretKey) {
      const { share } = await findLive(secretKey);
      return {
        passphraseRequired: passphraseGuardsReveal(share),
        expiresAt: new Date(share.expiresAt),
        viewsLeft: share.maxViews - share.viewsUsed,
      };
    },

    async reveal(secretKey, credentials, client) {
      const { token, share } = await findLive(secretKey);
      await checkLinkKey(share, credentials.keyProof, client);
      if (passphraseGuardsReveal(share)) await checkPassphrase(share, credentials.passphrase, client);
      if (!share.ciphertext) throw new HushError('not_found');
      // Decrypt before claiming: a wrong master key or a damaged record must fail with the view
      // still there, not after spending it. The content cannot change while the share is live.
      const key = deriveShareKey(deps.masterKey, token.bytes, share.id);
      const secret = open(key, share.ciphertext, shareAssociatedData(share.id)).toString('utf8');
      // The view and its event are one step: if the event cannot be stored, no view is spent, so
      // an error answered here never costs the caller the secret.
      const events = [shareEvent('share.viewed', share.id, client)];
      // A grant is offered with every claim; the store keeps it only when the share has files.
      const downloadKey = newToken();
      const claimedAt = now();
      const grant = { keyHash: downloadKey.hash, expiresAt: claimedAt + DOWNLOAD_GRANT_TTL_MS };
      const claimed = await store.claimView(share.id, claimedAt, events, grant);
      if (!claimed) throw new HushError('not_found');
      audit.stored(events);
      const { download } = claimed;
      return {
        secret,
        viewsLeft: claimed.viewsLeft,
        files: download && {
          downloadKey: downloadKey.text,
          bytes: download.bytes,
          expiresAt: new Date(download.expiresAt),
        },
      };
    },

    async burn(secretKey, credentials, client) {
      const { share } = await findLive(secretKey);
      await checkLinkKey(share, credentials.keyProof, client);
      await checkPassphrase(share, credentials.passphrase, client);
      const events = [shareEvent('share.burned', share.id, client, 'burned')];
      if (!(await store.burn(share.id, 'burned', now(), events))) throw new HushError('not_found');
      audit.stored(events);
    },

    async receipt(receiptKey) {
      const share = await findByReceipt(receiptKey);
      return describeReceipt(share, await audit.timeline(share.id), now());
    },

    async burnByReceipt(receiptKey, client) {
      const share = await findByReceipt(receiptKey);
      const events = [shareEvent('share.burned', share.id, client, 'burned_by_sender')];
      if (!(await store.burn(share.id, 'burned_by_sender', now(), events))) throw new HushError('not_found');
      audit.stored(events);
    },
  };
}
