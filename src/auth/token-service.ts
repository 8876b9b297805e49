import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../audit/audit-types.js';
import { actorOf, type Identity, type Principal } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { SessionRecord, TokenLookup, TokenStore } from '../storage/token-store.js';
import { addressAllowed } from './ip-binding.js';
import { userIdentity } from './token-identity.js';
import { createMinter, type Grant } from './token-minting.js';
import { storedScopes } from './token-scopes.js';
import { parseBearerToken } from './token-text.js';
import type { IssueOptions, TokenService } from './token-types.js';
import { createVaultOps } from './token-vault-ops.js';
import { userActor } from './user-actor.js';
import type { UserService } from './user-service.js';
import type { Role } from './user-types.js';

export interface TokenServiceDeps {
  readonly store: TokenStore;
  readonly users: UserService;
  readonly audit: AuditService;
  readonly settings: SettingsReader;
  readonly now?: () => number;
}

const invalidToken = () => new HushError('invalid_token');
const WRONG_PASSWORD = 'The username or password is wrong.';

const sessionSubject = (id: string) => ({ kind: 'session', id }) as const;

/** A principal deleted during its sign-in: refused as that sign-in's own failure would be. */
function gonePrincipal(method: IssueOptions['method']): HushError {
  if (method === 'password') return new HushError('invalid_grant', WRONG_PASSWORD);
  if (method === 'approle') return new HushError('invalid_grant', 'The role_id or secret_id is not valid.');
  return new HushError('github_not_allowed', 'The account was deleted.');
}

/**
 * The audit actor behind a token: its session's principal, of the kind the session was issued to
 * (a machine's session is never audited as the account that shares its id).
 */
function sessionActor({ session, principal }: TokenLookup): Actor {
  return actorOf({ kind: session.principalKind ?? 'user', id: principal.id, name: principal.name });
}

function liveAt(found: TokenLookup, now: number): boolean {
  const { token, session } = found;
  return (
    token.revokedAt === undefined &&
    session.revokedAt === undefined &&
    token.expiresAt > now &&
    session.expiresAt > now
  );
}

export function createTokenService(deps: TokenServiceDeps): TokenService {
  const { store, audit, settings } = deps;
  const now = deps.now ?? Date.now;
  const { mint, grantFor } = createMinter(settings);

  /**
   * A sign-in: the session's tokens, stored with its auth.login and token.created in one step, so
   * no session exists without its sign-in in the log; undefined when the principal was deleted
   * since it was read.
   */
  const issueUnlessGone = async (identity: Identity, options: IssueOptions) => {
    const grant = grantFor(identity.role, options);
    const requested = options.maxTtlSeconds ?? settings.get('tokens.max_ttl_seconds');
    if (requested > settings.get('tokens.max_ttl_seconds')) {
      throw new HushError('bad_request', 'max_ttl_seconds is above the tokens.max_ttl_seconds setting.');
    }
    // A GitHub role holds only as long as the org or team membership it came from: such sessions
    // end sooner, so the next sign-in re-reads the membership (renewal cannot).
    const maxTtl =
      options.method === 'github' ? Math.min(requested, settings.get('github.max_ttl_seconds')) : requested;
    const at = now();
    const record: SessionRecord = {
      id: randomUUID(),
      userId: identity.id,
      principalKind: identity.kind,
      clientId: options.clientId,
      clientIp: options.client.ip,
      accessTtlSeconds: grant.accessTtlMs / 1000,
      createdAt: at,
      expiresAt: at + maxTtl * 1000,
      revokedAt: undefined,
    };
    const { records, issued } = mint(record.id, record.expiresAt, grant, at);
    const about = {
      actor: actorOf(identity),
      client: options.client,
      subject: sessionSubject(record.id),
      data: { method: options.method },
    };
    const events = [
      { type: 'auth.login', ...about } as const,
      { type: 'token.created', ...about } as const,
    ].map(audit.prepare);
    if (!(await store.createSession(record, records, events))) return undefined;
    audit.stored(events);
    return issued;
  };

  /**
   * A sign-in whose principal was deleted since it was read fails as a wrong password would (a
   * GitHub one as a refused one), never as a storage error.
   */
  const issue = async (identity: Identity, options: IssueOptions) => {
    const issued = await issueUnlessGone(identity, options);
    if (!issued) throw gonePrincipal(options.method);
    return issued;
  };

  const findLive = async (text: string, kind: 'access' | 'refresh', clientIp: string | undefined) => {
    const parsed = parseBearerToken(text);
    if (parsed?.kind !== kind) return undefined;
    const found = await store.find(parsed.hash);
    if (!found || found.token.kind !== kind) return undefined;
    const bound = found.token.boundCidrs;
    if (bound && !addressAllowed(clientIp, bound)) return undefined;
    return { parsed, found };
  };

  return {
    issue: (identity, options) => issue(identity, options),

    async login(username, password, options) {
      if (!settings.get('auth.password_login')) {
        throw new HushError(
          'unsupported_grant_type',
          'Password sign-in is turned off (auth.password_login).',
        );
      }
      const user = await deps.users.verifyPassword(username, password);
      const issued = user && (await issueUnlessGone(userIdentity(user), options));
      if (!issued) {
        // Name the account only when it exists: what was typed may be a password in the wrong field.
        const known = await deps.users.get(username).catch(() => undefined);
        await audit.record({
          type: 'auth.login_failed',
          actor: known && userActor(known),
          client: options.client,
          data: { method: 'password', known_account: known !== undefined },
        });
        throw new HushError('invalid_grant', WRONG_PASSWORD);
      }
      return issued;
    },

    async renew(refreshToken, client) {
      const live = await findLive(refreshToken, 'refresh', client.ip);
      if (!live) throw new HushError('invalid_grant', 'The refresh token is not valid.');
      const at = now();
      // The next tokens are minted before the decision and stored by it, in one atomic step.
      const { token, session: family, principal } = live.found;
      const grant: Grant = {
        scope: storedScopes(token.scope, principal.role as Role).join(' '),
        boundCidrs: token.boundCidrs,
        maxUses: undefined,
        accessTtlMs: Math.min(family.accessTtlSeconds, settings.get('tokens.access_ttl_seconds')) * 1000,
      };
      const { records, issued } = mint(family.id, family.expiresAt, grant, at);
      // The event of whichever outcome happens is stored in the same step as the outcome.
      const about = { actor: sessionActor(live.found), client, subject: sessionSubject(family.id) };
      const events = {
        rotated: [audit.prepare({ type: 'token.renewed', ...about })],
        reused: [audit.prepare({ type: 'token.reused', ...about })],
      };
      const result = await store.rotateRefresh(live.parsed.hash, at, records, events);
      if (result.outcome === 'invalid')
        throw new HushError('invalid_grant', 'The refresh token is not valid.');
      if (result.outcome === 'reused') {
        audit.stored(events.reused);
        throw new HushError('invalid_grant', 'The refresh token was already used: its session is revoked.');
      }
      audit.stored(events.rotated);
      return issued;
    },

    async revoke(text, client) {
      const parsed = parseBearerToken(text);
      const found = parsed && (await store.find(parsed.hash));
      if (!found) return;
      const event = audit.prepare({
        type: 'token.revoked',
        actor: sessionActor(found),
        client,
        subject: sessionSubject(found.session.id),
      });
      if (await store.revokeSession(found.session.id, now(), [event])) audit.stored([event]);
    },

    async authenticate(text, clientIp) {
      const live = await findLive(text, 'access', clientIp);
      const at = now();
      if (!live || !liveAt(live.found, at)) throw invalidToken();
      const { token, session: family, principal: owner } = live.found;
      if (token.maxUses !== undefined && !(await store.spendUse(token.id, at))) throw invalidToken();
      const role = owner.role as Role;
      const principal: Principal = {
        kind: family.principalKind ?? 'user',
        id: owner.id,
        name: owner.name,
        role,
        sessionId: family.id,
        tokenId: token.id,
        scopes: storedScopes(token.scope, role),
        token: {
          expiresAt: new Date(token.expiresAt),
          sessionExpiresAt: new Date(family.expiresAt),
          // This request's use is already spent.
          usesLeft: token.maxUses === undefined ? undefined : token.maxUses - token.uses - 1,
          boundCidrs: token.boundCidrs,
        },
      };
      return principal;
    },

    async listSessions(principal) {
      const sessions = await store.listSessions(principal, now());
      return sessions.map((session) => ({
        id: session.id,
        clientId: session.clientId,
        clientIp: session.clientIp,
        createdAt: new Date(session.createdAt),
        expiresAt: new Date(session.expiresAt),
        current: session.id === principal.sessionId,
      }));
    },

    async revokeSession(principal, sessionId, client) {
      // Owned by kind and id: a machine whose id is an account's owns none of that account's sessions.
      const own = await store.listSessions(principal, now());
      if (!own.some((listed) => listed.id === sessionId))
        throw new HushError('not_found', 'No such session.');
      const event = audit.prepare({
        type: 'token.revoked',
        actor: actorOf(principal),
        client,
        subject: sessionSubject(sessionId),
      });
      if (await store.revokeSession(sessionId, now(), [event])) audit.stored([event]);
    },

    ...createVaultOps({ store, audit, settings, now, mint }),
  };
}
