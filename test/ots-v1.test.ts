import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningHush, listeningHush } from './helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, login } from './helpers/hush-fixture.js';
import { nodeStorageEnv } from './helpers/node-storage.js';

/**
 * onetimesecret's v1 API, spoken by a real client from npm (onetimesecret-api: form-encoded bodies,
 * HTTP Basic on every call) and by raw HTTP for JSON bodies and the error headers, against a
 * listening hush on SQLite.
 */
/** The client's calls these tests make, as its own index.d.ts declares them. */
interface OtsClient {
  status(): Promise<boolean>;
  share(secret: string, options?: { passphrase?: string; ttl?: number }): Promise<Receipt>;
  generate(options?: { passphrase?: string }): Promise<Receipt & { value: string }>;
  retrieveSecret(
    secretKey: string,
    options?: { passphrase?: string },
  ): Promise<{ value: string; secret_key: string }>;
  retrieveMetadata(metadataKey: string): Promise<Receipt>;
  burn(metadataKey: string): Promise<{ state: Receipt; secret_shortkey: string }>;
  recentMetadata(): Promise<Receipt[]>;
}
type Receipt = Record<string, unknown> & { secret_key: string; metadata_key: string; share_link: string };
type OtsModule = {
  default: new (username: string, password: string, options: { url: string }) => OtsClient;
  NotAuthorizedError: new (...args: never[]) => Error;
  UnknownSecretError: new (...args: never[]) => Error;
};

// The package's main is its TypeScript source (index.ts), written for an older compiler: loaded by
// name at run time (vitest compiles it, node-fetch included), so this project's typecheck skips it.
const PACKAGE = 'onetimesecret-api';
const {
  default: OneTimeSecretApi,
  NotAuthorizedError,
  UnknownSecretError,
} = (await import(PACKAGE)) as OtsModule;

let server: ListeningHush;
let anonymous: OtsClient;
let token: string;

describe.each(['sqlite', 'postgres'] as const)('onetimesecret v1 on %s', (backend) => {
  beforeAll(async () => {
    server = await listeningHush(await nodeStorageEnv(backend));
    anonymous = new OneTimeSecretApi('', '', { url: server.url });
    token = (await login(server.fixture.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD)).access_token;
  });
  afterAll(async () => server.close());

  const basic = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  async function call(
    method: string,
    path: string,
    init: { json?: unknown; form?: string; auth?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (init.auth !== undefined) headers.authorization = init.auth;
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.form;
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined && { body }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    return { status: res.status, intended: res.headers.get('x-ots-intended-status'), body: json };
  }

  describe('onetimesecret v1 through its npm client', () => {
    it('answers the status as nominal', async () => {
      expect(await anonymous.status()).toBe(true);
      expect((await call('GET', '/status')).body).toEqual({ status: 'nominal', locale: 'en' });
    });

    it('shares, shows the receipt new, reveals once, then the receipt is received', async () => {
      const shared = await anonymous.share('db password: hunter2', { ttl: 3600 });
      expect(shared).toMatchObject({ custid: 'anon', state: 'new', ttl: 3600, passphrase_required: false });
      expect(shared.secret_key).toMatch(/\S/);
      expect(shared.share_link).toContain(shared.secret_key);

      const fresh = await anonymous.retrieveMetadata(shared.metadata_key);
      expect(fresh).toMatchObject({ state: 'new', metadata_key: shared.metadata_key, recipient: [] });

      const read = await anonymous.retrieveSecret(shared.secret_key);
      expect(read).toMatchObject({ value: 'db password: hunter2', secret_key: shared.secret_key });
      await expect(anonymous.retrieveSecret(shared.secret_key)).rejects.toBeInstanceOf(UnknownSecretError);

      const after = await anonymous.retrieveMetadata(shared.metadata_key);
      expect(after.state).toBe('received');
      expect(after).not.toHaveProperty('secret_key');
      expect(after).not.toHaveProperty('secret_ttl');
      expect((after as unknown as { received: number }).received).toBeGreaterThan(0);
      // The aliases answer the same receipt, by GET as well.
      for (const alias of ['/metadata', '/receipt', '/private']) {
        expect((await call('GET', `${alias}/${shared.metadata_key}`)).body.state).toBe('received');
      }
    });

    it('calls a share of several views viewed once it has been read and is not used up', async () => {
      const app = server.fixture.hush.app;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/shares',
        payload: { secret: 's', max_views: 2 },
      });
      const { secret_key, receipt_key } = created.json() as { secret_key: string; receipt_key: string };
      expect((await anonymous.retrieveMetadata(receipt_key)).state).toBe('new');
      expect((await anonymous.retrieveSecret(secret_key)).value).toBe('s');
      expect((await anonymous.retrieveMetadata(receipt_key)).state).toBe('viewed');
      await anonymous.retrieveSecret(secret_key);
      expect((await anonymous.retrieveMetadata(receipt_key)).state).toBe('received');
    });

    it('generates a random password, answered once, and shares it', async () => {
      const generated = await anonymous.generate({ passphrase: 'blue harvest' });
      expect(generated.value.length).toBeGreaterThanOrEqual(12);
      expect(generated.passphrase_required).toBe(true);
      const other = await anonymous.generate();
      expect(other.value).not.toBe(generated.value);
      const read = await anonymous.retrieveSecret(generated.secret_key, { passphrase: 'blue harvest' });
      expect(read.value).toBe(generated.value);
    });

    it('refuses a wrong passphrase as an unknown secret, spending no view and counting the attempt', async () => {
      const shared = await anonymous.share('guarded', { passphrase: 'right one' });
      await expect(
        anonymous.retrieveSecret(shared.secret_key, { passphrase: 'wrong' }),
      ).rejects.toBeInstanceOf(UnknownSecretError);
      const raw = await call('POST', `/secret/${shared.secret_key}`, { form: 'passphrase=wrong' });
      expect(raw).toEqual({ status: 404, intended: '403', body: { message: 'Unknown secret' } });
      const receipt = await server.fixture.hush.app.inject({
        url: `/api/v1/receipts/${shared.metadata_key}`,
      });
      expect(receipt.json()).toMatchObject({ state: 'pending', failed_passphrase_attempts: 2 });
      expect((await anonymous.retrieveSecret(shared.secret_key, { passphrase: 'right one' })).value).toBe(
        'guarded',
      );
    });

    it('burns by receipt: the receipt says burned and the secret is gone', async () => {
      const shared = await anonymous.share('to burn');
      const burned = await anonymous.burn(shared.metadata_key);
      expect(burned.state).toMatchObject({ state: 'burned', metadata_key: shared.metadata_key });
      await expect(anonymous.retrieveSecret(shared.secret_key)).rejects.toBeInstanceOf(UnknownSecretError);
      await expect(anonymous.burn(shared.metadata_key)).rejects.toBeInstanceOf(UnknownSecretError);
      // The canonical /receipt/… path and the /metadata/… alias burn too.
      for (const base of ['/receipt', '/metadata']) {
        const other = await anonymous.share('to burn');
        const answer = await call('POST', `${base}/${other.metadata_key}/burn`);
        expect(answer.body).toMatchObject({ state: { state: 'burned' }, secret_shortkey: '' });
      }
    });

    it('answers an unknown key 404 "Unknown secret" with X-OTS-Intended-Status', async () => {
      await expect(anonymous.retrieveSecret('nope')).rejects.toBeInstanceOf(UnknownSecretError);
      await expect(anonymous.retrieveMetadata('nope')).rejects.toBeInstanceOf(UnknownSecretError);
      expect(await call('POST', '/private/nope')).toEqual({
        status: 404,
        intended: '404',
        body: { message: 'Unknown secret' },
      });
    });
  });

  describe('onetimesecret v1 accounts (HTTP Basic username:api_token)', () => {
    it("takes an access token of the named account; recent lists the account's receipts, which its share ids open and burn", async () => {
      const account = new OneTimeSecretApi(ADMIN_USERNAME, token, { url: server.url });
      const first = await account.share('from an account');
      expect(first.custid).toBe(ADMIN_USERNAME);
      const second = await account.share('another from the account');
      await anonymous.share("not the account's");
      await account.retrieveSecret(first.secret_key);

      const recent = await account.recentMetadata();
      expect(recent.map((r) => [r.custid, r.state])).toEqual([
        [ADMIN_USERNAME, 'new'],
        [ADMIN_USERNAME, 'received'],
      ]);
      // hush keeps only a hash of a receipt key: recent names each receipt by its share id instead.
      const [newest] = recent;
      expect(newest?.metadata_key).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(newest?.secret_key).toBeUndefined();
      expect(JSON.stringify(recent)).not.toContain(second.metadata_key);
      expect(await account.retrieveMetadata(newest?.metadata_key ?? '')).toMatchObject({ state: 'new' });
      const burned = await account.burn(newest?.metadata_key ?? '');
      expect(burned.state).toMatchObject({ state: 'burned' });
      await expect(account.retrieveSecret(second.secret_key)).rejects.toBeInstanceOf(UnknownSecretError);
      // Another caller cannot open an account's receipt by share id.
      await expect(anonymous.retrieveMetadata(newest?.metadata_key ?? '')).rejects.toBeInstanceOf(Error);

      for (const base of ['/receipt', '/metadata']) {
        const listed = (await call('GET', `${base}/recent`, { auth: basic(ADMIN_USERNAME, token) })).body;
        expect((listed as unknown as unknown[]).length).toBe(2);
      }
      expect((await call('GET', '/authcheck', { auth: basic(ADMIN_USERNAME, token) })).body.status).toBe(
        'nominal',
      );
      // A token without shares:write neither lists, reads by share id, nor burns the account's shares.
      const app = server.fixture.hush.app;
      const narrow = (await login(app, ADMIN_USERNAME, ADMIN_PASSWORD, { scope: 'secrets:read' }))
        .access_token;
      const auth = basic(ADMIN_USERNAME, narrow);
      const kept = (await account.recentMetadata())[1];
      for (const [method, path] of [
        ['GET', '/private/recent'],
        ['GET', `/private/${kept?.metadata_key}`],
        ['POST', `/private/${kept?.metadata_key}/burn`],
      ] as const) {
        const refused = await call(method, path, { auth });
        expect([refused.status, refused.intended], `${method} ${path}`).toEqual([404, '403']);
      }
      expect(await account.retrieveMetadata(kept?.metadata_key ?? '')).toMatchObject({ state: 'received' });
    });

    it('refuses a bad token, a token of another account, and recent without an account', async () => {
      const wrongToken = new OneTimeSecretApi(ADMIN_USERNAME, 'not a token', { url: server.url });
      await expect(wrongToken.share('x')).rejects.toBeInstanceOf(NotAuthorizedError);
      const wrongName = new OneTimeSecretApi('someone-else', token, { url: server.url });
      await expect(wrongName.status()).resolves.toBe(true);
      await expect(wrongName.share('x')).rejects.toBeInstanceOf(NotAuthorizedError);
      await expect(anonymous.recentMetadata()).rejects.toBeInstanceOf(NotAuthorizedError);
      expect(await call('GET', '/private/recent')).toEqual({
        status: 404,
        intended: '401',
        body: { message: 'Not authorized' },
      });
      expect((await call('GET', '/authcheck', { auth: 'Bearer x' })).intended).toBe('401');
    });
  });

  describe('onetimesecret v1 bodies and limits', () => {
    it('takes JSON as well as form-encoded bodies', async () => {
      const shared = await call('POST', '/share', { json: { secret: 'as json', ttl: 600, passphrase: '' } });
      expect(shared.status).toBe(200);
      expect(shared.body).toMatchObject({ state: 'new', ttl: 600, passphrase_required: false });
      const read = await call('POST', `/secret/${shared.body.secret_key}`, { json: {} });
      expect(read.body.value).toBe('as json');
      const created = await call('POST', '/create', { form: 'secret=as%20form&ttl=700' });
      expect(created.body).toMatchObject({ state: 'new', ttl: 700 });
    });

    it('holds ttl within hush’s share settings', async () => {
      const short = await call('POST', '/share', { form: 'secret=x&ttl=1' });
      expect(short.body.ttl).toBe(server.fixture.config.shares.ttlMinSeconds);
      const long = await call('POST', '/share', { form: 'secret=x&ttl=999999999' });
      expect(long.body.ttl).toBe(server.fixture.config.shares.ttlMaxSeconds);
    });

    it('answers bad requests 404 {message} with the intended 400', async () => {
      const missing = await call('POST', '/share', { form: 'passphrase=x' });
      expect(missing.status).toBe(404);
      expect(missing.intended).toBe('400');
      expect(Object.keys(missing.body)).toEqual(['message']);
      const mailed = await call('POST', '/share', { form: 'secret=x&recipient=a%40example.com' });
      expect(mailed).toMatchObject({ status: 404, intended: '400' });
      expect(mailed.body.message).toMatch(/e-mail/);
    });

    it('leaves unknown paths below /api/v1 to hush’s own 404', async () => {
      const res = await fetch(`${server.url}/api/v1/nothing-here`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-ots-intended-status')).toBeNull();
      expect(await res.json()).toMatchObject({ error: 'route_not_found' });
    });
  });
});
