import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Role } from '../src/auth/user-types.js';
import { open, seal } from '../src/crypto/aead.js';
import { parseToken } from '../src/crypto/tokens.js';
import { evaluatePolicies } from '../src/secrets/policy-checker.js';
import { type PolicyRow, policyFromRow } from '../src/storage/sql-policy-row.js';
import { READ_COLUMNS, type ReadRow } from '../src/storage/sql-secret-row.js';
import { TOKEN_LOOKUP_COLUMNS, type TokenLookupRow } from '../src/storage/sql-token-row.js';
import { startCheckpointer } from '../src/storage/sqlite/sqlite-checkpointer.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';

/**
 * The storage and crypto work of a token-authenticated secret read or write, with none of hush's
 * HTTP machinery: the floor under issue 4's secret bar (bench/secret-floor-server.ts serves it).
 * Same schema (hush's own migrations), same pragmas, the same SQL text statement by statement, the
 * same AES-256-GCM envelope and data-key wrapping. Uncached, no savepoints: the writes of one
 * event-loop turn share one BEGIN IMMEDIATE … COMMIT, the minimum a group commit can be.
 */

/** src/storage/sqlite/sqlite-policy-store.ts `COLUMNS`. */
const POLICY_COLUMNS = 'id, subject_type, subject, path, capabilities, created_at';

/** The statements, copied from hush (keep them in step with the files named). */
const SQL = {
  // src/storage/sqlite/sqlite-token-store.ts `find` (TOKEN_LOOKUP_COLUMNS from src/storage/sql-token-row.ts)
  findToken: `select ${TOKEN_LOOKUP_COLUMNS} from tokens t
    join sessions s on s.id = t.session_id join users u on u.id = s.user_id where t.hash = ?`,
  // src/storage/sqlite/sqlite-policy-store.ts `forActor`
  forActor: `select ${POLICY_COLUMNS} from policies where subject_type = 'user' and subject = ?
    union all select ${POLICY_COLUMNS} from policies where subject_type = 'role' and subject = ?`,
  // src/storage/sqlite/sqlite-secret-store.ts `read` (READ_COLUMNS from src/storage/sql-secret-row.ts)
  read: `select ${READ_COLUMNS} from secrets s
    join secret_versions v on v.secret_id = s.id and v.version = coalesce(@version, s.current_version)
    where s.id = @id and (s.expires_at is null or s.expires_at > @now)`,
  // src/storage/sqlite/sqlite-secret-store.ts `eraseExpiredName`, `insert`, `insertVersion`
  eraseExpiredName: `delete from secrets where name = @name and expires_at <= @now`,
  insertSecret: `insert into secrets (id, name, current_version, created_at, updated_at, expires_at)
    values (@id, @name, @currentVersion, @createdAt, @updatedAt, @expiresAt)
    on conflict (name) do nothing`,
  insertVersion: `insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_version, created_at)
    values (@secretId, @version, @ciphertext, @wrappedKey, @keyVersion, @createdAt)`,
  // src/storage/sqlite/sqlite-event-store.ts `insert`
  insertEvent: `insert into events (id, type, share_id, client_ip, user_agent, detail, actor, created_at)
    values (@id, @type, @shareId, @clientIp, @userAgent, @detail, @actor, @createdAt)`,
  // Seeding only (unmeasured): src/storage/sqlite/sqlite-user-store.ts `insert`,
  // src/storage/sqlite/sqlite-token-store.ts `insertSession`, `insertToken`.
  insertUser: `insert into users (id, username, email, role, password_hash, created_at, github_id)
    values (@id, @username, @email, @role, @passwordHash, @createdAt, @githubId)
    on conflict do nothing`,
  insertSession: `insert into sessions (id, user_id, client_id, client_ip, access_ttl_seconds, created_at, expires_at)
    values (?, ?, ?, ?, ?, ?, ?)`,
  insertToken: `insert into tokens (id, hash, kind, session_id, scope, bound_cidrs, max_uses, created_at, expires_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
} as const;

/** hush's access-token prefix (src/auth/token-text.ts). */
const ACCESS_PREFIX = 'hush_at_';
/** src/auth/user-types.ts / src/auth/principal.ts: an admin's token carries every scope. */
const ADMIN_SCOPE = 'secrets:read secrets:write admin';
const DATA_KEY_BYTES = 32;
/** src/audit/audit-service.ts: user agents are cut to this length. */
const MAX_USER_AGENT = 512;
const AUTH_ERRORS = { 401: 'invalid_token', 403: 'insufficient_scope' } as const;
const FAR_FUTURE_MS = 10 * 365 * 86_400_000;

/** src/secrets/secret-crypto.ts: the same associated data for content and wrapped data key. */
const contentAad = (secretId: string, version: number) =>
  Buffer.from(`hush/secret/v1/${secretId}/${version}`, 'utf8');
const dataKeyAad = (secretId: string, version: number, keyVersion: number) =>
  Buffer.from(`hush/secret-key/v1/${secretId}/${version}/${keyVersion}`, 'utf8');

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

/**
 * Opens `file` as hush would: hush's migrations first (through hush's own storage), then a plain
 * better-sqlite3 connection with the pragmas of openSqliteStorage and its off-loop checkpointer.
 */
export async function openSecretFloor(file: string): Promise<SecretFloor> {
  const storage = openSqliteStorage({ file });
  await storage.migrate();
  await storage.close();

  // src/storage/sqlite/sqlite-storage.ts openSqliteStorage: the same pragmas, in the same order.
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = startCheckpointer(db, file);

  const stmt = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as {
    [Name in keyof typeof SQL]: Database.Statement;
  };
  // The keyring's active key-encryption key, held in memory as hush's keyring holds it once loaded.
  const kek = { version: 1, key: randomBytes(32) };

  // A minimal group commit: the writes queued in one event-loop turn, one BEGIN IMMEDIATE … COMMIT.
  let queue: { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] =
    [];
  const runAll = db.transaction((jobs: typeof queue) => jobs.map((job) => job.run()));
  const flush = () => {
    const jobs = queue;
    queue = [];
    let values: unknown[];
    try {
      values = runAll.immediate(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      job.resolve(values[i]);
    });
  };
  const write = <T>(run: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });

  const eventParams = (type: string, actor: Actor, detail: string, client: Client) => ({
    id: randomUUID(),
    type,
    shareId: null,
    clientIp: client.ip ?? null,
    userAgent: client.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    detail,
    actor: actor.username,
    createdAt: Date.now(),
  });

  /** Bearer parse + SHA-256, the lookup join, liveness (src/auth/token-service.ts `liveAt`), scope. */
  const authenticate = (authorization: string | undefined, scope: string): Actor | 401 | 403 => {
    if (!authorization?.startsWith('Bearer ')) return 401;
    const bearer = authorization.slice(7);
    if (!bearer.startsWith(ACCESS_PREFIX)) return 401;
    const token = parseToken(bearer.slice(ACCESS_PREFIX.length));
    if (!token) return 401;
    const row = stmt.findToken.get(token.hash) as TokenLookupRow | undefined;
    const now = Date.now();
    if (
      !row ||
      row.revoked_at !== null ||
      row.s_revoked_at !== null ||
      Number(row.expires_at) <= now ||
      Number(row.s_expires_at) <= now
    ) {
      return 401;
    }
    const scopes = row.scope.split(' ');
    if (!scopes.includes(scope)) return 403;
    return { userId: row.s_user_id, username: row.u_username, role: row.u_role, scopes };
  };

  /** The policy query and hush's rule over its rows (src/secrets/policy-checker.ts). */
  const capabilities = (actor: Actor, name: string) => {
    const rows = stmt.forActor.all(actor.userId, actor.role) as PolicyRow[];
    return evaluatePolicies(rows.map(policyFromRow), actor.role as Role, name);
  };

  /**
   * Seals under a fresh data key and the key under the KEK (src/secrets/secret-crypto.ts
   * `sealContent`); returns the write job: the three statements of hush's create, and `event`
   * (the audit row) when the name was free.
   */
  const sealAndInsert = (
    id: string,
    name: string,
    value: string,
    at: number,
    event?: ReturnType<typeof eventParams>,
  ) => {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    let ciphertext: Buffer;
    let wrappedKey: Buffer;
    try {
      const plaintext = Buffer.from(JSON.stringify({ value, metadata: {} }), 'utf8');
      ciphertext = seal(dataKey, plaintext, contentAad(id, 1));
      wrappedKey = seal(kek.key, dataKey, dataKeyAad(id, 1, kek.version));
    } finally {
      dataKey.fill(0);
    }
    return () => {
      stmt.eraseExpiredName.run({ name, now: at });
      const inserted =
        stmt.insertSecret.run({
          id,
          name,
          currentVersion: 1,
          createdAt: at,
          updatedAt: at,
          expiresAt: null,
        }).changes === 1;
      if (inserted) {
        stmt.insertVersion.run({
          secretId: id,
          version: 1,
          ciphertext,
          wrappedKey,
          keyVersion: kek.version,
          createdAt: at,
        });
        if (event) stmt.insertEvent.run(event);
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
      const bytes = randomBytes(32);
      const token = parseToken(bytes.toString('base64url'));
      if (!token) throw new Error('could not make a token');
      const ids = Array.from({ length: count }, () => randomUUID());
      await write(() => {
        stmt.insertUser.run({
          id: userId,
          username: `floor-admin-${seeds}`,
          email: null,
          role: 'admin',
          passwordHash: 'not used',
          createdAt: at,
          githubId: null,
        });
        stmt.insertSession.run(sessionId, userId, null, null, 3600, at, at + FAR_FUTURE_MS);
        stmt.insertToken.run(
          randomUUID(),
          token.hash,
          'access',
          sessionId,
          ADMIN_SCOPE,
          null,
          null,
          at,
          at + FAR_FUTURE_MS,
        );
        for (const id of ids) {
          named += 1;
          if (!sealAndInsert(id, `bench/r/${named}`, value, at)()) throw new Error('seed name taken');
        }
      });
      return { token: ACCESS_PREFIX + token.text, ids };
    },

    async read(authorization, id, client) {
      const actor = authenticate(authorization, 'secrets:read');
      if (actor === 401 || actor === 403) return { status: actor, body: { error: AUTH_ERRORS[actor] } };
      const now = Date.now();
      const row = stmt.read.get({ id, version: null, now }) as ReadRow | undefined;
      if (!row || !capabilities(actor, row.name).has('read')) {
        return { status: 404, body: { error: 'not_found' } };
      }
      const dataKey = open(kek.key, row.v_wrapped_key, dataKeyAad(row.id, row.v_version, row.v_key_version));
      let plaintext: Buffer;
      try {
        plaintext = open(dataKey, row.v_ciphertext, contentAad(row.id, row.v_version));
      } finally {
        dataKey.fill(0);
      }
      const content = JSON.parse(plaintext.toString('utf8')) as { value: string; metadata: object };
      const event = eventParams('SECRET_READ', actor, `${id} v${row.v_version}`, client);
      await write(() => stmt.insertEvent.run(event));
      return {
        status: 200,
        body: {
          id: row.id,
          name: row.name,
          version: row.v_version,
          value: content.value,
          metadata: content.metadata,
        },
      };
    },

    async create(authorization, name, value, client) {
      const actor = authenticate(authorization, 'secrets:write');
      if (actor === 401 || actor === 403) return { status: actor, body: { error: AUTH_ERRORS[actor] } };
      if (!capabilities(actor, name).has('create')) return { status: 403, body: { error: 'forbidden' } };
      const id = randomUUID();
      const event = eventParams('SECRET_CREATE', actor, `${id} v1`, client);
      // One job, one commit: the secret, its version 1 and the audit event together.
      const inserted = await write(sealAndInsert(id, name, value, Date.now(), event));
      if (!inserted) return { status: 409, body: { error: 'secret_exists' } };
      return { status: 201, body: { id, name, version: 1 } };
    },

    async close() {
      while (queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
      await checkpointer.stop();
      db.close();
    },
  };
}
