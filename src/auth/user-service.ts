import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { Actor, NewAuditEvent } from '../audit/audit-types.js';
import type { PassphraseHasher } from '../crypto/passphrase-hasher.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { UserRecord, UserStore } from '../storage/user-store.js';
import { userActor } from './user-actor.js';
import type { CreateUserInput, GithubAccount, Role, User, UserPage } from './user-types.js';
import {
  GITHUB_USERNAME_PREFIX,
  normalizeUsername,
  validateEmail,
  validatePassword,
  validateRole,
  validateUsername,
} from './user-validation.js';

export interface UserServiceDeps {
  readonly store: UserStore;
  readonly hasher: PassphraseHasher;
  readonly audit: AuditService;
  readonly now?: () => number;
}

/** Who asked for an account change, for the audit log (absent for the CLI and first start: system). */
export interface AuditContext {
  readonly actor?: Actor | undefined;
  readonly client?: ClientInfo | undefined;
}

const userSubject = (id: string) => ({ kind: 'user', id }) as const;

export interface UserService {
  /**
   * Rejects with invalid_user (400), username_taken (409), or username_confusable (409) when the
   * name looks like an existing account's (same UTS #39 skeleton: "аlice" with a Cyrillic а
   * beside "alice").
   */
  create(input: CreateUserInput, context?: AuditContext): Promise<User>;
  get(username: string): Promise<User>;
  list(offset: number, limit: number): Promise<UserPage>;
  /**
   * Deletes the account; its sessions and tokens go with it, in the same step. Rejects with
   * last_admin (409) when it is the only admin, decided atomically with the deletion.
   */
  delete(username: string, context?: AuditContext): Promise<void>;
  /**
   * The account behind a username and password, or undefined: unknown names cost a hash too.
   * Accounts without a password (GitHub ones) never match.
   */
  verifyPassword(username: string, password: string): Promise<User | undefined>;
  /**
   * The account linked to a GitHub id, created as `gh.<login>` at its first sign-in, holding `role`
   * from now on (the mapping is re-evaluated at each sign-in). username_taken (409) when another
   * account already holds that name.
   */
  syncGithubAccount(account: GithubAccount, role: Role): Promise<User>;
  /**
   * Creates `username` as an admin when no admin exists yet (first start); returns whether it did.
   * Several nodes starting together create it once.
   */
  bootstrapAdmin(username: string, password: string): Promise<boolean>;
}

function toUser(record: UserRecord): User {
  return {
    id: record.id,
    username: record.username,
    email: record.email,
    role: record.role as Role,
    createdAt: new Date(record.createdAt),
  };
}

/** GitHub's public email, when it passes our own rule; an odd one is dropped, not fatal. */
function publicEmail(email: string | undefined): string | undefined {
  try {
    return validateEmail(email);
  } catch {
    return undefined;
  }
}

export function createUserService(deps: UserServiceDeps): UserService {
  const now = deps.now ?? Date.now;
  // Verifying against this keeps an unknown username as slow as a wrong password.
  let decoy: Promise<string> | undefined;

  const create = async (input: CreateUserInput, context: AuditContext = {}): Promise<User> => {
    const username = validateUsername(input.username);
    const email = validateEmail(input.email);
    const role = validateRole(input.role);
    validatePassword(input.password);
    const record: UserRecord = {
      id: randomUUID(),
      username,
      email,
      role,
      passwordHash: await deps.hasher.hash(input.password),
      createdAt: now(),
    };
    const events = [
      deps.audit.prepare({
        type: 'user.created',
        subject: userSubject(record.id),
        data: { username, role },
        ...context,
      }),
    ];
    if (!(await deps.store.create(record, events))) {
      // The store refused atomically; this read only tells the two reasons apart.
      const taken = await deps.store.findByUsername(username);
      throw new HushError(taken ? 'username_taken' : 'username_confusable');
    }
    deps.audit.stored(events);
    return toUser(record);
  };

  return {
    create,

    async get(username) {
      const record = await deps.store.findByUsername(normalizeUsername(username));
      if (!record) throw new HushError('not_found', 'No such user.');
      return toUser(record);
    },

    async list(offset, limit) {
      const page = await deps.store.list(offset, limit);
      return { total: page.total, users: page.users.map(toUser) };
    },

    async delete(username, context = {}) {
      const normalized = normalizeUsername(username);
      // Read for the event's subject only: the store decides on the row it locks.
      const found = await deps.store.findByUsername(normalized);
      if (!found) throw new HushError('not_found', 'No such user.');
      const event = deps.audit.prepare({
        type: 'user.deleted',
        subject: userSubject(found.id),
        data: { username: normalized },
        ...context,
      });
      // Without an admin nobody could manage accounts, policies or settings again: the store
      // checks and deletes in one atomic step, so two admins deleting each other cannot both win.
      const outcome = await deps.store.deleteUnlessLastAdmin(normalized, [event]);
      if (outcome === 'not_found') throw new HushError('not_found', 'No such user.');
      if (outcome === 'last_admin') throw new HushError('last_admin');
      deps.audit.stored([event]);
    },

    async verifyPassword(username, password) {
      const record = await deps.store.findByUsername(normalizeUsername(username));
      if (!record || record.passwordHash === '') {
        decoy ??= deps.hasher.hash('decoy password for unknown usernames');
        await deps.hasher.verify(await decoy, password);
        return undefined;
      }
      return (await deps.hasher.verify(record.passwordHash, password)) ? toUser(record) : undefined;
    },

    async syncGithubAccount(account, role) {
      const githubId = String(account.id);
      let record = await deps.store.findByGithubId(githubId);
      if (!record) {
        const created: UserRecord = {
          id: randomUUID(),
          username: normalizeUsername(`${GITHUB_USERNAME_PREFIX}${account.login}`),
          email: publicEmail(account.email),
          role,
          passwordHash: '',
          createdAt: now(),
          githubId,
        };
        const events = [
          deps.audit.prepare({
            type: 'user.created',
            actor: userActor(created),
            subject: userSubject(created.id),
            data: { username: created.username, role, via: 'github' },
          }),
        ];
        if (await deps.store.create(created, events)) {
          deps.audit.stored(events);
          return toUser(created);
        }
        // Either a concurrent first sign-in of the same GitHub account won, or the name is taken.
        record = await deps.store.findByGithubId(githubId);
        if (!record) {
          throw new HushError('username_taken', 'Another account holds the name of this GitHub account.');
        }
      }
      if (record.role !== role) {
        const change: NewAuditEvent = {
          type: 'user.role_changed',
          actor: userActor(record),
          subject: userSubject(record.id),
          data: { from: record.role, to: role, via: 'github' },
        };
        const event = deps.audit.prepare(change);
        // The mapping may take admin from the last admin: refused (the sign-in with it), so
        // someone can still manage hush; it keeps no session (a narrowing revoked them all).
        const outcome = await deps.store.setRoleUnlessLastAdmin(record.id, role, [event]);
        if (outcome === 'last_admin') throw new HushError('last_admin');
        if (outcome === 'not_found') throw new HushError('github_not_allowed', 'The account was deleted.');
        deps.audit.stored([event]);
        record = { ...record, role };
      }
      return toUser(record);
    },

    async bootstrapAdmin(username, password) {
      if ((await deps.store.countByRole('admin')) > 0) return false;
      try {
        await create({ username, role: 'admin', password });
        return true;
      } catch (error) {
        // Another node starting at the same moment created it first.
        if (error instanceof HushError && error.code === 'username_taken') return false;
        throw error;
      }
    },
  };
}
