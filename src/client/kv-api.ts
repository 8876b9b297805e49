/**
 * A typed client of the native KV v2 routes (`/api/v1/kv/…`, docs/secrets.md).
 *
 * The shapes below are written by hand for now: the routes' TypeBox schemas
 * (src/http/schemas/kv-schemas.ts) are built on another branch. At merge each becomes the
 * `Static<>` of its schema, as token-api.ts does for the token routes.
 */

export type KvData = Record<string, string>;

export interface KvVersionInfo {
  readonly version: number;
  readonly created_at: string;
  /** When it was (or, with delete_version_after_seconds, will be) soft-deleted; null while live. */
  readonly deleted_at: string | null;
  readonly destroyed: boolean;
}

export interface KvReadResponse {
  readonly id: string;
  readonly name: string;
  readonly data: KvData;
  /** The seed's string metadata of the version. */
  readonly metadata: Record<string, string>;
  readonly version: number;
  readonly created_at: string;
  readonly deleted_at: string | null;
  readonly destroyed: boolean;
  readonly custom_metadata: Record<string, string>;
  readonly expires_at: string | null;
}

export interface KvWriteBody {
  readonly data: KvData;
  /** 0: only if the secret does not exist; N: only if N is its current version. */
  readonly cas?: number | undefined;
  readonly ttl_seconds?: number | undefined;
  readonly metadata?: Record<string, string> | undefined;
}

export interface KvPatchBody {
  /** A merge patch: null removes a key. */
  readonly data: Record<string, string | null>;
  readonly cas?: number | undefined;
}

export interface KvWriteResponse {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly created_at: string;
  readonly created: boolean;
  readonly expires_at: string | null;
}

export interface KvMetadataResponse {
  readonly id: string;
  readonly name: string;
  readonly current_version: number;
  readonly oldest_version: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly expires_at: string | null;
  /** 0: the server's `secrets.max_versions` setting. */
  readonly max_versions: number;
  readonly cas_required: boolean;
  /** 0: never. */
  readonly delete_version_after_seconds: number;
  readonly custom_metadata: Record<string, string>;
  /** Oldest first. */
  readonly versions: readonly KvVersionInfo[];
}

export interface KvMetadataBody {
  readonly max_versions?: number | undefined;
  readonly cas_required?: boolean | undefined;
  readonly delete_version_after_seconds?: number | undefined;
  readonly custom_metadata?: Record<string, string> | undefined;
}

export interface KvListResponse {
  /** One level: secret names, and folders ending in '/'. */
  readonly keys: readonly string[];
}

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
