import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  KvNameParams,
  KvPatchBody,
  KvReadResponse,
  KvVersionQuery,
  KvWriteBody,
  KvWrittenResponse,
} from '../../schemas/kv-schemas.js';
import { toKvRead, toKvWritten } from './kv-responses.js';

const tags = ['kv'];
const security = [{ bearer: [] }];

/** KV v2 data by secret name: read a version, write one (check-and-set), patch, soft-delete the latest. */
export function kvDataRoutes(app: TypedApp, { auth, kv }: SurfaceDeps): void {
  const reads = auth({ scope: 'secrets:read' });
  const writes = auth({ scope: 'secrets:write' });

  app.get(
    '/kv/data/*',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'Read a secret’s data: the current version, or ?version=N',
        security,
        params: KvNameParams,
        querystring: KvVersionQuery,
        response: { 200: KvReadResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { '*': name } = request.params;
      const read = await kv.read(principalOf(request), { name }, request.query.version, clientInfo(request));
      return toKvRead(read);
    },
  );

  // PUT and POST alike: the Vault CLI sends one, node-vault the other.
  for (const method of ['PUT', 'POST'] as const) {
    app.route({
      method,
      url: '/kv/data/*',
      onRequest: writes,
      schema: {
        tags,
        summary: 'Write a new version (creates the secret); cas: 0 only if new, N only onto version N',
        security,
        params: KvNameParams,
        body: KvWriteBody,
        response: { 200: KvWrittenResponse, ...errorResponses },
      },
      handler: async (request) => {
        const { data, cas, ttl_seconds, metadata } = request.body;
        const input = { data, cas, ttlSeconds: ttl_seconds, metadata };
        const written = await kv.write(principalOf(request), request.params['*'], input, clientInfo(request));
        return toKvWritten(written);
      },
    });
  }

  app.patch(
    '/kv/data/*',
    {
      onRequest: writes,
      schema: {
        tags,
        summary: 'Merge a patch into the current version as a new one (null removes a key)',
        security,
        params: KvNameParams,
        body: KvPatchBody,
        response: { 200: KvWrittenResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { data, cas } = request.body;
      const name = request.params['*'];
      return toKvWritten(await kv.patch(principalOf(request), name, data, cas, clientInfo(request)));
    },
  );

  app.delete(
    '/kv/data/*',
    {
      onRequest: writes,
      schema: {
        tags,
        summary: 'Soft-delete the current version (undelete brings it back)',
        security,
        params: KvNameParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const ref = { name: request.params['*'] };
      await kv.deleteVersions(principalOf(request), ref, 'latest', clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
