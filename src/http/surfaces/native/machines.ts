import type { Static } from 'typebox';
import type { Machine, MachineInput, SecretIdInfo } from '../../../auth/machine-types.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { defaultEmptyBody, type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  CreateMachineBody,
  CreateSecretIdBody,
  MachineLoginBody,
  MachineParams,
  MachineResponse,
  MachinesResponse,
  SecretIdParams,
  SecretIdResponse,
  SecretIdsResponse,
  UpdateMachineBody,
} from '../../schemas/machine-schemas.js';
import { TokenResponse } from '../../schemas/token-schemas.js';
import { toTokenResponse } from './tokens.js';

const tags = ['machines'];
const security = [{ bearer: [] }];

export function toMachineResponse(machine: Machine) {
  return {
    id: machine.id,
    name: machine.name,
    role_id: machine.roleId,
    role: machine.role,
    token_ttl_seconds: machine.tokenTtlSeconds,
    token_max_ttl_seconds: machine.tokenMaxTtlSeconds,
    token_num_uses: machine.tokenNumUses,
    secret_id_ttl_seconds: machine.secretIdTtlSeconds,
    secret_id_num_uses: machine.secretIdNumUses,
    secret_id_bound_cidrs: machine.secretIdBoundCidrs ? [...machine.secretIdBoundCidrs] : null,
    token_bound_cidrs: machine.tokenBoundCidrs ? [...machine.tokenBoundCidrs] : null,
    created_at: machine.createdAt.toISOString(),
    updated_at: machine.updatedAt.toISOString(),
  };
}

function toSecretIdInfo(info: SecretIdInfo) {
  return {
    accessor: info.accessor,
    created_at: info.createdAt.toISOString(),
    expires_at: info.expiresAt?.toISOString() ?? null,
    uses_left: info.usesLeft ?? null,
    cidrs: info.cidrs ? [...info.cidrs] : null,
    metadata: { ...info.metadata },
  };
}

/** A body's settings as the service takes them; a null network list clears it (anywhere). */
function machineInput(body: Static<typeof UpdateMachineBody>): MachineInput {
  const cidrs = (value: readonly string[] | null | undefined) => (value === null ? [] : value);
  return {
    role: body.role,
    tokenTtlSeconds: body.token_ttl_seconds,
    tokenMaxTtlSeconds: body.token_max_ttl_seconds,
    tokenNumUses: body.token_num_uses,
    secretIdTtlSeconds: body.secret_id_ttl_seconds,
    secretIdNumUses: body.secret_id_num_uses,
    secretIdBoundCidrs: cidrs(body.secret_id_bound_cidrs),
    tokenBoundCidrs: cidrs(body.token_bound_cidrs),
  };
}

/** Machine identities: administration (admin scope) and the AppRole-like sign-in (anonymous). */
export function machineRoutes(app: TypedApp, { machines, auth }: SurfaceDeps): void {
  const admin = auth({ scope: 'admin' });
  const by = (request: Parameters<typeof principalOf>[0]) => ({
    actor: principalOf(request),
    client: clientInfo(request),
  });

  app.post(
    '/machines/login',
    {
      schema: {
        tags,
        summary: 'Sign in as a machine: role_id + secret_id → tokens (any failure is invalid_grant)',
        body: MachineLoginBody,
        response: { 200: TokenResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { role_id, secret_id } = request.body;
      return toTokenResponse(await machines.login(role_id, secret_id, clientInfo(request)));
    },
  );

  app.post(
    '/machines',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Create a machine identity with its policies (admin)',
        security,
        body: CreateMachineBody,
        response: { 201: MachineResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, policies, ...settings } = request.body;
      const machine = await machines.create(name, { ...machineInput(settings), policies }, by(request));
      return reply.code(201).send(toMachineResponse(machine));
    },
  );

  app.get(
    '/machines',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'List machine identities (admin)',
        security,
        response: { 200: MachinesResponse, ...errorResponses },
      },
    },
    async () => ({ machines: (await machines.list()).map(toMachineResponse) }),
  );

  app.get(
    '/machines/:name',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'One machine identity (admin)',
        security,
        params: MachineParams,
        response: { 200: MachineResponse, ...errorResponses },
      },
    },
    async (request) => toMachineResponse(await machines.get(request.params.name)),
  );

  app.post(
    '/machines/:name',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Change a machine identity’s settings; policies are managed as policies (admin)',
        security,
        params: MachineParams,
        body: UpdateMachineBody,
        response: { 200: MachineResponse, ...errorResponses },
      },
    },
    async (request) =>
      toMachineResponse(await machines.update(request.params.name, machineInput(request.body), by(request))),
  );

  app.delete(
    '/machines/:name',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Delete a machine identity with its secret_ids, policies and sessions (admin)',
        security,
        params: MachineParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await machines.delete(request.params.name, by(request));
      return sendEmpty(reply, 204);
    },
  );

  app.post(
    '/machines/:name/secret-ids',
    {
      onRequest: admin,
      // No body: a secret_id with the machine's limits.
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Make a secret_id: shown once, stored hashed (admin)',
        security,
        params: MachineParams,
        body: CreateSecretIdBody,
        response: { 201: SecretIdResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { ttl_seconds, num_uses, cidrs, metadata } = request.body;
      const issued = await machines.createSecretId(
        request.params.name,
        { ttlSeconds: ttl_seconds, numUses: num_uses, cidrs: cidrs ?? undefined, metadata },
        by(request),
      );
      return reply.code(201).send({ secret_id: issued.secretId, ...toSecretIdInfo(issued) });
    },
  );

  app.get(
    '/machines/:name/secret-ids',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'The live secret_ids of a machine, by accessor (admin)',
        security,
        params: MachineParams,
        response: { 200: SecretIdsResponse, ...errorResponses },
      },
    },
    async (request) => ({
      secret_ids: (await machines.listSecretIds(request.params.name)).map(toSecretIdInfo),
    }),
  );

  app.delete(
    '/machines/:name/secret-ids/:accessor',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Revoke a secret_id by its accessor (admin)',
        security,
        params: SecretIdParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await machines.revokeSecretId(request.params.name, request.params.accessor, by(request));
      return sendEmpty(reply, 204);
    },
  );
}
