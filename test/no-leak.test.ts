import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptAnswer, newRequestKeyPair } from '../src/client/request-crypto.js';
import { openStorage, PLACES, type StorageSetup, type StorageUnderTest } from './helpers/at-rest.js';
import {
  type AtRest,
  findCanariesNaive,
  findInPlaces,
  joinPlaces,
  masterKeyNeedles,
  type Needle,
  NeedleSearch,
  textNeedles,
  tokenNeedles,
} from './helpers/needles.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';

/**
 * "No secret at rest or in logs": a real server process runs every route with canary values, then
 * its logs and every byte its storage holds at rest (read while it runs, and again after a
 * graceful shutdown) are searched for every canary, as text and in the encodings a careless
 * implementation would use (UTF-16, hex, base64, base64url, raw token bytes). Storage, on servers
 * of the test's own (see helpers/at-rest.ts):
 * - `sqlite`: hush.db, -wal and -shm;
 * - `postgres`: every file under PGDATA (relations and pg_wal) after a CHECKPOINT;
 * - `postgres+redis`: that, with share content in Redis (HUSH_SHARE_STORE=redis): every file under
 *   its --dir (the append-only files, dump.rdb after a SAVE) and every key's value.
 */

const SETUPS: readonly StorageSetup[] = ['sqlite', 'postgres', 'postgres+redis'];

const RUN = randomBytes(6).toString('hex');
const SECRET_PREFIX = `CANARY-SECRET-${RUN}`;
const PASSPHRASE = `CANARY-PASSPHRASE-${RUN}-${randomBytes(6).toString('hex')}`;
const WRONG_PASSPHRASE = `CANARY-WRONG-PASSPHRASE-${RUN}`;
const ADMIN_USERNAME = 'admin';
const ADMIN_PASSWORD = `CANARY-ADMIN-PASSWORD-${RUN}-${randomBytes(6).toString('hex')}`;
const WRONG_ADMIN_PASSWORD = `CANARY-WRONG-ADMIN-PASSWORD-${RUN}`;
/** Shaped like a real access token (so it is parsed, hashed and looked up), but never issued. */
const WRONG_ADMIN_TOKEN = `hush_at_${randomBytes(32).toString('base64url')}`;
const GARBAGE_TOKEN = randomBytes(32).toString('base64url');
const USER_AGENT = `hush-no-leak-test/${RUN}`;
/** A secret request's note: shown to the responder, sealed at rest. */
const REQUEST_NOTE = `CANARY-REQUEST-NOTE-${RUN}`;
/** Inside files' bytes, in clear (the worst a client could send; the page and CLI encrypt them). */
const FILE_CANARY = `CANARY-FILE-${RUN}`;
const PART_BYTES = 1024 * 1024;

/**
 * A hush bearer token (`hush_at_`/`hush_rt_` + 43 base64url characters): its full text in every
 * spelling, and the 32 random bytes behind the part after the prefix.
 */
function bearerNeedles(label: string, token: string): Needle[] {
  const match = /^hush_[ar]t_(.+)$/.exec(token);
  return [...textNeedles(label, token), ...tokenNeedles(label, match ? (match[1] as string) : token)];
}

interface TokenReply {
  readonly access_token: string;
  readonly refresh_token: string;
}

interface Answer {
  readonly label: string;
  readonly status: number;
  readonly text: string;
  /** Creates and reveals legitimately carry keys or the secret; nothing else may. */
  readonly mayCarryCanary: boolean;
}

describe.each(SETUPS)('no secret at rest or in logs (%s, real server process)', (setup) => {
  let dir: string;
  let storage: StorageUnderTest | undefined;
  let server: ServerProcess | undefined;
  let running: AtRest;
  let stopped: AtRest;
  let logs: string;
  let exitCode: number | null;
  let masterKeyText: string;
  const answers: Answer[] = [];
  const secrets: string[] = [];
  const secretKeys = new Set<string>();
  const receiptKeys = new Set<string>();
  const shareIds = new Set<string>();
  const pendingIds = new Set<string>();
  /** Secret requests' keys (both kinds) and the answer envelopes sent to them. */
  const requestKeys = new Set<string>();
  const envelopes: string[] = [];
  /** Upload and download keys of files. */
  const fileKeys: string[] = [];
  /** Every access and refresh token the server issued to the admin in this run. */
  const adminTokens: string[] = [];
  let adminToken = '';

  let secretCount = 0;
  const nextSecret = () => {
    const secret = `${SECRET_PREFIX}-${++secretCount}-${randomBytes(4).toString('hex')}`;
    secrets.push(secret);
    return secret;
  };

  async function call(
    label: string,
    method: string,
    urlPath: string,
    options: {
      body?: unknown;
      raw?: Uint8Array<ArrayBuffer> | string;
      contentType?: string;
      admin?: string;
      headers?: Record<string, string>;
      mayCarryCanary?: boolean;
    } = {},
  ): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string }> {
    if (!server) throw new Error('server not started');
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...options.headers };
    let body: Uint8Array<ArrayBuffer> | string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    if (options.admin) headers.authorization = `Bearer ${options.admin}`;
    const res = await fetch(`${server.url}${urlPath}`, {
      method,
      headers,
      ...(body !== undefined && { body }),
    });
    const text = await res.text();
    answers.push({ label, status: res.status, text, mayCarryCanary: options.mayCarryCanary ?? false });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  async function expectStatus(
    status: number,
    ...args: Parameters<typeof call>
  ): Promise<Record<string, unknown>> {
    const res = await call(...args);
    expect(res.status, `${args[0]}: ${res.text.slice(0, 300)}`).toBe(status);
    return res.json ?? {};
  }

  /** Creates a native share and remembers its keys. */
  async function createNative(label: string, body: Record<string, unknown>) {
    const created = await expectStatus(201, label, 'POST', '/api/v1/shares', { body, mayCarryCanary: true });
    const secretKey = created.secret_key as string;
    const receiptKey = created.receipt_key as string;
    secretKeys.add(secretKey);
    receiptKeys.add(receiptKey);
    return { secretKey, receiptKey };
  }

  async function createCompat(
    label: string,
    route: '/api/secret' | '/generate',
    body: Record<string, unknown>,
  ) {
    const created = await expectStatus(201, label, 'POST', route, { body, mayCarryCanary: true });
    const secretKey = created.secret_key as string;
    secretKeys.add(secretKey);
    return secretKey;
  }

  /** Uploads `bytes` in parts and creates a native share with them (and a canary secret). */
  async function createWithFile(label: string, bytes: Buffer, extra: Record<string, unknown> = {}) {
    const upload = await expectStatus(201, `${label} upload`, 'POST', '/api/v1/uploads', {
      body: { bytes: bytes.length },
      mayCarryCanary: true,
    });
    const uploadKey = upload.upload_key as string;
    fileKeys.push(uploadKey);
    for (let n = 0; n * PART_BYTES < bytes.length; n++) {
      await expectStatus(204, `${label} part ${n}`, 'PUT', `/api/v1/uploads/${upload.upload_id}/parts/${n}`, {
        raw: new Uint8Array(bytes.subarray(n * PART_BYTES, (n + 1) * PART_BYTES)),
        contentType: 'application/octet-stream',
        headers: { 'hush-upload-key': uploadKey },
      });
    }
    return createNative(`${label} create`, {
      secret: nextSecret(),
      upload: { id: upload.upload_id, key: uploadKey },
      ...extra,
    });
  }

  /** Files' scenario: downloaded (then erased), burned, and one left pending (sealed at rest). */
  async function fileScenario(): Promise<void> {
    const bytes = Buffer.from(
      `${FILE_CANARY} `.repeat(Math.ceil((PART_BYTES * 1.3) / (FILE_CANARY.length + 1))),
    );
    const shareK = await createWithFile('K', bytes);
    const revealed = await expectStatus(
      200,
      'K reveal',
      'POST',
      `/api/v1/shares/${shareK.secretKey}/reveal`,
      {
        body: {},
        mayCarryCanary: true,
      },
    );
    const files = revealed.files as { download_key: string; bytes: number };
    expect(files.bytes).toBe(bytes.length);
    fileKeys.push(files.download_key);
    const downloaded = await fetch(`${server?.url}/api/v1/downloads/${files.download_key}`, {
      method: 'POST',
    });
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);
    await expectStatus(404, 'K download again', 'POST', `/api/v1/downloads/${files.download_key}`);
    const shareL = await createWithFile('L', bytes.subarray(0, 5000));
    await expectStatus(204, 'L burn by receipt', 'POST', `/api/v1/receipts/${shareL.receiptKey}/burn`);
    await createWithFile('M (pending)', bytes.subarray(0, 7000), { ttl_seconds: 3600 });
  }

  async function receipt(label: string, receiptKey: string) {
    const body = await expectStatus(200, label, 'GET', `/api/v1/receipts/${receiptKey}`);
    shareIds.add(body.share_id as string);
    if (body.state === 'pending') pendingIds.add(body.share_id as string);
    return body;
  }

  /** Signs the admin in (JSON or form body) and remembers both tokens. */
  async function signIn(label: string, form: boolean): Promise<TokenReply> {
    const fields = { grant_type: 'password', username: ADMIN_USERNAME, password: ADMIN_PASSWORD };
    const tokens = (await expectStatus(200, label, 'POST', '/api/v1/token/create', {
      ...(form
        ? { raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' }
        : { body: fields }),
      mayCarryCanary: true,
    })) as unknown as TokenReply;
    adminTokens.push(tokens.access_token, tokens.refresh_token);
    return tokens;
  }

  /** The admin signs in (right and wrong password, JSON and form), renews, and revokes a session. */
  async function signInScenario(): Promise<void> {
    await expectStatus(400, 'sign-in wrong password', 'POST', '/api/v1/token/create', {
      body: { grant_type: 'password', username: ADMIN_USERNAME, password: WRONG_ADMIN_PASSWORD },
    });
    await expectStatus(400, 'sign-in invalid JSON', 'POST', '/api/v1/token/create', {
      raw: `{"grant_type":"password","username":"admin","password":"${ADMIN_PASSWORD}`,
    });
    const formed = await signIn('sign-in (form)', true);
    const first = await signIn('sign-in (JSON)', false);
    const renewed = (await expectStatus(200, 'renew', 'POST', '/api/v1/token/renew', {
      body: { refresh_token: first.refresh_token },
      mayCarryCanary: true,
    })) as unknown as TokenReply;
    adminTokens.push(renewed.access_token, renewed.refresh_token);
    // The rotated refresh token again: refused (and its session revoked).
    await expectStatus(400, 'renew with a used refresh token', 'POST', '/api/v1/token/renew', {
      body: { refresh_token: first.refresh_token },
    });
    await expectStatus(200, 'revoke', 'POST', '/api/v1/token/revoke', {
      body: { token: formed.access_token },
    });
    await expectStatus(401, 'events revoked token', 'GET', '/api/v1/events', { admin: formed.access_token });
    await expectStatus(401, 'events refresh token', 'GET', '/api/v1/events', { admin: formed.refresh_token });
    const current = await signIn('sign-in (JSON, kept)', false);
    adminToken = current.access_token;
  }

  async function scenario(): Promise<void> {
    await signInScenario();
    // Native, no passphrase, two views: peek, reveal, reveal, then gone.
    const a = { secret: nextSecret() };
    const shareA = await createNative('A create', { secret: a.secret, max_views: 2 });
    expect((await expectStatus(200, 'A peek', 'GET', `/api/v1/shares/${shareA.secretKey}`)).views_left).toBe(
      2,
    );
    const aReveal = { mayCarryCanary: true, body: {} };
    expect(
      (await expectStatus(200, 'A reveal 1', 'POST', `/api/v1/shares/${shareA.secretKey}/reveal`, aReveal))
        .secret,
    ).toBe(a.secret);
    expect(
      (await expectStatus(200, 'A reveal 2', 'POST', `/api/v1/shares/${shareA.secretKey}/reveal`, aReveal))
        .views_left,
    ).toBe(0);
    await expectStatus(404, 'A reveal 3', 'POST', `/api/v1/shares/${shareA.secretKey}/reveal`);
    expect((await receipt('A receipt', shareA.receiptKey)).state).toBe('consumed');

    // Native with passphrase, two views: missing and wrong passphrase, right one, then burn.
    const b = { secret: nextSecret() };
    const shareB = await createNative('B create', { secret: b.secret, passphrase: PASSPHRASE, max_views: 2 });
    expect(
      (await expectStatus(200, 'B peek', 'GET', `/api/v1/shares/${shareB.secretKey}`)).passphrase_required,
    ).toBe(true);
    const revealB = `/api/v1/shares/${shareB.secretKey}/reveal`;
    await expectStatus(401, 'B reveal without passphrase', 'POST', revealB, { body: {} });
    await expectStatus(403, 'B reveal wrong passphrase', 'POST', revealB, {
      body: { passphrase: WRONG_PASSPHRASE },
    });
    const revealed = await expectStatus(200, 'B reveal', 'POST', revealB, {
      body: { passphrase: PASSPHRASE },
      mayCarryCanary: true,
    });
    expect(revealed).toEqual({ secret: b.secret, views_left: 1 });
    const burnB = `/api/v1/shares/${shareB.secretKey}`;
    await expectStatus(401, 'B burn without passphrase', 'DELETE', burnB);
    await expectStatus(403, 'B burn wrong passphrase', 'DELETE', burnB, {
      body: { passphrase: WRONG_PASSPHRASE },
    });
    await expectStatus(204, 'B burn', 'DELETE', burnB, { body: { passphrase: PASSPHRASE } });
    expect((await receipt('B receipt', shareB.receiptKey)).state).toBe('burned');

    // Native, burned by its receipt.
    const shareC = await createNative('C create', { secret: nextSecret() });
    await expectStatus(204, 'C burn by receipt', 'POST', `/api/v1/receipts/${shareC.receiptKey}/burn`);
    expect((await receipt('C receipt', shareC.receiptKey)).end_reason).toBe('burned_by_sender');

    // Left pending, so their ciphertext and passphrase hash stay in the database.
    const shareD = await createNative('D create', { secret: nextSecret(), ttl_seconds: 3600, max_views: 5 });
    await expectStatus(200, 'D peek', 'GET', `/api/v1/shares/${shareD.secretKey}`);
    expect((await receipt('D receipt', shareD.receiptKey)).state).toBe('pending');
    const shareE = await createNative('E create', { secret: nextSecret(), passphrase: PASSPHRASE });
    expect((await receipt('E receipt', shareE.receiptKey)).passphrase_required).toBe(true);

    // Seed 000: the GET consumes; the passphrase guards deletion.
    const f = { secret: nextSecret() };
    const keyF = await createCompat('seed000 create F', '/api/secret', {
      secret: f.secret,
      passphrase: PASSPHRASE,
    });
    const readF = await expectStatus(200, 'seed000 get F', 'GET', `/api/secret/${keyF}`, {
      mayCarryCanary: true,
    });
    expect(readF.secret).toBe(f.secret);
    const keyG = await createCompat('seed000 create G', '/api/secret', {
      secret: nextSecret(),
      passphrase: PASSPHRASE,
    });
    await expectStatus(403, 'seed000 delete G wrong', 'DELETE', `/api/secret/${keyG}`, {
      body: { passphrase: WRONG_PASSPHRASE },
    });
    await expectStatus(200, 'seed000 delete G', 'DELETE', `/api/secret/${keyG}`, {
      body: { passphrase: PASSPHRASE },
    });
    await createCompat('seed000 create H (pending)', '/api/secret', {
      secret: nextSecret(),
      ttl_seconds: 3600,
    });
    const seedEvents = await expectStatus(200, 'seed000 events', 'GET', '/api/event?page_size=100', {
      admin: adminToken,
    });
    for (const event of seedEvents.events as Array<{ secret_id: string | null }>) {
      if (event.secret_id) shareIds.add(event.secret_id);
    }

    // Seed 002: passphrase to create and to read.
    const i = { secret: nextSecret() };
    const keyI = await createCompat('seed002 generate I', '/generate', {
      secret: i.secret,
      passphrase: PASSPHRASE,
    });
    await expectStatus(403, 'seed002 read I wrong', 'POST', `/secrets/${keyI}`, {
      body: { passphrase: WRONG_PASSPHRASE },
    });
    const readI = await expectStatus(200, 'seed002 read I', 'POST', `/secrets/${keyI}`, {
      body: { passphrase: PASSPHRASE },
      mayCarryCanary: true,
    });
    expect(readI.secret).toBe(i.secret);
    await createCompat('seed002 generate J (pending)', '/generate', {
      secret: nextSecret(),
      passphrase: PASSPHRASE,
    });

    // Admin events, right and wrong token.
    const events = await expectStatus(200, 'events', 'GET', '/api/v1/events?page_size=100', {
      admin: adminToken,
    });
    expect(events.total).toBeGreaterThanOrEqual(20);
    for (const event of events.events as Array<{ subject: { kind: string; id: string } | null }>) {
      if (event.subject?.kind === 'share') shareIds.add(event.subject.id);
    }
    await expectStatus(200, 'events by type', 'GET', '/api/v1/events?type=share.passphrase_failed', {
      admin: adminToken,
    });
    await expectStatus(401, 'events wrong token', 'GET', '/api/v1/events', { admin: WRONG_ADMIN_TOKEN });
    await expectStatus(401, 'seed000 events wrong token', 'GET', '/api/event', { admin: WRONG_ADMIN_TOKEN });
    await expectStatus(401, 'events garbage token', 'GET', '/api/v1/events', { admin: GARBAGE_TOKEN });

    // Error paths that carry canaries in the body, the URL or the query.
    const leaky = nextSecret();
    await expectStatus(400, 'unknown field', 'POST', '/api/v1/shares', {
      body: { secret: leaky, bogus: leaky },
    });
    await expectStatus(400, 'invalid JSON', 'POST', '/api/v1/shares', { raw: `{"secret":"${leaky}` });
    const badUtf8 = Buffer.concat([
      Buffer.from(`{"secret":"${leaky}`),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    await expectStatus(400, 'invalid UTF-8', 'POST', '/api/v1/shares', { raw: badUtf8 });
    const badPassphrase = Buffer.concat([
      Buffer.from(`{"passphrase":"${PASSPHRASE}`),
      Buffer.from([0xc0]),
      Buffer.from('"}'),
    ]);
    await expectStatus(400, 'invalid UTF-8 passphrase', 'POST', `/api/v1/shares/${shareE.secretKey}/reveal`, {
      raw: badPassphrase,
    });
    const textPlain = await call('text/plain body', 'POST', '/api/v1/shares', {
      raw: leaky,
      contentType: 'text/plain',
    });
    expect(textPlain.status).toBeGreaterThanOrEqual(400);
    await expectStatus(400, 'secret as query', 'GET', `/api/v1/events?secret=${leaky}`, {
      admin: adminToken,
    });
    await expectStatus(400, 'bad %-encoding after a key', 'GET', `/api/v1/shares/${shareD.secretKey}%zz`);
    await expectStatus(400, 'over-long key', 'GET', `/api/v1/shares/${shareD.secretKey}${'x'.repeat(300)}`);
    await expectStatus(404, 'unknown route under a key', 'GET', `/api/v1/shares/${shareD.secretKey}/nope`);
    await expectStatus(404, 'receipt key as share key', 'GET', `/api/v1/shares/${shareD.receiptKey}`);
    await expectStatus(200, 'key in the query of /healthz', 'GET', `/healthz?key=${shareD.secretKey}`);
    await requestScenario();
  }

  /** Secret requests: one revealed, one left answered (its sealed answer stays at rest), one left open. */
  async function requestScenario(): Promise<void> {
    const pair = await newRequestKeyPair();
    for (const [label, reveal] of [
      ['request R1', true],
      ['request R2', false],
    ] as const) {
      const made = await expectStatus(201, `${label} create`, 'POST', '/api/v1/requests', {
        body: { note: REQUEST_NOTE, ttl_seconds: 3600 },
        mayCarryCanary: true,
      });
      const requestKey = made.request_key as string;
      const respondKey = made.respond_key as string;
      requestKeys.add(requestKey).add(respondKey);
      await expectStatus(200, `${label} prompt`, 'GET', `/api/v1/requests/respond/${respondKey}`, {
        mayCarryCanary: true,
      });
      const envelope = await encryptAnswer(pair.publicKey, nextSecret());
      envelopes.push(envelope);
      await expectStatus(204, `${label} answer`, 'POST', `/api/v1/requests/respond/${respondKey}`, {
        body: { answer: envelope },
      });
      await expectStatus(200, `${label} status`, 'GET', `/api/v1/requests/${requestKey}`, {
        mayCarryCanary: true,
      });
      if (reveal) {
        const revealed = await expectStatus(
          200,
          `${label} reveal`,
          'POST',
          `/api/v1/requests/${requestKey}/reveal`,
          {
            mayCarryCanary: true,
          },
        );
        expect(revealed.answer).toBe(envelope);
      }
    }
    const open = await expectStatus(201, 'request R3 create', 'POST', '/api/v1/requests', {
      body: { note: REQUEST_NOTE },
      mayCarryCanary: true,
    });
    requestKeys.add(open.request_key as string).add(open.respond_key as string);
    await fileScenario();
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-no-leak-'));
    storage = await openStorage(setup, dir);
    server = await startServerProcess({
      ...storage.env,
      HUSH_DATA_DIR: dir,
      HUSH_BOOTSTRAP_ADMIN_USERNAME: ADMIN_USERNAME,
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HUSH_RATE_LIMIT_MAX: '0',
    });
    await scenario();
    masterKeyText = storage.masterKey();
    running = await storage.read(); // for SQLite, before shutdown checkpoints the WAL into the database
    exitCode = await server.stop();
    logs = server.output();
    server = undefined;
    stopped = await storage.read();
  }, 180_000);

  afterAll(async () => {
    await server?.kill();
    await storage?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const canaries = (): Needle[] => [
    ...textNeedles('secret canary', SECRET_PREFIX),
    ...secrets.flatMap((secret) => textNeedles(`secret ${secret}`, secret)),
    ...textNeedles('passphrase', PASSPHRASE),
    ...textNeedles('wrong passphrase', WRONG_PASSPHRASE),
    ...textNeedles('admin password', ADMIN_PASSWORD),
    ...textNeedles('wrong admin password', WRONG_ADMIN_PASSWORD),
    ...adminTokens.flatMap((token, i) => bearerNeedles(`admin token #${i}`, token)),
    ...bearerNeedles('wrong admin token', WRONG_ADMIN_TOKEN),
    ...tokenNeedles('garbage admin token', GARBAGE_TOKEN),
    ...[...secretKeys].flatMap((key) => tokenNeedles(`secret_key ${key}`, key)),
    ...[...receiptKeys].flatMap((key) => tokenNeedles(`receipt_key ${key}`, key)),
    ...masterKeyNeedles('master key', masterKeyText),
    ...textNeedles('request note', REQUEST_NOTE),
    ...envelopes.flatMap((envelope, i) => textNeedles(`answer envelope #${i}`, envelope)),
    ...[...requestKeys].flatMap((key) => tokenNeedles(`request key ${key}`, key)),
    ...textNeedles('file canary', FILE_CANARY),
    ...fileKeys.flatMap((key, i) => tokenNeedles(`file key #${i}`, key)),
  ];

  it('ran every route and shut down cleanly', () => {
    expect(exitCode).toBe(0);
    expect(secretKeys.size).toBe(13);
    expect(fileKeys).toHaveLength(4);
    // Three sign-ins and a renewal: four access and four refresh tokens, all distinct.
    expect(new Set(adminTokens).size).toBe(8);
    expect(adminTokens.filter((token) => token.startsWith('hush_rt_'))).toHaveLength(4);
    expect(requestKeys.size).toBe(6);
    expect(receiptKeys.size).toBe(8);
    expect(shareIds.size).toBeGreaterThanOrEqual(10);
    expect(logs).toContain('"shutdown complete"');
    // One log line per request (router errors included), so the logs really cover the run.
    expect(logs.match(/"request completed"/g)?.length ?? 0).toBeGreaterThanOrEqual(answers.length);
    expect(logs).toContain('"route":"unroutable"');
    // The storage under test is the one hush used.
    expect(logs).toContain(`"storage":"${setup}"`);
    if (setup === 'postgres+redis') expect(logs).toContain('"shareStore":"redis"');
    if (setup !== 'sqlite') expect(existsSync(path.join(dir, 'hush.db')), 'no SQLite file').toBe(false);
  });

  it('the logs carry no canary', () => {
    expect(new NeedleSearch(canaries()).find(Buffer.from(logs, 'utf8'))).toEqual([]);
  });

  /** Each log filter selects something non-empty (the run is in it), and no place holds a canary. */
  const expectClean = (atRest: AtRest, requireLogs: boolean) => {
    if (!storage) throw new Error('storage not opened');
    expect(atRest.size, 'places read').toBeGreaterThan(0);
    if (requireLogs) {
      for (const log of storage.logs) {
        expect(joinPlaces(atRest, log).length, `a log with the run in it: ${log}`).toBeGreaterThan(0);
      }
    }
    expect(findInPlaces(atRest, new NeedleSearch(canaries()))).toEqual([]);
  };

  it(`${PLACES[setup]} carry no canary while the server is running`, () => {
    expectClean(running, true);
  });

  it(`${PLACES[setup]} carry no canary after a graceful shutdown`, () => {
    expectClean(stopped, false);
  });

  it('no answer other than a create or a reveal carries a canary', () => {
    const search = new NeedleSearch(canaries());
    const leaks = answers
      .filter((answer) => !answer.mayCarryCanary)
      .map((answer) => ({ label: answer.label, found: search.find(Buffer.from(answer.text, 'utf8')) }))
      .filter((answer) => answer.found.length > 0);
    expect(leaks).toEqual([]);
    // Errors keep the one shape.
    for (const answer of answers.filter((a) => a.status >= 400)) {
      const { attempts_left, ...shape } = JSON.parse(answer.text);
      expect(shape, answer.label).toEqual({
        error: expect.any(String),
        message: expect.any(String),
        request_id: expect.any(String),
      });
      // The one extra field: a count, on a wrong passphrase or link key only.
      if (attempts_left !== undefined) expect(attempts_left, answer.label).toEqual(expect.any(Number));
    }
  });

  it('the search can fail: what is stored in clear is found, and planted canaries are found', async () => {
    if (!storage) throw new Error('storage not opened');
    // Share ids and the user agent are stored in clear, so the same reads do find data in these places.
    for (const [phase, atRest] of [
      ['running', running],
      ['stopped', stopped],
    ] as const) {
      for (const filter of storage.clearIn[phase]) {
        const haystack = joinPlaces(atRest, filter);
        for (const id of shareIds) {
          expect(haystack.includes(Buffer.from(id)), `share id ${id} in ${filter} (${phase})`).toBe(true);
        }
      }
    }
    const [events = /$^/] = storage.clearIn.stopped; // the relation files, holding the audit events
    expect(joinPlaces(stopped, events).includes(Buffer.from(USER_AGENT)), 'user agent').toBe(true);
    expect(pendingIds.size).toBeGreaterThanOrEqual(2);
    for (const filter of storage.pendingIn) {
      const live = joinPlaces(running, filter);
      for (const id of pendingIds)
        expect(live.includes(Buffer.from(id)), `pending ${id} in ${filter}`).toBe(true);
    }
    expect(logs).toContain('"route":"/api/v1/shares/:secretKey/reveal"');

    // Every spelling is recognised wherever it sits in a larger buffer.
    const [secret = '', key = ''] = [secrets[0], [...secretKeys][0]];
    const noise = randomBytes(37);
    const plant = (text: string | Buffer) => Buffer.concat([noise, Buffer.from(text), noise]);
    const needles = canaries();
    const search = new NeedleSearch(needles);
    const planted: Array<[string | Buffer, string]> = [
      [secret, 'secret canary'],
      [`x${Buffer.from(`..${secret}..`).toString('base64')}`, 'secret canary (base64'],
      [`xy${Buffer.from(`.${secret}`).toString('base64url')}`, 'secret canary (base64url'],
      [Buffer.from(secret, 'utf16le'), 'secret canary (UTF-16LE)'],
      [Buffer.from(PASSPHRASE).toString('hex'), 'passphrase (hex)'],
      [Buffer.from(key, 'base64url'), `secret_key ${key} (raw bytes)`],
      [Buffer.from(key, 'base64url').toString('base64'), `secret_key ${key} (raw base64)`],
      [`{"authorization":"Bearer ${adminToken}"}`, 'admin token #'],
      [Buffer.from(adminToken.slice('hush_at_'.length), 'base64url'), 'admin token #'],
      [`refresh_token=${adminTokens[1]}`, 'admin token #1'],
      [`{"password":"${ADMIN_PASSWORD}"}`, 'admin password'],
      [Buffer.from(ADMIN_PASSWORD).toString('base64'), 'admin password (base64'],
      [`Bearer ${WRONG_ADMIN_TOKEN}`, 'wrong admin token'],
      [Buffer.from(masterKeyText), 'master key'],
    ];
    for (const [text, label] of planted) {
      const found = search.find(plant(text));
      expect(found, label).toEqual(findCanariesNaive(plant(text), needles));
      expect(
        found.some((name) => name.startsWith(label)),
        label,
      ).toBe(true);
    }

    // A canary written in clear beside hush's data (scratch table, Redis key) is found in the files.
    const canary = `${SECRET_PREFIX}-planted-${randomBytes(4).toString('hex')}`;
    await storage.plant(canary);
    const after = await storage.read();
    const plantNeedles = textNeedles('secret canary', SECRET_PREFIX);
    const plantSearch = new NeedleSearch(plantNeedles);
    const hits = [...after].map(([place, bytes]) => ({
      place,
      found: plantSearch.find(bytes),
      naive: findCanariesNaive(bytes, plantNeedles),
    }));
    const foundIn = hits.filter((hit) => hit.found.includes('secret canary')).map((hit) => hit.place);
    for (const filter of storage.plantedIn) {
      expect(
        foundIn.some((place) => filter.test(place)),
        `planted canary in ${filter}: ${foundIn}`,
      ).toBe(true);
    }
    // The one-pass search finds what one `includes` per needle finds, on every real place.
    expect(hits.map((hit) => hit.found)).toEqual(hits.map((hit) => hit.naive));
  }, 120_000);
});
