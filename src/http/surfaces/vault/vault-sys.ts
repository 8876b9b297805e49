import { Type } from 'typebox';
import { HushError } from '../../../errors/hush-error.js';
import type { TypedApp } from '../../route-types.js';
import { DataEnvelope, dataEnvelope } from './vault-envelope.js';
import { vaultShape } from './vault-errors.js';
import { PathParams } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

/** The Vault API level hush speaks, for clients that read `version` to pick features. */
export const VAULT_API_VERSION = '1.15.0';

/** The one mount hush serves: KV version 2 at `secret/`. */
export const KV_MOUNT = 'secret/';

const StatusCode = Type.Integer({ minimum: 200, maximum: 599 });
/** Vault's overrides of the statuses, by state; unknown ones (perfstandbyok, …) are ignored. */
const HealthQuery = Type.Object({
  standbyok: Type.Optional(Type.Boolean()),
  activecode: Type.Optional(StatusCode),
  standbycode: Type.Optional(StatusCode),
  sealedcode: Type.Optional(StatusCode),
  uninitcode: Type.Optional(StatusCode),
});
/**
 * Vault's health body, under whatever status the overrides chose; a bad override is Vault's
 * `{"errors":[…]}` instead. One schema serializes both, so every field is optional.
 */
const Health = Type.Object({
  initialized: Type.Optional(Type.Boolean()),
  sealed: Type.Optional(Type.Boolean()),
  standby: Type.Optional(Type.Boolean()),
  performance_standby: Type.Optional(Type.Boolean()),
  replication_performance_mode: Type.Optional(Type.String()),
  replication_dr_mode: Type.Optional(Type.String()),
  server_time_utc: Type.Optional(Type.Integer()),
  version: Type.Optional(Type.String()),
  cluster_name: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.String())),
});

const Mount = Type.Object({
  path: Type.String(),
  type: Type.String(),
  description: Type.String(),
  options: Type.Object({ version: Type.String() }),
  config: Type.Object({
    default_lease_ttl: Type.Integer(),
    max_lease_ttl: Type.Integer(),
    force_no_cache: Type.Boolean(),
  }),
  local: Type.Boolean(),
  seal_wrap: Type.Boolean(),
  external_entropy_access: Type.Boolean(),
});

const MOUNT = {
  path: KV_MOUNT,
  type: 'kv',
  description: 'hush secret store (KV version 2)',
  options: { version: '2' },
  config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false },
  local: false,
  seal_wrap: false,
  external_entropy_access: false,
};

const inMount = (path: string) => path === 'secret' || path.startsWith(KV_MOUNT);

export function vaultSysRoutes(app: TypedApp, deps: VaultDeps): void {
  const { auth, storageReady, accepting } = deps;

  /**
   * Every hush node is initialised, unsealed and active. A node shutting down answers as a
   * standby, and one whose storage does not answer as sealed, so that load balancers probing
   * Vault's way take it out of rotation; a GET and a HEAD answer the same status.
   */
  app.get(
    '/sys/health',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Vault sys/health: 200 active (query overrides as Vault)',
        querystring: HealthQuery,
        response: { default: Health },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const standby = !accepting();
      let sealed = false;
      if (!standby) {
        try {
          await storageReady();
        } catch (error) {
          request.log.warn({ errName: (error as Error).name }, 'storage not ready');
          sealed = true;
        }
      }
      const code = sealed
        ? (query.sealedcode ?? 503)
        : standby && !query.standbyok
          ? (query.standbycode ?? 429)
          : (query.activecode ?? 200);
      return reply.code(code).send({
        initialized: true,
        sealed,
        standby,
        performance_standby: false,
        replication_performance_mode: 'disabled',
        replication_dr_mode: 'disabled',
        server_time_utc: Math.floor(Date.now() / 1000),
        version: `${VAULT_API_VERSION}+hush.${deps.version}`,
        cluster_name: 'hush',
      });
    },
  );

  /**
   * The preflight the `vault kv` commands and Vault Agent make before a KV call: which mount and
   * KV version serve a path. Any valid token may ask; a path outside `secret/` is refused as
   * Vault refuses one no policy reaches (a 404 would make the CLI fall back to KV version 1).
   */
  const mountInfo = {
    onRequest: auth(),
    schema: {
      summary: 'Vault preflight: the mount (KV version 2 at secret/) that serves a path',
      params: PathParams,
      response: { 200: DataEnvelope(Mount), ...vaultShape.responses },
    },
  };
  const answer = async (request: { readonly params: { readonly '*': string }; readonly id: string }) => {
    if (!inMount(request.params['*'])) throw new HushError('forbidden');
    return dataEnvelope(request, MOUNT);
  };
  app.get('/sys/internal/ui/mounts/*', mountInfo, answer);
  app.get('/sys/mounts-all/*', mountInfo, answer);
}
