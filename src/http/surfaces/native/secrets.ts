import type { SecretSummary, SecretValue } from '../../../secrets/secret-types.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  CreateSecretBody,
  SecretIdParams,
  SecretNameParams,
  SecretResponse,
  SecretsQuery,
  SecretsResponse,
  SecretVersionParams,
  SecretVersionsResponse,
  UpdateSecretBody,
  VersionQuery,
  WrittenSecretResponse,
} from '../../schemas/secret-schemas.js';

const tags = ['secrets'];
const security = [{ bearer: [] }];

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

function toSummary(secret: SecretSummary) {
  return {
    id: secret.id,
    name: secret.name,
    version: secret.version,
    created_at: secret.createdAt.toISOString(),
    updated_at: secret.updatedAt.toISOString(),
    expires_at: iso(secret.expiresAt),
  };
}

const toWritten = (secret: SecretSummary) => ({
  id: secret.id,
  name: secret.name,
  version: secret.version,
  created_at: secret.createdAt.toISOString(),
  expires_at: iso(secret.expiresAt),
});

const toValue = (secret: SecretValue) => ({
  ...toSummary(secret),
  value: secret.value ?? null,
  data: secret.data,
  metadata: secret.metadata,
});

/** The secret store. Reads need the `secrets:read` scope, writes `secrets:write`; policies decide the rest. */
export function secretRoutes(app: TypedApp, { auth, secrets }: SurfaceDeps): void {
  const reads = auth({ scope: 'secrets:read' });
  const writes = auth({ scope: 'secrets:write' });

  app.post(
    '/secrets/create',
    {
      onRequest: writes,
      schema: {
        tags,
        summary: 'Store a new secret under a path name (version 1)',
        security,
        body: CreateSecretBody,
        response: { 201: WrittenSecretResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, value, data, metadata, cas, ttl_seconds } = request.body;
      const created = await secrets.create(
        principalOf(request),
        { name, value, data, metadata, cas, ttlSeconds: ttl_seconds ?? undefined },
        clientInfo(request),
      );
      return reply.code(201).send(toWritten(created));
    },
  );

  app.get(
    '/secrets',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'List secrets (no values) whose names start with a prefix, in name order',
        security,
        querystring: SecretsQuery,
        response: { 200: SecretsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { prefix, page, page_size } = request.query;
      const listed = await secrets.list(principalOf(request), { prefix, page, pageSize: page_size });
      return { total: listed.total, page, page_size, secrets: listed.secrets.map(toSummary) };
    },
  );

  app.get(
    '/secrets/by-name/*',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'Read a secret by its name (current version, or ?version=N)',
        security,
        params: SecretNameParams,
        querystring: VersionQuery,
        response: { 200: SecretResponse, ...errorResponses },
      },
    },
    async (request) =>
      toValue(
        await secrets.getByName(
          principalOf(request),
          request.params['*'],
          request.query.version,
          clientInfo(request),
        ),
      ),
  );

  app.get(
    '/secrets/:secret_id',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'Read a secret (current version, or ?version=N)',
        security,
        params: SecretIdParams,
        querystring: VersionQuery,
        response: { 200: SecretResponse, ...errorResponses },
      },
    },
    async (request) =>
      toValue(
        await secrets.get(
          principalOf(request),
          request.params.secret_id,
          request.query.version,
          clientInfo(request),
        ),
      ),
  );

  app.post(
    '/secrets/:secret_id/update',
    {
      onRequest: writes,
      schema: {
        tags,
        summary: 'Write a new version of a secret',
        security,
        params: SecretIdParams,
        body: UpdateSecretBody,
        response: { 200: WrittenSecretResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { value, data, metadata, cas, ttl_seconds } = request.body;
      const updated = await secrets.update(
        principalOf(request),
        request.params.secret_id,
        { value, data, metadata, cas, ttlSeconds: ttl_seconds ?? undefined },
        clientInfo(request),
      );
      return toWritten(updated);
    },
  );

  // POST …/delete for clients that cannot send DELETE; both erase every version and answer 204.
  for (const [method, url] of [
    ['POST', '/secrets/:secret_id/delete'],
    ['DELETE', '/secrets/:secret_id'],
  ] as const) {
    app.route({
      method,
      url,
      onRequest: writes,
      schema: {
        tags,
        summary: 'Delete a secret and every version',
        security,
        params: SecretIdParams,
        response: { ...errorResponses },
      },
      handler: async (request, reply) => {
        await secrets.delete(principalOf(request), request.params.secret_id, clientInfo(request));
        return sendEmpty(reply, 204);
      },
    });
  }

  app.get(
    '/secrets/:secret_id/versions',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'List the versions a secret keeps, oldest first',
        security,
        params: SecretIdParams,
        response: { 200: SecretVersionsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const versions = await secrets.versions(principalOf(request), request.params.secret_id);
      return {
        versions: versions.map((v) => ({
          version: v.version,
          created_at: v.createdAt.toISOString(),
          key_version: v.keyVersion,
        })),
      };
    },
  );

  app.get(
    '/secrets/:secret_id/versions/:version',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'Read one version of a secret',
        security,
        params: SecretVersionParams,
        response: { 200: SecretResponse, ...errorResponses },
      },
    },
    async (request) =>
      toValue(
        await secrets.get(
          principalOf(request),
          request.params.secret_id,
          request.params.version,
          clientInfo(request),
        ),
      ),
  );
}
