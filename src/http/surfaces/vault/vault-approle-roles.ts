import { type Static, Type } from 'typebox';
import type { Machine, MachineAuthor, MachineInput } from '../../../auth/machine-types.js';
import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { defaultEmptyBody, sendEmpty, type TypedApp } from '../../route-types.js';
import { optionalDuration } from './vault-duration.js';
import { DataEnvelope, dataEnvelope } from './vault-envelope.js';
import { hasCode, sendVaultNotFound, vaultShape } from './vault-errors.js';
import { labels, queryFlag, textList } from './vault-fields.js';
import { AccessorBody, KeysData, ListQuery, RoleBody, RoleParams, SecretIdBody } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

const Role = Type.Object({
  bind_secret_id: Type.Boolean(),
  local_secret_ids: Type.Boolean(),
  secret_id_bound_cidrs: Type.Array(Type.String()),
  secret_id_num_uses: Type.Integer(),
  secret_id_ttl: Type.Integer(),
  token_bound_cidrs: Type.Array(Type.String()),
  token_explicit_max_ttl: Type.Integer(),
  token_max_ttl: Type.Integer(),
  token_no_default_policy: Type.Boolean(),
  token_num_uses: Type.Integer(),
  token_period: Type.Integer(),
  token_policies: Type.Array(Type.String()),
  token_strictly_bind_ip: Type.Boolean(),
  token_ttl: Type.Integer(),
  token_type: Type.String(),
});
const IssuedSecretId = Type.Object({
  secret_id: Type.String(),
  secret_id_accessor: Type.String(),
  secret_id_ttl: Type.Integer(),
  secret_id_num_uses: Type.Integer(),
});

const TOKEN_POLICIES_IGNORED =
  'token_policies are not used by hush: the path policies of the machine (subject type machine) apply.';

/** Vault's role (path_role.go pathRoleRead) from a machine identity. */
function toRole(m: Machine) {
  return {
    bind_secret_id: true,
    local_secret_ids: false,
    secret_id_bound_cidrs: [...(m.secretIdBoundCidrs ?? [])],
    secret_id_num_uses: m.secretIdNumUses,
    secret_id_ttl: m.secretIdTtlSeconds,
    token_bound_cidrs: [...(m.tokenBoundCidrs ?? [])],
    token_explicit_max_ttl: 0,
    token_max_ttl: m.tokenMaxTtlSeconds,
    token_no_default_policy: false,
    token_num_uses: m.tokenNumUses,
    token_period: 0,
    token_policies: [],
    token_strictly_bind_ip: false,
    token_ttl: m.tokenTtlSeconds,
    token_type: 'default',
  };
}

/**
 * A role write as a machine's settings, only the fields given. What would make tokens other than
 * those asked for (periodic, batch, without a secret_id) is refused; token_policies are taken
 * and ignored with a warning, since hush's default deny keeps such a machine at no rights.
 */
function toMachineInput(body: Static<typeof RoleBody>): { input: MachineInput; warnings: string[] } {
  const refuse = (what: string) => {
    throw new HushError('bad_request', `${what} is not supported by hush.`);
  };
  if (body.bind_secret_id === false) refuse('A role without a secret_id (bind_secret_id=false)');
  if (optionalDuration(body.token_period ?? body.period, 'token_period')) refuse('A periodic token');
  if (optionalDuration(body.token_explicit_max_ttl, 'token_explicit_max_ttl'))
    refuse('token_explicit_max_ttl (use token_max_ttl)');
  if (body.token_type && !['default', 'service'].includes(body.token_type))
    refuse('A token_type other than service');
  const policies = textList(body.token_policies ?? body.policies) ?? [];
  const fields: MachineInput = {
    tokenTtlSeconds: optionalDuration(body.token_ttl, 'token_ttl'),
    tokenMaxTtlSeconds: optionalDuration(body.token_max_ttl, 'token_max_ttl'),
    tokenNumUses: body.token_num_uses,
    secretIdTtlSeconds: optionalDuration(body.secret_id_ttl, 'secret_id_ttl'),
    secretIdNumUses: body.secret_id_num_uses,
    secretIdBoundCidrs: textList(body.secret_id_bound_cidrs ?? body.bound_cidr_list),
    tokenBoundCidrs: textList(body.token_bound_cidrs),
  };
  const input = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return {
    input,
    warnings: policies.some((name) => name !== 'default') ? [TOKEN_POLICIES_IGNORED] : [],
  };
}

/** Vault's AppRole role administration over hush's machine identities: admin only. */
export function vaultApproleRoleRoutes(app: TypedApp, deps: VaultDeps): void {
  const { machines, auth } = deps;
  const admin = auth({ scope: 'admin' });
  const author = (request: Parameters<typeof clientInfo>[0]): MachineAuthor => {
    const { kind, id, name } = principalOf(request);
    return { actor: { kind, id, name }, client: clientInfo(request) };
  };
  const params = RoleParams;

  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/approle/role/:name',
    onRequest: admin,
    preValidation: defaultEmptyBody,
    schema: {
      summary: 'Vault AppRole role write: creates or updates a machine identity',
      params,
      body: RoleBody,
      response: { 200: DataEnvelope(Type.Null()), ...vaultShape.responses },
    },
    handler: async (request, reply) => {
      const { name } = request.params;
      const { input, warnings } = toMachineInput(request.body);
      const by = author(request);
      // Create or update, as Vault's role write is; a concurrent create of the same name updates.
      await machines.update(name, input, by).catch(async (error: unknown) => {
        if (!hasCode(error, 'not_found')) throw error;
        await machines.create(name, input, by).catch(async (raced: unknown) => {
          if (!hasCode(raced, 'machine_exists')) throw raced;
          await machines.update(name, input, by);
        });
      });
      if (warnings.length === 0) return sendEmpty(reply, 204);
      return dataEnvelope(request, null, warnings);
    },
  });

  app.get(
    '/auth/approle/role/:name',
    {
      onRequest: admin,
      schema: {
        summary: 'Vault AppRole role read',
        params,
        response: { 200: DataEnvelope(Role), ...vaultShape.responses },
      },
    },
    async (request) => dataEnvelope(request, toRole(await machines.get(request.params.name))),
  );

  app.delete(
    '/auth/approle/role/:name',
    {
      onRequest: admin,
      schema: { summary: 'Vault AppRole role delete', params, response: vaultShape.responses },
    },
    async (request, reply) => {
      // Vault deletes a missing role without complaint.
      await machines.delete(request.params.name, author(request)).catch((error: unknown) => {
        if (!hasCode(error, 'not_found')) throw error;
      });
      return sendEmpty(reply, 204);
    },
  );

  app.get(
    '/auth/approle/role/:name/role-id',
    {
      onRequest: admin,
      schema: {
        summary: 'Vault AppRole role-id: the machine’s role_id',
        params,
        response: { 200: DataEnvelope(Type.Object({ role_id: Type.String() })), ...vaultShape.responses },
      },
    },
    async (request) => dataEnvelope(request, { role_id: (await machines.get(request.params.name)).roleId }),
  );

  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/approle/role/:name/secret-id',
    onRequest: admin,
    preValidation: defaultEmptyBody,
    schema: {
      summary: 'Vault AppRole secret-id: a new secret_id for the machine (shown once)',
      params,
      body: SecretIdBody,
      response: { 200: DataEnvelope(IssuedSecretId), ...vaultShape.responses },
    },
    handler: async (request) => {
      const body = request.body;
      if (textList(body.token_bound_cidrs)?.length) {
        throw new HushError('bad_request', 'token_bound_cidrs per secret_id is not supported by hush.');
      }
      const issued = await machines.createSecretId(
        request.params.name,
        {
          ttlSeconds: optionalDuration(body.ttl, 'ttl'),
          numUses: body.num_uses,
          cidrs: textList(body.cidr_list),
          metadata: labels(body.metadata),
        },
        author(request),
      );
      const ttl = issued.expiresAt ? issued.expiresAt.getTime() - issued.createdAt.getTime() : 0;
      return dataEnvelope(request, {
        secret_id: issued.secretId,
        secret_id_accessor: issued.accessor,
        secret_id_ttl: Math.round(ttl / 1000),
        secret_id_num_uses: issued.usesLeft ?? 0,
      });
    },
  });

  app.get(
    '/auth/approle/role/:name/secret-id',
    {
      onRequest: admin,
      schema: {
        summary: 'Vault AppRole secret-id list (GET ?list=true): the accessors',
        params,
        querystring: ListQuery,
        response: { 200: DataEnvelope(KeysData), ...vaultShape.responses },
      },
    },
    async (request, reply) => {
      if (!queryFlag(request.query.list, 'list')) throw new HushError('method_not_allowed');
      const listed = await machines.listSecretIds(request.params.name);
      if (listed.length === 0) return sendVaultNotFound(reply);
      return dataEnvelope(request, { keys: listed.map((entry) => entry.accessor) });
    },
  );

  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/approle/role/:name/secret-id-accessor/destroy',
    onRequest: admin,
    schema: {
      summary: 'Vault AppRole secret-id-accessor destroy: revokes one secret_id',
      params,
      body: AccessorBody,
      response: vaultShape.responses,
    },
    handler: async (request, reply) => {
      await machines.revokeSecretId(request.params.name, request.body.secret_id_accessor, author(request));
      return sendEmpty(reply, 204);
    },
  });
}
