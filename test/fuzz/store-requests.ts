import fc from 'fast-check';
import { SETTING_DEFINITIONS, SETTING_KEYS } from '../../src/settings/setting-definitions.js';
import { anyJsonText, headerText, pathText, shapedBody } from './arbitraries.js';
import { stringFor } from './field-arbitraries.js';
import type { Operation } from './openapi-routes.js';
import { formFor, jsonFor, queryFor } from './schema-arbitraries.js';
import type { AuthChoice } from './store-fixture.js';
import { encodeSegment, METHODS } from './support.js';

/**
 * One fuzzed request to a route of the OpenAPI document: who calls, the path parameters, the
 * query and the body, with placeholders for real ids and credentials; `sendRequest`
 * (store-send.ts) resolves them, sends it and checks the invariants.
 */

export interface StoreRequest {
  readonly op: Operation;
  /** Mostly the route's own method; now and then any other. */
  readonly method: string;
  /** X-Forwarded-For (the fuzz hush trusts its proxy, so this is the client address). */
  readonly forwardedFor: string | undefined;
  readonly auth: AuthChoice;
  readonly garbage: string;
  readonly params: readonly string[];
  readonly query: string;
  readonly body: { readonly type?: string; readonly payload?: string };
  /** Token options of a `fresh` caller's sign-in: one-time, narrow scope, bound elsewhere… */
  readonly fresh: Record<string, unknown>;
  /** A Cookie header (the GitHub routes read their state cookie). */
  readonly cookie: string | undefined;
}

const FORM = 'application/x-www-form-urlencoded';
/** Path parameters the fixture can fill with a real id made just now (`{name}` placeholders). */
const REAL = ['secret_id', '*', 'policy_id', 'username', 'session_id', 'name', 'accessor'];

export const authChoice: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('admin' as const) },
  { weight: 5, arbitrary: fc.constant('user' as const) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'none',
      'garbage',
      'revoked',
      'wrong-kind',
      'tampered',
    ) as fc.Arbitrary<AuthChoice>,
  },
  { weight: 1, arbitrary: fc.constant('fresh' as const) },
);

const garbageAuth = fc.oneof(
  headerText(120),
  headerText(40).map((t) => `Bearer ${t}`),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((t) => `Bearer hush_at_${t}`),
  fc.constantFrom(
    'Bearer',
    'Bearer hush_at_',
    'Bearer hush_rt_x',
    `Bearer ${'A'.repeat(8_000)}`,
    'Basic YWRtaW46eA==',
  ),
);

const forwardedFor = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('10.1.2.3', '127.0.0.1, 10.0.0.1', '::1', '::ffff:10.0.0.1', 'fe80::1%eth0'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('garbage', '999.1.1.1', '', ', ,', 'unknown', '1.2.3.4:80', '[::1]:80'),
  },
  { weight: 1, arbitrary: headerText(40) },
);

/** The spare admin signs in with these (inject's client address is 127.0.0.1). */
const freshOptions = fc.constantFrom<Record<string, unknown>>(
  {},
  { max_uses: 1 },
  { max_uses: 2, ttl_seconds: 60 },
  { scope: 'secrets:read' },
  { scope: 'secrets:write' },
  { scope: 'admin' },
  { bound_cidrs: '10.0.0.0/8' },
  { bound_cidrs: '127.0.0.0/8, ::1/128' },
  { bind_ip: true },
);

const githubCookie = fc.oneof(
  { weight: 4, arbitrary: fc.constant('{github-cookie}') },
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((t) => `hush_github_state=${t}`),
      fc.constantFrom(
        'hush_github_state=',
        'hush_github_state',
        '=;=;',
        'a=b; hush_github_state=x=y; hush_github_state=z',
      ),
      headerText(100),
    ),
  },
);

const fuzzSegment = fc
  .record({ text: pathText, encode: fc.boolean() })
  .map(({ text, encode }) => (encode ? encodeSegment(text) : text));

function paramFor(name: string): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [{ weight: 4, arbitrary: fuzzSegment }];
  if (REAL.includes(name)) options.push({ weight: 4, arbitrary: fc.constant(`{${name}}`) });
  if (name === 'version')
    options.push({
      weight: 4,
      arbitrary: fc.constantFrom('1', '2', '0', '-1', '01', '1.0', '2147483647', '2147483648', '1e400'),
    });
  if (name === 'setting_key') options.push({ weight: 4, arbitrary: fc.constantFrom(...SETTING_KEYS) });
  if (name === 'username')
    options.push({
      weight: 2,
      arbitrary: fc.constantFrom('admin', 'fuzz-user', 'ADMIN', 'ａｄｍｉｎ', 'nobody-here'),
    });
  if (name === '*') options.push({ weight: 2, arbitrary: stringFor({}) });
  return fc.oneof(...options);
}

/** A setting change whose value is drawn from that key's own schema: most get past validation. */
const settingBody = fc.oneof(
  ...SETTING_KEYS.map((key) =>
    jsonFor(SETTING_DEFINITIONS[key].schema as unknown as Record<string, unknown>, 'value', 1, 'near').map(
      (value) => `{"key":${JSON.stringify(key)},"value":${value}}`,
    ),
  ),
);

function bodyFor(op: Operation, shaped: boolean): fc.Arbitrary<StoreRequest['body']> {
  const json = (payload: fc.Arbitrary<string>) =>
    payload.map((p) => ({ type: 'application/json', payload: p }));
  if (!op.body) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: json(anyJsonText.filter((t) => t !== '')) },
    );
  }
  const takesForm = op.bodyTypes.includes(FORM);
  if (shaped) {
    const near = json(op.path === '/api/v1/sys/setting' ? settingBody : jsonFor(op.body, '', 0, 'near'));
    return takesForm
      ? fc.oneof(
          near,
          formFor(op.body, 'near').map((p) => ({ type: FORM, payload: p })),
        )
      : near;
  }
  const form = fc
    .tuple(
      formFor(op.body),
      fc.constantFrom(FORM, FORM, FORM, `${FORM}; charset=utf-8`, `${FORM}; charset=latin1`),
    )
    .map(([p, type]) => ({ type, payload: p }));
  return fc.oneof(
    { weight: 4, arbitrary: json(jsonFor(op.body)) },
    { weight: 2, arbitrary: json(fc.oneof(anyJsonText, shapedBody)) },
    { weight: takesForm ? 3 : 1, arbitrary: form },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((p) => ({ type: 'text/plain', payload: p })) },
  );
}

/** Requests over `ops`; `shaped` keeps to well-typed bodies from the route's schema. */
export function storeRequest(ops: readonly Operation[], shaped = false): fc.Arbitrary<StoreRequest> {
  // One arbitrary per route, built once: building them per sample would dominate the run.
  const perRoute = ops.map((op) =>
    fc.record({
      op: fc.constant(op),
      method: fc.oneof(
        { weight: 15, arbitrary: fc.constant(op.method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      forwardedFor,
      auth: authChoice,
      garbage: garbageAuth,
      params: fc.tuple(...op.pathParams.map(paramFor)),
      query: queryFor(op.query, shaped ? 'near' : 'wild'),
      body: bodyFor(op, shaped),
      fresh: freshOptions,
      cookie: op.path.startsWith('/api/v1/auth/github') ? githubCookie : fc.constant(undefined),
    }),
  );
  return fc.oneof(...perRoute);
}
