import type { Static } from 'typebox';
import type {
  KvListResponse as KvListSchema,
  KvMetadataBody as KvMetadataBodySchema,
  KvMetadataResponse as KvMetadataSchema,
  KvPatchBody as KvPatchBodySchema,
  KvReadResponse as KvReadSchema,
  KvWriteBody as KvWriteBodySchema,
  KvWrittenResponse,
} from '../http/schemas/kv-schemas.js';

/**
 * A typed client of the native KV v2 routes (`/api/v1/kv/…`, docs/secrets.md). Its bodies are the
 * routes' schemas' types (src/http/schemas/kv-schemas.ts), as token-api.ts's are, in the API's
 * snake_case; the schemas come in as types only, so no TypeBox reaches a bundle.
 */
export type KvData = KvReadResponse['data'];
export type KvReadResponse = Static<typeof KvReadSchema>;
/** 0 as `cas`: only if the secret does not exist; N: only if N is its current version. */
export type KvWriteBody = Static<typeof KvWriteBodySchema>;
/** A merge patch: null removes a key. */
export type KvPatchBody = Static<typeof KvPatchBodySchema>;
export type KvWriteResponse = Static<typeof KvWrittenResponse>;
/** `max_versions` 0: the server's `secrets.max_versions` setting; `versions` oldest first. */
export type KvMetadataResponse = Static<typeof KvMetadataSchema>;
export type KvVersionInfo = KvMetadataResponse['versions'][number];
export type KvMetadataBody = Static<typeof KvMetadataBodySchema>;
/** One level: secret names, and folders ending in '/'. */
export type KvListResponse = Static<typeof KvListSchema>;

/** A call that carries the caller's bearer token (the CLI's `SignedIn.call`). */
export type BearerCall = <T extends object = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<T>;

export interface KvApi {
  read(name: string, version?: number): Promise<KvReadResponse>;
  write(name: string, body: KvWriteBody): Promise<KvWriteResponse>;
  patch(name: string, body: KvPatchBody): Promise<KvWriteResponse>;
  /** Soft-deletes the current version. */
  deleteLatest(name: string): Promise<void>;
  deleteVersions(name: string, versions: readonly number[]): Promise<void>;
  undeleteVersions(name: string, versions: readonly number[]): Promise<void>;
  destroyVersions(name: string, versions: readonly number[]): Promise<void>;
  metadata(name: string): Promise<KvMetadataResponse>;
  setMetadata(name: string, body: KvMetadataBody): Promise<KvMetadataResponse>;
  /** Erases the secret, its metadata and every version. */
  deleteAll(name: string): Promise<void>;
  /** `folder` is '' or ends in '/'. */
  list(folder: string): Promise<KvListResponse>;
}

/**
 * The URL path of a secret name, each segment percent-encoded. A `.` or `..` segment would be
 * resolved away by URL parsing and send the call (with its token) to another route: refused here,
 * whatever the caller checked before.
 */
export function kvPath(
  route: 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy' | 'list',
  name: string,
) {
  const segments = name.split('/');
  // A folder's trailing '/' (and the root folder '') is allowed where one is listed.
  if (route === 'list' && segments.at(-1) === '') segments.pop();
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`not a secret name: ${JSON.stringify(name)}`);
  }
  const encoded = segments.map(encodeURIComponent).join('/');
  return `/api/v1/kv/${route}/${encoded}${route === 'list' && encoded !== '' ? '/' : ''}`;
}

export function createKvApi(call: BearerCall): KvApi {
  const versions =
    (route: 'delete' | 'undelete' | 'destroy') => async (name: string, list: readonly number[]) => {
      await call('POST', kvPath(route, name), { versions: [...list] });
    };
  return {
    read: (name, version) =>
      call<KvReadResponse>(
        'GET',
        `${kvPath('data', name)}${version === undefined ? '' : `?version=${version}`}`,
      ),
    write: (name, body) => call<KvWriteResponse>('PUT', kvPath('data', name), body),
    patch: (name, body) => call<KvWriteResponse>('PATCH', kvPath('data', name), body),
    deleteLatest: async (name) => {
      await call('DELETE', kvPath('data', name));
    },
    deleteVersions: versions('delete'),
    undeleteVersions: versions('undelete'),
    destroyVersions: versions('destroy'),
    metadata: (name) => call<KvMetadataResponse>('GET', kvPath('metadata', name)),
    setMetadata: (name, body) => call<KvMetadataResponse>('POST', kvPath('metadata', name), body),
    deleteAll: async (name) => {
      await call('DELETE', kvPath('metadata', name));
    },
    list: (folder) => call<KvListResponse>('GET', kvPath('list', folder)),
  };
}
