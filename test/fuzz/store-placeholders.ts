import { expect } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USERNAME, json, login } from '../helpers/hush-fixture.js';
import type { AuthChoice, GithubFlow, ResolveContext, StoreHush } from './store-fixture.js';

/**
 * The real values behind the arbitraries' placeholders, made just before a request goes out: ids
 * of fresh secrets, policies and accounts, tokens of a spare admin the fuzzer may spend, GitHub
 * flows. Credentials put into a request are added to its `avoid` list: never echoed.
 */

export const USER_NAME = 'fuzz-user';
export const USER_PASSWORD = 'fuzz-user password 0123456789';
export const SPARE_NAME = 'fuzz-spare';
export const SPARE_PASSWORD = 'fuzz-spare password 0123456789';

export interface PlaceholderDeps {
  readonly hush: StoreHush;
  readonly githubFlow: ((hush: StoreHush) => Promise<GithubFlow>) | undefined;
}

const NO_FLOW: GithubFlow = {
  state: 'no-flow-state',
  code: 'no-flow-code',
  cookie: 'hush_github_state=none',
};

export function createPlaceholders({ hush, githubFlow }: PlaceholderDeps) {
  let counter = 0;
  const app = () => hush.f.hush.app;
  const admin = () => ({ authorization: `Bearer ${hush.tokens.admin}` });
  const spareLogin = (extra: Record<string, unknown> = {}) => login(app(), SPARE_NAME, SPARE_PASSWORD, extra);

  async function freshSecret(): Promise<{ id: string; name: string }> {
    const name = `fuzz/s${++counter}/db-password`;
    const payload = { name, value: `value ${counter}`, metadata: { owner: 'fuzz' } };
    const res = await hush.inject({
      method: 'POST',
      url: '/api/v1/secrets/create',
      headers: admin(),
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string; name: string }>(res);
  }
  /** Its path marks it as made here (see FRESH_POLICY_PATH); the fuzzer may delete it. */
  async function freshPolicy(): Promise<string> {
    const payload = {
      subject_type: 'role',
      subject: 'user',
      path: `fuzz/p${++counter}/*`,
      capabilities: ['read'],
    };
    const res = await hush.inject({ method: 'POST', url: '/api/v1/sys/policies', headers: admin(), payload });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string }>(res).id;
  }
  /** A machine identity with a policy under `fuzz/`, for `{name}` and what goes with it. */
  async function freshMachine(context: ResolveContext) {
    if (context.machine) return context.machine;
    const payload = { name: `fuzz-m${++counter}`, policies: [{ path: 'fuzz/**', capabilities: ['read'] }] };
    const res = await hush.inject({ method: 'POST', url: '/api/v1/machines', headers: admin(), payload });
    expect(res.statusCode, res.body).toBe(201);
    const { name, role_id } = json<{ name: string; role_id: string }>(res);
    context.machine = { name, roleId: role_id };
    return context.machine;
  }
  async function freshSecretId(context: ResolveContext) {
    const { name } = await freshMachine(context);
    const res = await hush.inject({
      method: 'POST',
      url: `/api/v1/machines/${name}/secret-ids`,
      headers: admin(),
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ secret_id: string; accessor: string }>(res);
  }
  async function freshRequest(context: ResolveContext) {
    if (context.request) return context.request;
    const res = await hush.inject({ method: 'POST', url: '/api/v1/requests', payload: { note: 'fuzz' } });
    expect(res.statusCode, res.body).toBe(201);
    context.request = json<{ request_key: string; respond_key: string }>(res);
    return context.request;
  }
  async function freshVictim(): Promise<string> {
    const username = `victim-${++counter}`;
    await hush.f.hush.users.create({ username, role: 'user', password: `${username} password 0123456789` });
    return username;
  }

  async function resolve(text: string, context: ResolveContext): Promise<string> {
    let out = text;
    const swap = async (placeholder: string, make: () => Promise<string> | string, secret = false) => {
      if (!out.includes(placeholder)) return;
      const value = await make();
      if (secret) context.avoid.push(value);
      out = out.replaceAll(placeholder, value);
    };
    const flow = async () => {
      if (!githubFlow) return NO_FLOW;
      context.flow ??= await githubFlow(hush);
      return context.flow;
    };
    await swap('{user-name}', () => USER_NAME);
    await swap('{user-password}', () => USER_PASSWORD, true);
    await swap('{fresh-refresh}', async () => (await spareLogin()).refresh_token, true);
    await swap('{fresh-access}', async () => (await spareLogin()).access_token, true);
    await swap('{github-token}', () => hush.githubToken, true);
    await swap('{github-state}', async () => (await flow()).state, true);
    await swap('{github-code}', async () => (await flow()).code, true);
    await swap('{github-cookie}', async () => (await flow()).cookie);
    await swap('{secret_id}', async () => (await freshSecret()).id);
    await swap('{*}', async () => (await freshSecret()).name);
    await swap('{request_key}', async () => (await freshRequest(context)).request_key, true);
    await swap('{respond_key}', async () => (await freshRequest(context)).respond_key, true);
    await swap('{policy_id}', freshPolicy);
    await swap('{username}', freshVictim);
    await swap('{name}', async () => (await freshMachine(context)).name);
    await swap('{accessor}', async () => (await freshSecretId(context)).accessor);
    await swap('{machine-role-id}', async () => (await freshMachine(context)).roleId);
    await swap('{machine-secret-id}', async () => (await freshSecretId(context)).secret_id, true);
    // A session of the caller's own account, never the one the fixture's token lives in.
    await swap('{session_id}', async () => {
      if (context.freshSession) return context.freshSession;
      if (context.caller === 'user') return (await login(app(), USER_NAME, USER_PASSWORD)).session_id;
      return (await login(app(), ADMIN_USERNAME, ADMIN_PASSWORD)).session_id;
    });
    return out;
  }

  async function authFor(
    choice: AuthChoice,
    garbage: string,
    context: ResolveContext,
    fresh: Record<string, unknown> = {},
  ): Promise<string | undefined> {
    const { tokens } = hush;
    switch (choice) {
      case 'admin':
        context.caller = 'admin';
        return `Bearer ${tokens.admin}`;
      case 'user':
        context.caller = 'user';
        return `Bearer ${tokens.user}`;
      case 'none':
        return undefined;
      case 'garbage':
        return garbage;
      case 'revoked':
        return `Bearer ${tokens.revoked}`;
      case 'wrong-kind':
        return `Bearer ${tokens.userRefresh}`;
      case 'tampered':
        return `Bearer ${tokens.admin.slice(0, -1)}${tokens.admin.endsWith('A') ? 'B' : 'A'}`;
      case 'fresh': {
        const issued = await spareLogin(fresh);
        // One-time (max_uses) sessions get no refresh token.
        context.avoid.push(issued.access_token, ...(issued.refresh_token ? [issued.refresh_token] : []));
        context.freshSession = issued.session_id;
        return `Bearer ${issued.access_token}`;
      }
    }
  }

  return { resolve, authFor, spareLogin };
}

/** The paths of policies `{policy_id}` made: the only ones besides the baseline that may remain. */
export const FRESH_POLICY_PATH = /^fuzz\/p\d+\/\*$/;
