import fc from 'fast-check';
import type { InjectResponse } from './support.js';

/**
 * The routes to fuzz, read from the app's own OpenAPI document: a route added later is fuzzed
 * without anyone listing it here. Only the routes other fuzz files already cover are left out.
 */

/** A JSON schema as the OpenAPI document carries it (TypeBox output). */
export type JsonSchema = Record<string, unknown>;

export interface Operation {
  readonly method: string;
  /** The path template, e.g. `/api/v1/secrets/{secret_id}`; `{*}` is a wildcard tail. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly query: readonly { readonly name: string; readonly schema: JsonSchema }[];
  /** The JSON schema of the body, if the route takes one. */
  readonly body: JsonSchema | undefined;
  readonly bodyTypes: readonly string[];
  readonly secured: boolean;
}

/** Fuzzed by bodies/content-types/paths-and-headers/events-query; the share side of hush. */
const COVERED_ELSEWHERE = [
  /^\/api\/v1\/shares\b/,
  /^\/api\/v1\/receipts\//,
  /^\/api\/v1\/events$/,
  /^\/api\/secret\b/,
  /^\/api\/event$/,
  /^\/generate$/,
  /^\/secrets\//,
  /^\/(healthz|readyz|metrics)$/,
];

interface OpenApiParameter {
  readonly in: string;
  readonly name: string;
  readonly schema?: JsonSchema;
}
interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content: Record<string, { readonly schema?: JsonSchema }> };
  readonly security?: readonly unknown[];
}

export function operationsOf(openapi: InjectResponse): Operation[] {
  const doc = JSON.parse(openapi.body) as { paths: Record<string, Record<string, OpenApiOperation>> };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (COVERED_ELSEWHERE.some((pattern) => pattern.test(path))) continue;
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const operation: Operation = {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: Object.values(content)[0]?.schema,
        bodyTypes: Object.keys(content),
        secured: (op.security ?? []).length > 0,
      };
      // Counterexamples name the route instead of printing its whole schema.
      Object.defineProperty(operation, fc.toStringMethod, { value: () => describeOperation(operation) });
      operations.push(operation);
    }
  }
  return operations;
}

export const describeOperation = (op: Operation) => `${op.method} ${op.path}`;

/** The operations the brief names (seed 003): the derived list must hold at least these. */
export const REQUIRED_OPERATIONS = [
  'POST /api/v1/token/create',
  'POST /api/v1/token/renew',
  'POST /api/v1/token/revoke',
  'GET /api/v1/token/lookup-self',
  'GET /api/v1/token/sessions',
  'POST /api/v1/token/sessions/{session_id}/revoke',
  'POST /api/v1/users/create',
  'POST /api/v1/users/{username}/delete',
  'GET /api/v1/users',
  'GET /api/v1/users/{username}',
  'POST /api/v1/secrets/create',
  'GET /api/v1/secrets/{secret_id}',
  'GET /api/v1/secrets',
  'GET /api/v1/secrets/by-name/{*}',
  'POST /api/v1/secrets/{secret_id}/update',
  'POST /api/v1/secrets/{secret_id}/delete',
  'DELETE /api/v1/secrets/{secret_id}',
  'GET /api/v1/secrets/{secret_id}/versions',
  'GET /api/v1/secrets/{secret_id}/versions/{version}',
  'POST /api/v1/sys/policies',
  'GET /api/v1/sys/policies',
  'POST /api/v1/sys/policies/{policy_id}/delete',
  'DELETE /api/v1/sys/policies/{policy_id}',
  'GET /api/v1/sys/settings',
  'POST /api/v1/sys/setting',
  'GET /api/v1/sys/setting/{setting_key}',
  'POST /api/v1/sys/setting/{setting_key}/reset',
  'GET /api/v1/auth/github/login',
  'GET /api/v1/auth/github/callback',
  'POST /api/v1/auth/github/exchange',
];
