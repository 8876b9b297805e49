import { afterAll, beforeAll, expect } from 'vitest';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  type HushFixture,
  json,
  login,
  makeHush,
} from '../helpers/hush-fixture.js';
import type { FuzzHush } from './fixture.js';
import { type Operation, operationsOf } from './openapi-routes.js';
import {
  createPlaceholders,
  SPARE_NAME,
  SPARE_PASSWORD,
  USER_NAME,
  USER_PASSWORD,
} from './store-placeholders.js';
import type { InjectResponse } from './support.js';

/**
 * One hush per backend for the secret-store fuzz: the bootstrap admin, a user account with a
 * policy on `fuzz/**`, a spare admin whose tokens the fuzzer may spend, the route list from the
 * OpenAPI document, and `undo` for what a request changed that later ones rely on.
 */

export { USER_NAME, USER_PASSWORD } from './store-placeholders.js';
/** Accounts the fuzzer must not delete: its own callers. */
export const PROTECTED_USERS = [ADMIN_USERNAME, USER_NAME, SPARE_NAME];
/** The policy every run starts with: the user role may do anything under `fuzz/`. */
export const BASELINE_POLICY = {
  subject_type: 'role',
  subject: 'user',
  path: 'fuzz/**',
  capabilities: ['read', 'list', 'create', 'update', 'delete'],
};

export type AuthChoice =
  | 'admin'
  | 'user'
  | 'none'
  | 'garbage'
  | 'revoked'
  | 'wrong-kind'
  | 'tampered'
  | 'fresh';

/** A started GitHub web flow: the state, its browser cookie, and the code GitHub sent back. */
export interface GithubFlow {
  readonly state: string;
  readonly code: string;
  readonly cookie: string;
}

export interface ResolveContext {
  readonly avoid: string[];
  /** The GitHub flow this request's placeholders share, once one was started. */
  flow?: GithubFlow;
  /** The caller's account, for `{session_id}`: a fresh session of that same account. */
  caller?: 'admin' | 'user';
  /** Set by authFor('fresh'): the session it signed in. */
  freshSession?: string;
  /** The machine identity `{name}` made, which `{accessor}` and the sign-in placeholders share. */
  machine?: { readonly name: string; readonly roleId: string };
  /** The secret request `{request_key}` and `{respond_key}` share. */
  request?: { readonly request_key: string; readonly respond_key: string };
}

export interface StoreHush extends FuzzHush {
  readonly operations: Operation[];
  /** The fixture's long-lived tokens and passwords: never in any response body. */
  readonly never: string[];
  readonly tokens: { admin: string; user: string; userRefresh: string; revoked: string };
  /** Resolves the placeholders in a text (see store-placeholders.ts). */
  resolve(text: string, context: ResolveContext): Promise<string>;
  /** The Authorization header for a choice (undefined: none). */
  authFor(
    choice: AuthChoice,
    garbage: string,
    context: ResolveContext,
    fresh?: Record<string, unknown>,
  ): Promise<string | undefined>;
  /** Puts back what a successful request changed: a setting is reset, a new policy deleted. */
  undo(method: string, url: string, res: InjectResponse): Promise<void>;
  /** A GitHub token of an account the role mapping admits (a dud while GitHub is not configured). */
  githubToken: string;
}

export interface StoreHushOptions {
  /** Runs a real web flow against the fake GitHub (for `{github-*}` placeholders). */
  readonly githubFlow?: (hush: StoreHush) => Promise<GithubFlow>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function useStoreHush(
  env: () => Promise<Record<string, string>>,
  options: StoreHushOptions = {},
): StoreHush {
  const ctx = { never: [], githubToken: 'gho_not_a_real_token_at_all' } as unknown as Mutable<StoreHush>;
  const placeholders = createPlaceholders({ hush: ctx, githubFlow: options.githubFlow });
  ctx.resolve = placeholders.resolve;
  ctx.authFor = placeholders.authFor;
  const admin = () => ({ authorization: `Bearer ${ctx.tokens.admin}` });

  ctx.undo = async (method, url, res) => {
    if (res.statusCode >= 300 || method !== 'POST') return;
    const path = url.split('?')[0];
    if (path === '/api/v1/sys/setting') {
      const { key } = json<{ key: string }>(res);
      const reset = await ctx.inject({
        method: 'POST',
        url: `/api/v1/sys/setting/${encodeURIComponent(key)}/reset`,
        headers: admin(),
      });
      expect(reset.statusCode, reset.body).toBe(200);
    } else if (path === '/api/v1/machines') {
      // A machine made by the fuzzer takes its policies with it.
      const { name } = json<{ name: string }>(res);
      const removed = await ctx.inject({
        method: 'DELETE',
        url: `/api/v1/machines/${name}`,
        headers: admin(),
      });
      expect(removed.statusCode, removed.body).toBe(204);
    } else if (path === '/api/v1/sys/policies') {
      const { id } = json<{ id: string }>(res);
      const removed = await ctx.inject({
        method: 'DELETE',
        url: `/api/v1/sys/policies/${id}`,
        headers: admin(),
      });
      expect(removed.statusCode, removed.body).toBe(204);
    }
  };

  beforeAll(async () => {
    // A trusted proxy: the fuzzer's X-Forwarded-For becomes the client address (IP binding, audit).
    const f: HushFixture = await makeHush({
      HUSH_RATE_LIMIT_MAX: '0',
      HUSH_TRUST_PROXY: 'true',
      ...(await env()),
    });
    ctx.f = f;
    ctx.inject = f.hush.app.inject.bind(f.hush.app);
    ctx.operations = operationsOf(await ctx.inject({ method: 'GET', url: '/api/openapi.json' }));
    await f.hush.users.create({ username: USER_NAME, role: 'user', password: USER_PASSWORD });
    await f.hush.users.create({ username: SPARE_NAME, role: 'admin', password: SPARE_PASSWORD });
    const user = await login(f.hush.app, USER_NAME, USER_PASSWORD);
    const revoked = await placeholders.spareLogin();
    await f.hush.tokens.revoke(revoked.access_token, { ip: '127.0.0.1', userAgent: 'fuzz' });
    const adminToken = f.adminAuth.authorization.slice('Bearer '.length);
    ctx.tokens = {
      admin: adminToken,
      user: user.access_token,
      userRefresh: user.refresh_token,
      revoked: revoked.access_token,
    };
    ctx.never.push(...Object.values(ctx.tokens), ADMIN_PASSWORD, USER_PASSWORD, SPARE_PASSWORD);
    const policy = await ctx.inject({
      method: 'POST',
      url: '/api/v1/sys/policies',
      headers: admin(),
      payload: BASELINE_POLICY,
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => {
    await ctx.f?.close();
  });
  return ctx;
}
