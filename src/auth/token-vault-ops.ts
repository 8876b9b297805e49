import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import { actorOf } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { SessionRecord, TokenStore } from '../storage/token-store.js';
import type { createMinter, Grant } from './token-minting.js';
import type { TokenService } from './token-types.js';

export interface VaultOpsDeps {
  readonly store: TokenStore;
  readonly audit: AuditService;
  readonly settings: SettingsReader;
  readonly now: () => number;
  readonly mint: ReturnType<typeof createMinter>['mint'];
}

const MAX_SECONDS = 10 * 365 * 86_400;
const LABEL = /^[\x20-\x7e]{1,128}$/;
const sessionSubject = (id: string) => ({ kind: 'session', id }) as const;

/** A whole number of seconds (or uses) in 1…max; undefined when not given. */
function positive(value: number | undefined, field: string, max = MAX_SECONDS): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new HushError('bad_request', `${field} must be a whole number from 1 to ${max}.`);
  }
  return value;
}

/**
 * What a token does to itself on the Vault surface (`renew-self`, `auth/token/create`): extend its
 * own access token, or make a child session within its own. Both work from the caller's principal.
 */
export function createVaultOps(deps: VaultOpsDeps): Pick<TokenService, 'renewAccess' | 'createFor'> {
  const { store, audit, settings, now, mint } = deps;
  const invalidToken = () => new HushError('invalid_token');

  return {
    async renewAccess(principal, incrementSeconds, client) {
      // A counted token is made with its lifetime and budget for good: Vault clients are told
      // `renewable: false`, and renewing says so rather than stretch it.
      if (principal.token.usesLeft !== undefined) {
        throw new HushError(
          'bad_request',
          'lease is not renewable: a token with counted uses is not renewed.',
        );
      }
      // Vault reads an increment of 0 as "the default".
      const increment = incrementSeconds === 0 ? undefined : positive(incrementSeconds, 'increment');
      const at = now();
      const session = (await store.listSessions(principal, at)).find((s) => s.id === principal.sessionId);
      if (!session) throw invalidToken();
      const expiresAt = Math.min(at + (increment ?? session.accessTtlSeconds) * 1000, session.expiresAt);
      const event = audit.prepare({
        type: 'token.renewed',
        actor: actorOf(principal),
        client,
        subject: sessionSubject(session.id),
        data: { method: 'renew_self' },
      });
      if (!(await store.extendAccess(principal.tokenId, expiresAt, at, [event]))) throw invalidToken();
      audit.stored([event]);
      return { expiresAt: new Date(expiresAt) };
    },

    async createFor(principal, options, client) {
      // Vault's rule, for Vault's reason: a child would let a counted token escape its count.
      if (principal.token.usesLeft !== undefined) {
        throw new HushError(
          'bad_request',
          'restricted use token cannot generate child tokens: a token with counted uses may not create tokens.',
        );
      }
      const ttl = positive(options.ttlSeconds, 'ttl');
      const maxUses = positive(options.numUses, 'num_uses', 1_000_000);
      if (options.displayName !== undefined && !LABEL.test(options.displayName)) {
        throw new HushError('bad_request', 'display_name must be 1 to 128 printable ASCII characters.');
      }
      const at = now();
      // The child never outlives the caller's session, nor carries more than the caller's token.
      // Its access lifetime may pass the caller's access token's: every caller that gets here
      // (uses not counted) can renew-self to its session's end, so the child gets no more.
      const end = principal.token.sessionExpiresAt.getTime();
      if (end <= at) throw invalidToken();
      const accessTtlMs = Math.min((ttl ?? settings.get('tokens.access_ttl_seconds')) * 1000, end - at);
      const grant: Grant = {
        scope: principal.scopes.join(' '),
        boundCidrs: principal.token.boundCidrs,
        maxUses,
        accessTtlMs,
      };
      const record: SessionRecord = {
        id: randomUUID(),
        userId: principal.id,
        principalKind: principal.kind,
        clientId: options.displayName,
        clientIp: client.ip,
        accessTtlSeconds: Math.max(1, Math.floor(accessTtlMs / 1000)),
        createdAt: at,
        expiresAt: end,
        revokedAt: undefined,
      };
      const { records, issued } = mint(record.id, record.expiresAt, grant, at);
      const events = [
        audit.prepare({
          type: 'token.created',
          actor: actorOf(principal),
          client,
          subject: sessionSubject(record.id),
          data: { method: 'token', parent_session: principal.sessionId },
        }),
      ];
      // Its principal deleted since this request authenticated: the caller's token is gone too.
      if (!(await store.createSession(record, records, events))) throw invalidToken();
      audit.stored(events);
      return issued;
    },
  };
}
