import { randomBytes, randomUUID } from 'node:crypto';
import type { AuditEvent, EventType } from '../src/audit/audit-types.js';
import { eventId } from '../src/audit/event-id.js';
import { newBearerToken, parseBearerToken } from '../src/auth/token-text.js';
import type { Role } from '../src/auth/user-types.js';
import { evaluatePolicies } from '../src/secrets/policy-checker.js';
import { openContent, sealContent } from '../src/secrets/secret-crypto.js';
import { DEFAULT_SECRET_SETTINGS } from '../src/storage/secret-store.js';
import { type ReadRow, settingsParams } from '../src/storage/sql/secret-rows.js';
import { SECRET_SQL } from '../src/storage/sql/secret-statements.js';
import { eventInserter } from '../src/storage/sqlite/sqlite-event-store.js';
import { createSqlitePolicyStore } from '../src/storage/sqlite/sqlite-policy-store.js';
import { preparedStatements, sqlitePrepared } from '../src/storage/sqlite/sqlite-prepared.js';
import type { ReadCache } from '../src/storage/sqlite/sqlite-read-cache.js';
import { SQL as SQLITE_SECRET_SQL } from '../src/storage/sqlite/sqlite-secret-store.js';
import { createSqliteTokenStore } from '../src/storage/sqlite/sqlite-token-store.js';
import { createSqliteUserStore } from '../src/storage/sqlite/sqlite-user-store.js';
import { openFloorDatabase } from './secret-floor-db.js';

/**
 * The storage and crypto work of a token-authenticated secret read or write, with none of hush's
 * HTTP machinery: the floor under issue 4's secret bar (bench/secret-floor-server.ts serves it).
 * Same schema (hush's own migrations), same pragmas, and hush's own statements, never copies: the
 * secret store's (SQLite's table and the shared sql/secret-statements.ts), and the token, policy,
 * user and event stores' code on this connection. The same AES-256-GCM envelope and data-key wrapping. Uncached, no savepoints: the
 * writes of one event-loop turn share one BEGIN IMMEDIATE … COMMIT, the minimum a group commit can be.
 */

/** No cache: the floor reads the token row on every request (hush caches it; that is its own gain). */
const UNCACHED: ReadCache<never> = { get: (key, read) => read(key), clear: () => undefined };

/** src/auth/user-types.ts / src/auth/principal.ts: an admin's token carries every scope. */
const ADMIN_SCOPE = 'secrets:read secrets:write admin';
/** src/audit/audit-service.ts: user agents are cut to this length. */
const MAX_USER_AGENT = 512;
const AUTH_ERRORS = { 401: 'invalid_token', 403: 'insufficient_scope' } as const;
const FAR_FUTURE_MS = 10 * 365 * 86_400_000;

export interface Client {
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
}

export type FloorReply =
  | { readonly status: 200 | 201; readonly body: Record<string, unknown> }
  | { readonly status: 401 | 403 | 404 | 409; readonly body: { readonly error: string } };

export interface SecretFloor {
  /** One admin user, a session and an access token, plus `count` secrets `bench/r/<n>`. */
  seed(count: number, value: string): Promise<{ token: string; ids: string[] }>;
  /** GET /secrets/:id: authenticate, policy query, read, unwrap and open, audit, the value. */
  read(authorization: string | undefined, id: string, client: Client): Promise<FloorReply>;
  /** POST /secrets: authenticate, policy query, seal, insert secret + version 1, audit. */
  create(authorization: string | undefined, name: string, value: string, client: Client): Promise<FloorReply>;
  close(): Promise<void>;
}

interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly role: string;
  readonly scopes: readonly string[];
}

/** The floor on `file`, opened as hush would open it (bench/secret-floor-db.ts). */
export async function openSecretFloor(file: string): Promise<SecretFloor> {
  const { db, checkpointer, writes, write } = await openFloorDatabase(file);
  const stmt = preparedStatements(db, SQLITE_SECRET_SQL);
  const insertVersion = sqlitePrepared(db, SECRET_SQL.insertVersion);
  // The keyring's active key-encryption key, held in memory as hush's keyring holds it once loaded.
  const kek = { version: 1, key: randomBytes(32) };

  const tokens = createSqliteTokenStore(db, writes, UNCACHED);
  const policies = createSqlitePolicyStore(db, writes);
  const users = createSqliteUserStore(db, writes, UNCACHED);
  const recordEvents = eventInserter(db);

  const auditEvent = (
    type: EventType,
    actor: Actor,
    secretId: string,
    version: number,
    client: Client,
  ): AuditEvent => ({
    id: eventId(),
    seq: undefined,
    type,
    actor: { kind: 'user', id: actor.userId, name: actor.username },
    subject: { kind: 'secret', id: secretId },
    data: { version },
    clientIp: client.ip,
    userAgent: client.userAgent?.slice(0, MAX_USER_AGENT),
    requestId: undefined,
    createdAt: new Date(),
  });

  /** Bearer parse + SHA-256, the lookup join, liveness (src/auth/token-service.ts `liveAt`), scope. */
  const authenticate = async (
    authorization: string | undefined,
    scope: string,
  ): Promise<Actor | 401 | 403> => {
    if (!authorization?.startsWith('Bearer ')) return 401;
    const bearer = authorization.slice(7);
    const token = parseBearerToken(bearer);
    if (token?.kind !== 'access') return 401;
    const found = await tokens.find(token.hash);
    const now = Date.now();
    if (
      !found ||
      found.token.revokedAt !== undefined ||
      found.session.revokedAt !== undefined ||
      found.token.expiresAt <= now ||
      found.session.expiresAt <= now
    ) {
      return 401;
    }
    const scopes = found.token.scope.split(' ');
    if (!scopes.includes(scope)) return 403;
    return { userId: found.principal.id, username: found.principal.name, role: found.principal.role, scopes };
  };

  /** The policy query and hush's rule over its rows (src/secrets/policy-checker.ts). */
  const capabilities = async (actor: Actor, name: string) =>
    evaluatePolicies(
      await policies.forActor({ kind: 'user', id: actor.userId }, actor.role),
      actor.role as Role,
      name,
    );

  /**
   * Seals under a fresh data key and the key under the KEK (hush's `sealContent`); returns the write job: the three statements of hush's create, and `event`
   * (the audit row) when the name was free.
   */
  const sealAndInsert = (id: string, name: string, value: string, at: number, event?: AuditEvent) => {
    const { ciphertext, wrappedKey } = sealContent(
      kek,
      { secretId: id, version: 1 },
      { data: { value }, metadata: {} },
    );
    return () => {
      stmt('eraseExpiredName').run({ name, now: at });
      const inserted =
        stmt('insert').run({
          id,
          name,
          currentVersion: 1,
          createdAt: at,
          updatedAt: at,
          expiresAt: null,
          // A new secret's KV settings, at their defaults, bound as hush's store binds them.
          ...settingsParams(DEFAULT_SECRET_SETTINGS),
        }).changes === 1;
      if (inserted) {
        insertVersion.run({
          secretId: id,
          version: 1,
          ciphertext,
          wrappedKey,
          keyVersion: kek.version,
          createdAt: at,
        });
        if (event) recordEvents([event]);
      }
      return inserted;
    };
  };

  let seeds = 0;
  let named = 0;
  return {
    async seed(count, value) {
      seeds += 1;
      const at = Date.now();
      const userId = randomUUID();
      const sessionId = randomUUID();
      const token = newBearerToken('access');
      const ids = Array.from({ length: count }, () => randomUUID());
      // Through hush's own stores (seeding is not measured).
      const username = `floor-admin-${seeds}`;
      const user = {
        id: userId,
        username,
        email: undefined,
        role: 'admin',
        passwordHash: 'not used',
        createdAt: at,
      };
      if (!(await users.create(user))) throw new Error(`could not seed ${username}`);
      const expiresAt = at + FAR_FUTURE_MS;
      const session = {
        id: sessionId,
        userId,
        clientId: undefined,
        clientIp: undefined,
        accessTtlSeconds: 3600,
        createdAt: at,
        expiresAt,
        revokedAt: undefined,
      };
      const access = {
        id: randomUUID(),
        hash: token.hash,
        kind: 'access' as const,
        sessionId,
        scope: ADMIN_SCOPE,
        boundCidrs: undefined,
        maxUses: undefined,
        uses: 0,
        createdAt: at,
        expiresAt,
        revokedAt: undefined,
        rotatedAt: undefined,
      };
      if (!(await tokens.createSession(session, [access]))) throw new Error('could not seed a session');
      await write(() => {
        for (const id of ids) {
          named += 1;
          if (!sealAndInsert(id, `bench/r/${named}`, value, at)()) throw new Error('seed name taken');
        }
      });
      return { token: token.bearer, ids };
    },

    async read(authorization, id, client) {
      const actor = await authenticate(authorization, 'secrets:read');
      if (actor === 401 || actor === 403) return { status: actor, body: { error: AUTH_ERRORS[actor] } };
      const now = Date.now();
      const row = stmt('read').get({ id, version: null, now }) as ReadRow | undefined;
      if (!row || !(await capabilities(actor, row.name)).has('read')) {
        return { status: 404, body: { error: 'not_found' } };
      }
      const content = openContent(
        kek,
        { secretId: row.id, version: row.v_version },
        { ciphertext: row.v_ciphertext, wrappedKey: row.v_wrapped_key },
      );
      const event = auditEvent('secret.read', actor, id, row.v_version, client);
      await write(() => recordEvents([event]));
      return {
        status: 200,
        body: {
          id: row.id,
          name: row.name,
          version: row.v_version,
          value: content.data.value ?? null,
          data: content.data,
          metadata: content.metadata,
        },
      };
    },

    async create(authorization, name, value, client) {
      const actor = await authenticate(authorization, 'secrets:write');
      if (actor === 401 || actor === 403) return { status: actor, body: { error: AUTH_ERRORS[actor] } };
      if (!(await capabilities(actor, name)).has('create'))
        return { status: 403, body: { error: 'forbidden' } };
      const id = randomUUID();
      const event = auditEvent('secret.created', actor, id, 1, client);
      // One job, one commit: the secret, its version 1 and the audit event together.
      const inserted = await write(sealAndInsert(id, name, value, Date.now(), event));
      if (!inserted) return { status: 409, body: { error: 'secret_exists' } };
      return { status: 201, body: { id, name, version: 1 } };
    },

    async close() {
      await writes.drain();
      await checkpointer.stop();
      db.close();
    },
  };
}
