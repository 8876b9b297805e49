import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HushError } from '../../../errors/hush-error.js';
import type { KvSettingsChange } from '../../../secrets/kv-types.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { sendEmpty, type TypedApp } from '../../route-types.js';
import { isMergePatch } from './vault-body.js';
import { optionalDuration } from './vault-duration.js';
import { DataEnvelope, dataEnvelope } from './vault-envelope.js';
import { doneIfAbsent, sendVaultNotFound, vaultShape } from './vault-errors.js';
import { queryFlag } from './vault-fields.js';
import { metadataData, requireMergePatch } from './vault-kv-view.js';
import { KeysData, KvMetadataBody, KvMetadataData, ListQuery, PathParams } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

type Labels = Readonly<Record<string, string | null>>;

/** A folder as KvService.list takes it: '' for the top, else ending in '/'. */
const folderOf = (path: string) => (path === '' || path.endsWith('/') ? path : `${path}/`);

/** A write's replacement labels; null is meaningful only in a patch. */
function replacement(labels: Labels): Record<string, string> {
  if (Object.values(labels).some((value) => value === null)) {
    throw new HushError(
      'bad_request',
      'custom_metadata values must be strings (null removes a key only in a PATCH).',
    );
  }
  return labels as Record<string, string>;
}

/**
 * KV v2's `secret/metadata/<name>`: the secret's versions and settings, and listing a folder with
 * GET `?list=true` (Vault's LIST method, which Node's HTTP parser refuses). Reads and lists need
 * `secrets:read`, changes `secrets:write`; a folder with nothing the caller may list is a 404.
 */
export function vaultKvMetadataRoutes(app: TypedApp, deps: VaultDeps): void {
  const { kv, auth } = deps;
  const read = auth({ scope: 'secrets:read' });
  const write = auth({ scope: 'secrets:write' });

  const readOrList = async (
    request: FastifyRequest & { query: { list?: string | undefined } },
    reply: FastifyReply,
    path: string,
  ) => {
    const actor = principalOf(request);
    if (queryFlag(request.query.list, 'list')) {
      const keys = await kv.list(actor, folderOf(path));
      if (keys.length === 0) return sendVaultNotFound(reply);
      return dataEnvelope(request, { keys: [...keys] });
    }
    if (path === '') return sendVaultNotFound(reply);
    return dataEnvelope(request, metadataData(await kv.metadata(actor, { name: path })));
  };
  const readSchema = {
    summary: 'Vault KV v2 metadata read, or the keys of a folder with ?list=true',
    querystring: ListQuery,
    response: { 200: DataEnvelope(Type.Union([KvMetadataData, KeysData])), ...vaultShape.responses },
  };

  app.get(
    '/secret/metadata/*',
    { onRequest: read, schema: { ...readSchema, params: PathParams } },
    (request, reply) => readOrList(request, reply, request.params['*']),
  );
  // `vault kv list secret/` asks for the mount's top folder without a trailing slash.
  app.get('/secret/metadata', { onRequest: read, schema: readSchema }, (request, reply) =>
    readOrList(request, reply, ''),
  );

  app.route({
    method: ['POST', 'PUT', 'PATCH'],
    url: '/secret/metadata/*',
    onRequest: write,
    schema: {
      summary: 'Vault KV v2 metadata write (PATCH merges custom_metadata)',
      params: PathParams,
      body: KvMetadataBody,
      response: vaultShape.responses,
    },
    handler: async (request, reply) => {
      const actor = principalOf(request);
      const ref = { name: request.params['*'] };
      const body = request.body;
      const patching = request.method === 'PATCH';
      if (patching) requireMergePatch(isMergePatch(request.headers['content-type']));
      const settings: { -readonly [K in keyof KvSettingsChange]?: KvSettingsChange[K] } = {};
      if (body.max_versions !== undefined) settings.maxVersions = body.max_versions;
      if (body.cas_required !== undefined) settings.casRequired = body.cas_required;
      const after = optionalDuration(body.delete_version_after, 'delete_version_after');
      if (after !== undefined) settings.deleteVersionAfterSeconds = after;
      // A patch merges into the labels as stored, in the store's write step: none is lost.
      if (body.custom_metadata !== undefined && patching) settings.customMetadataPatch = body.custom_metadata;
      if (body.custom_metadata !== undefined && !patching) {
        settings.customMetadata = replacement(body.custom_metadata);
      }
      await kv.setMetadata(actor, ref, settings, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  });

  app.delete(
    '/secret/metadata/*',
    {
      onRequest: write,
      schema: {
        summary: 'Vault KV v2 metadata delete: the secret and every version',
        params: PathParams,
        response: vaultShape.responses,
      },
    },
    async (request, reply) => {
      const ref = { name: request.params['*'] };
      await doneIfAbsent(kv.deleteAll(principalOf(request), ref, clientInfo(request)));
      return sendEmpty(reply, 204);
    },
  );
}
