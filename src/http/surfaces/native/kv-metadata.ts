import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  KvListResponse,
  KvMetadataBody,
  KvMetadataResponse,
  KvNameParams,
} from '../../schemas/kv-schemas.js';
import { toKvMetadata } from './kv-responses.js';

const tags = ['kv'];
const security = [{ bearer: [] }];

/** KV v2 metadata by secret name (settings and versions, never content), erasing all, and folder lists. */
export function kvMetadataRoutes(app: TypedApp, { auth, kv }: SurfaceDeps): void {
  const reads = auth({ scope: 'secrets:read' });
  const writes = auth({ scope: 'secrets:write' });

  app.get(
    '/kv/metadata/*',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'A secret’s settings and versions (oldest first), never content',
        security,
        params: KvNameParams,
        response: { 200: KvMetadataResponse, ...errorResponses },
      },
    },
    async (request) => toKvMetadata(await kv.metadata(principalOf(request), { name: request.params['*'] })),
  );

  // POST and PATCH alike: both change only the settings given.
  for (const method of ['POST', 'PATCH'] as const) {
    app.route({
      method,
      url: '/kv/metadata/*',
      onRequest: writes,
      schema: {
        tags,
        summary: 'Change a secret’s settings (creates a secret of settings only when there is none)',
        security,
        params: KvNameParams,
        body: KvMetadataBody,
        response: { 200: KvMetadataResponse, ...errorResponses },
      },
      handler: async (request) => {
        const { max_versions, cas_required, delete_version_after_seconds, custom_metadata } = request.body;
        const settings = {
          ...(max_versions === undefined ? {} : { maxVersions: max_versions }),
          ...(cas_required === undefined ? {} : { casRequired: cas_required }),
          ...(delete_version_after_seconds === undefined
            ? {}
            : { deleteVersionAfterSeconds: delete_version_after_seconds }),
          ...(custom_metadata === undefined ? {} : { customMetadata: custom_metadata }),
        };
        const ref = { name: request.params['*'] };
        return toKvMetadata(await kv.setMetadata(principalOf(request), ref, settings, clientInfo(request)));
      },
    });
  }

  app.delete(
    '/kv/metadata/*',
    {
      onRequest: writes,
      schema: {
        tags,
        summary: 'Erase the secret: every version and its settings',
        security,
        params: KvNameParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await kv.deleteAll(principalOf(request), { name: request.params['*'] }, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );

  app.get(
    '/kv/list/*',
    {
      onRequest: reads,
      schema: {
        tags,
        summary: 'One folder level: names and sub-folders ("db", "billing/") you may list',
        security,
        params: KvNameParams,
        response: { 200: KvListResponse, ...errorResponses },
      },
    },
    async (request) => ({ keys: [...(await kv.list(principalOf(request), request.params['*']))] }),
  );
}
