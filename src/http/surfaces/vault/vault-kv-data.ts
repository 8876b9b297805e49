import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { sendEmpty, type TypedApp } from '../../route-types.js';
import { isMergePatch } from './vault-body.js';
import { DataEnvelope, dataEnvelope, NotFoundWithData } from './vault-envelope.js';
import { doneIfAbsent, hasCode, vaultShape } from './vault-errors.js';
import { requireMergePatch, versionMeta } from './vault-kv-view.js';
import {
  KvPatchBody,
  KvReadData,
  KvReadQuery,
  KvVersionMeta,
  KvWriteBody,
  PathParams,
} from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

/**
 * KV version 2's `secret/data/<name>`: `<name>` is the hush secret's name, under the same path
 * policies, storage and audit as /api/v1/kv. Reads need `secrets:read`, the rest `secrets:write`.
 */
export function vaultKvDataRoutes(app: TypedApp, deps: VaultDeps): void {
  const { kv, auth } = deps;
  const read = auth({ scope: 'secrets:read' });
  const write = auth({ scope: 'secrets:write' });
  const params = PathParams;

  app.get(
    '/secret/data/*',
    {
      onRequest: read,
      schema: {
        summary: 'Vault KV v2 read (?version=N); a deleted or destroyed version is a 404 with its metadata',
        params,
        querystring: KvReadQuery,
        response: {
          200: DataEnvelope(KvReadData),
          404: NotFoundWithData(KvReadData),
          ...vaultShape.responses,
        },
      },
    },
    async (request, reply) => {
      const actor = principalOf(request);
      const ref = { name: request.params['*'] };
      // Vault's version 0 is the current one.
      const version = request.query.version || undefined;
      try {
        const found = await kv.read(actor, ref, version, clientInfo(request));
        return dataEnvelope(request, {
          data: { ...found.data },
          metadata: versionMeta(found.version, found.customMetadata),
        });
      } catch (error) {
        if (!hasCode(error, 'version_deleted') && !hasCode(error, 'version_destroyed')) throw error;
        // As Vault: the version's metadata, without its data (the Go client shows it as deleted).
        const meta = await kv.metadata(actor, ref);
        const state = meta.versions.find((listed) => listed.version === (version ?? meta.currentVersion));
        if (!state) throw error;
        return reply
          .code(404)
          .send(dataEnvelope(request, { data: null, metadata: versionMeta(state, meta.customMetadata) }));
      }
    },
  );

  app.route({
    method: ['POST', 'PUT'],
    url: '/secret/data/*',
    onRequest: write,
    schema: {
      summary: 'Vault KV v2 write: a new version (options.cas: 0 = only if new, N = only if N is current)',
      params,
      body: KvWriteBody,
      response: { 200: DataEnvelope(KvVersionMeta), ...vaultShape.responses },
    },
    handler: async (request) => {
      const { data, options } = request.body;
      const written = await kv.write(
        principalOf(request),
        request.params['*'],
        { data, cas: options?.cas },
        clientInfo(request),
      );
      return dataEnvelope(request, versionMeta(written.version, written.customMetadata));
    },
  });

  app.patch(
    '/secret/data/*',
    {
      onRequest: write,
      schema: {
        summary: 'Vault KV v2 patch (application/merge-patch+json; null removes a key)',
        params,
        body: KvPatchBody,
        response: { 200: DataEnvelope(KvVersionMeta), ...vaultShape.responses },
      },
    },
    async (request) => {
      requireMergePatch(isMergePatch(request.headers['content-type']));
      const { data, options } = request.body;
      const written = await kv.patch(
        principalOf(request),
        request.params['*'],
        data,
        options?.cas,
        clientInfo(request),
      );
      return dataEnvelope(request, versionMeta(written.version, written.customMetadata));
    },
  );

  app.delete(
    '/secret/data/*',
    {
      onRequest: write,
      schema: {
        summary: 'Vault KV v2 delete: soft-deletes the current version',
        params,
        response: vaultShape.responses,
      },
    },
    async (request, reply) => {
      const ref = { name: request.params['*'] };
      await doneIfAbsent(kv.deleteVersions(principalOf(request), ref, 'latest', clientInfo(request)));
      return sendEmpty(reply, 204);
    },
  );
}
