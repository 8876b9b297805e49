import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { HushError } from '../errors/hush-error.js';
import type { UserRecord, UserStore } from '../storage/user-store.js';
import type { CreateUserInput, Role, User, UserPage } from './user-types.js';
import {
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

export interface UserService {
  /** Rejects with invalid_user (400) or username_taken (409). */
  create(input: CreateUserInput): Promise<User>;
  get(username: string): Promise<User>;
  list(offset: number, limit: number): Promise<UserPage>;
  delete(username: string): Promise<void>;
  /** The account behind a username and password, or undefined: unknown names cost a hash too. */
  verifyPassword(username: string, password: string): Promise<User | undefined>;
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

export function createUserService(deps: UserServiceDeps): UserService {
  const now = deps.now ?? Date.now;
  // Verifying against this keeps an unknown username as slow as a wrong password.
  let decoy: Promise<string> | undefined;

  const create = async (input: CreateUserInput): Promise<User> => {
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
    if (!(await deps.store.create(record))) throw new HushError('username_taken');
    await deps.audit.record({ type: 'USER_CREATE', detail: `${username} (${role})` });
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

    async delete(username) {
      const normalized = normalizeUsername(username);
      if (!(await deps.store.delete(normalized))) throw new HushError('not_found', 'No such user.');
      await deps.audit.record({ type: 'USER_DELETE', detail: normalized });
    },

    async verifyPassword(username, password) {
      const record = await deps.store.findByUsername(normalizeUsername(username));
      if (!record) {
        decoy ??= deps.hasher.hash('decoy password for unknown usernames');
        await deps.hasher.verify(await decoy, password);
        return undefined;
      }
      return (await deps.hasher.verify(record.passwordHash, password)) ? toUser(record) : undefined;
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
