import type { Static } from 'typebox';
import { ApiError } from '../client/api-call.js';
import type {
  CreateMachineBody,
  CreateSecretIdBody,
  MachineResponse as MachineResponseSchema,
  MachinesResponse,
  SecretIdResponse as SecretIdResponseSchema,
  SecretIdsResponse,
} from '../http/schemas/machine-schemas.js';
import { CliError, EXIT } from './cli-errors.js';
import { type SignedIn, scopeFailure, sessionFailure } from './saved-login.js';

/** The machine routes' bodies: their schemas' types (src/http/schemas/machine-schemas.ts). */
export type MachineResponse = Static<typeof MachineResponseSchema>;
export type MachineCreateBody = Static<typeof CreateMachineBody>;
export type SecretIdResponse = Static<typeof SecretIdResponseSchema>;
/** A secret_id as listed: all but the secret_id itself, which is shown once. */
export type SecretIdInfoResponse = Static<typeof SecretIdsResponse>['secret_ids'][number];
export type SecretIdBody = Static<typeof CreateSecretIdBody>;

/** What the machine routes take as a name (machine-types.ts): checked here, before any request. */
const MACHINE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export function machineName(text: string | undefined): string {
  if (text !== undefined && MACHINE_NAME.test(text)) return text;
  throw new CliError(
    EXIT.usage,
    'a machine name is 1 to 128 letters, digits, ".", "_" or "-" (see hush machine --help)',
  );
}

/** The machine routes, with their refusals worded for `name`. Every route needs an admin token. */
export function machineApi(api: SignedIn) {
  const at = (name: string) => `/api/v1/machines/${encodeURIComponent(name)}`;
  const call = async <T extends object>(
    name: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    try {
      return await api.call<T>(method, path, body);
    } catch (error) {
      throw machineFailure(error, name, api);
    }
  };
  return {
    create: (body: MachineCreateBody) => call<MachineResponse>(body.name, 'POST', '/api/v1/machines', body),
    list: () => call<Static<typeof MachinesResponse>>(undefined, 'GET', '/api/v1/machines'),
    get: (name: string) => call<MachineResponse>(name, 'GET', at(name)),
    delete: (name: string) => call(name, 'DELETE', at(name)),
    createSecretId: (name: string, body: SecretIdBody) =>
      call<SecretIdResponse>(name, 'POST', `${at(name)}/secret-ids`, body),
    listSecretIds: (name: string) =>
      call<Static<typeof SecretIdsResponse>>(name, 'GET', `${at(name)}/secret-ids`),
    revokeSecretId: async (name: string, accessor: string) => {
      try {
        await api.call('DELETE', `${at(name)}/secret-ids/${encodeURIComponent(accessor)}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          throw new CliError(
            EXIT.refused,
            `no machine ${name}, or no live secret_id of it with that accessor`,
          );
        }
        throw machineFailure(error, name, api);
      }
    },
  };
}

function machineFailure(error: unknown, name: string | undefined, signedIn: SignedIn): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 401) return sessionFailure(error, signedIn);
  if (error.status === 404 && name !== undefined)
    return new CliError(EXIT.refused, `no such machine: ${name}`);
  if (error.code === 'machine_exists') return new CliError(EXIT.refused, `a machine named ${name} exists`);
  if (error.code === 'invalid_machine' || error.code === 'bad_request' || error.code === 'invalid_policy') {
    return new CliError(EXIT.refused, `refused: ${error.message.replace(/\.$/, '')} (${error.code})`);
  }
  if (error.code === 'forbidden') {
    return new CliError(EXIT.refused, "machines are managed by admins: this token is not an admin's");
  }
  return scopeFailure(error, 'admin');
}
