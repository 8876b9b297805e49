import type { Operation } from './openapi-routes.js';
import { USER_NAME, USER_PASSWORD } from './store-placeholders.js';

/**
 * Regression for U+0000 reaching PostgreSQL text columns (a 500 there, see reject-nul.ts): for
 * every route of the OpenAPI document, a NUL in each path parameter, query parameter and body
 * field of an otherwise valid request. The valid bodies are listed here per route, and the sweep
 * fails for a body route without one, so a new route cannot slip past it.
 */

/** Otherwise valid bodies, as the admin sends them; `{…}` placeholders as in store-placeholders.ts. */
export const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/token/create': {
    grant_type: 'password',
    username: USER_NAME,
    password: USER_PASSWORD,
    scope: 'secrets:read',
    client_id: 'nul-sweep',
    bound_cidrs: '127.0.0.0/8',
  },
  'POST /api/v1/token/renew': { refresh_token: '{fresh-refresh}', client_id: 'nul-sweep' },
  'POST /api/v1/token/revoke': { token: '{fresh-access}', token_type_hint: 'access_token' },
  'POST /api/v1/users/create': {
    username: 'nul-sweep',
    email: 'nul@example.com',
    role: 'user',
    password: 'nul sweep password 0123',
  },
  'POST /api/v1/sys/policies': {
    subject_type: 'user',
    subject: USER_NAME,
    path: 'fuzz/nul/*',
    capabilities: ['read'],
  },
  'POST /api/v1/secrets/create': { name: 'fuzz/nul/sweep', value: 'v', metadata: { k: 'v' } },
  'POST /api/v1/secrets/{secret_id}/update': { value: 'v', metadata: { k: 'v' } },
  'PUT /api/v1/kv/data/{*}': { data: { k: 'v' }, metadata: { k: 'v' } },
  'POST /api/v1/kv/data/{*}': { data: { k: 'v' }, metadata: { k: 'v' } },
  'PATCH /api/v1/kv/data/{*}': { data: { k: 'v' } },
  'POST /api/v1/kv/delete/{*}': { versions: [1] },
  'POST /api/v1/kv/undelete/{*}': { versions: [1] },
  'POST /api/v1/kv/destroy/{*}': { versions: [1] },
  'POST /api/v1/kv/metadata/{*}': { custom_metadata: { k: 'v' } },
  'PATCH /api/v1/kv/metadata/{*}': { custom_metadata: { k: 'v' } },
  'POST /api/v1/sys/setting': { key: 'secrets.max_versions', value: 10 },
  'POST /api/v1/auth/github/exchange': { github_token: 'gho_nul_sweep' },
  'POST /api/v1/machines': {
    name: 'nul-sweep',
    role: 'user',
    token_bound_cidrs: ['10.0.0.0/8'],
    policies: [{ path: 'fuzz/nul/*', capabilities: ['read'] }],
  },
  'POST /api/v1/machines/{name}': { role: 'user', secret_id_bound_cidrs: ['10.0.0.0/8'] },
  'POST /api/v1/machines/{name}/secret-ids': { ttl_seconds: 60, cidrs: ['10.0.0.0/8'], metadata: { k: 'v' } },
  'POST /api/v1/requests': { note: 'a note', ttl_seconds: 3600 },
  // The server checks only an answer's shape (it cannot read one): any base64url of the right length.
  'POST /api/v1/requests/respond/{respond_key}': { answer: `hr1.${'A'.repeat(128)}` },
  'POST /api/v1/machines/login': { role_id: '{machine-role-id}', secret_id: '{machine-secret-id}' },
  'POST /api/v1/uploads': { bytes: 10 },
  // A public address literal: registration checks it without DNS.
  'POST /api/v1/webhooks': { url: 'https://1.1.1.1/hook', events: ['share.viewed'] },
};

/** Fields whose text is encrypted or hashed, never stored as text: a NUL there may be accepted (KV data's values). */
const OPAQUE = ['value', 'data', 'password'];

export interface NulCase {
  readonly where: string;
  readonly url: string;
  readonly payload?: string;
  readonly type?: string;
  /** True when the request must be refused (400); otherwise only: no 5xx. */
  readonly refused: boolean;
}

const NUL = 'a\u0000b';
const REAL_VALUES: Record<string, string> = { version: '1', setting_key: 'secrets.max_versions' };

/** The NUL cases of one route; `{name}` stands for a real id the fixture makes. */
export function nulCases(op: Operation): NulCase[] {
  const key = `${op.method} ${op.path}`;
  const fill = (nulParam?: string) =>
    op.pathParams.reduce((path, name) => {
      const value = name === nulParam ? 'a%00b' : (REAL_VALUES[name] ?? `{${name}}`);
      return path.replace(`{${name}}`, value);
    }, op.path);
  const base = VALID_BODIES[key];
  const body = base === undefined ? undefined : JSON.stringify(base);
  const json = body === undefined ? {} : { payload: body, type: 'application/json' };
  const cases: NulCase[] = [];
  for (const name of op.pathParams) {
    cases.push({ where: `${key} path ${name}`, url: fill(name), ...json, refused: true });
  }
  for (const { name } of op.query) {
    cases.push({ where: `${key} query ${name}`, url: `${fill()}?${name}=a%00b`, ...json, refused: true });
  }
  if (base === undefined) return cases;
  for (const field of Object.keys(base)) {
    const opaque = OPAQUE.includes(field);
    const value = base[field];
    const variants =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? [{ [NUL]: 'v' }, { k: NUL }]
        : Array.isArray(value)
          ? [[NUL]]
          : [NUL];
    for (const variant of variants) {
      const payload = JSON.stringify({ ...base, [field]: variant });
      cases.push({
        where: `${key} body ${field}`,
        url: fill(),
        payload,
        type: 'application/json',
        refused: !opaque,
      });
    }
    if (op.bodyTypes.includes('application/x-www-form-urlencoded') && typeof value === 'string') {
      const form = new URLSearchParams(
        Object.entries({ ...base, [field]: NUL }).map(([k, v]): [string, string] => [k, String(v)]),
      );
      cases.push({
        where: `${key} form ${field}`,
        url: fill(),
        payload: form.toString().replace(/%7B([a-z-]+)%7D/g, '{$1}'),
        type: 'application/x-www-form-urlencoded',
        refused: !opaque,
      });
    }
  }
  return cases;
}
