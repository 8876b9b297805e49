import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { AuditService } from '../audit/audit-service.js';
import type { GithubLogin } from '../auth/github/github-login.js';
import type { MachineService } from '../auth/machine-types.js';
import type { TokenService } from '../auth/token-types.js';
import type { UserService } from '../auth/user-service.js';
import type { Config } from '../config/config.js';
import type { KvService } from '../secrets/kv-types.js';
import type { PolicyService } from '../secrets/policy-service.js';
import type { SecretService } from '../secrets/secret-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { ShareFiles } from '../shares/share-files.js';
import type { ShareService } from '../shares/share-service.js';
import type { Authenticator } from './plugins/auth.js';

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What routes may call: services only, never stores. */
export interface RouteDeps {
  readonly config: Config;
  readonly shares: ShareService;
  /** Files of shares: uploads in parts, downloads by grant. */
  readonly files: ShareFiles;
  readonly audit: AuditService;
  readonly users: UserService;
  readonly tokens: TokenService;
  /** GitHub sign-in; github_disabled on every call when not configured. */
  readonly github: GithubLogin;
  readonly policies: PolicyService;
  readonly secrets: SecretService;
  /** KV version 2 over the same secrets (the native /kv routes, the Vault surface). */
  readonly kv: KvService;
  readonly settings: SettingsService;
  /** Machine identities (AppRole-like): administration and sign-in. */
  readonly machines: MachineService;
}

/** What a surface's routes get: the services, and how this surface tells who is calling. */
export interface SurfaceDeps extends RouteDeps {
  readonly auth: Authenticator;
}

/** Routes whose body is optional see `{}` instead of failing validation on `undefined`. */
export const defaultEmptyBody = async (request: { body: unknown }) => {
  request.body ??= {};
};

/** Sends a status with an empty body (204 No Content, or secret-manager's empty 200). */
export function sendEmpty(reply: FastifyReply, status: 200 | 204) {
  return reply.code(status).send();
}
