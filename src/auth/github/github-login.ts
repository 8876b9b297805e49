import type { AuditService } from '../../audit/audit-service.js';
import type { Actor } from '../../audit/audit-types.js';
import type { GithubConfig } from '../../config/github-config.js';
import type { ClientInfo } from '../../domain/client-info.js';
import { HushError } from '../../errors/hush-error.js';
import type { FreshSettingsReader } from '../../settings/setting-definitions.js';
import type { OauthStateStore } from '../../storage/oauth-state-store.js';
import { userIdentity } from '../token-identity.js';
import type { IssuedTokens, TokenService } from '../token-types.js';
import { userActor } from '../user-actor.js';
import type { UserService } from '../user-service.js';
import { GITHUB_USERNAME_PREFIX } from '../user-validation.js';
import type { GithubClient } from './github-client.js';
import { newFlow, sameState, stateHashOf } from './oauth-state.js';
import { mapGithubRole } from './role-mapping.js';

/** How long a started web flow may take, from the redirect to GitHub back to the callback. */
export const STATE_TTL_SECONDS = 600;
/** What hush asks GitHub for: the profile, and org and team memberships for the role mapping. */
export const GITHUB_SCOPES = 'read:org read:user';
/** Abandoned flows deleted per start, so they cannot pile up. */
const PURGE_BATCH = 100;
/** Tries at a sign-in while the role mapping keeps changing under it. */
const MAPPING_ATTEMPTS = 3;

export interface GithubLoginDeps {
  readonly config: GithubConfig;
  readonly client: GithubClient;
  readonly states: OauthStateStore;
  readonly users: UserService;
  readonly tokens: TokenService;
  readonly audit: AuditService;
  readonly settings: FreshSettingsReader;
  readonly now?: () => number;
}

export interface StartedFlow {
  /** Where to send the browser. */
  readonly authorizeUrl: string;
  /** To bind to the browser (cookie): the callback must come back with the same. */
  readonly state: string;
}

export interface CallbackInput {
  readonly code: string | undefined;
  readonly state: string | undefined;
  /** GitHub's `error` parameter: the user refused, or GitHub did. */
  readonly error: string | undefined;
  /** The state the browser's cookie carries. */
  readonly browserState: string | undefined;
  readonly client: ClientInfo;
}

export interface GithubLogin {
  /** Starts the web flow (authorize redirect with state and PKCE). */
  start(): Promise<StartedFlow>;
  /**
   * Finishes the web flow. The state is spent at once, whatever follows, so a replayed callback
   * fails with github_state_invalid; so does one from a browser that did not start the flow.
   */
  callback(input: CallbackInput): Promise<IssuedTokens>;
  /** Signs in with a GitHub token the caller already holds (the CLI case). */
  exchange(githubToken: string, client: ClientInfo): Promise<IssuedTokens>;
}

/** Every sign-in refusal is audited as auth.login_failed with its code; storage faults are not refusals. */
function isRefusal(error: unknown): error is HushError {
  return (
    error instanceof HushError &&
    (error.code.startsWith('github_') || error.code === 'username_taken' || error.code === 'last_admin')
  );
}

export function createGithubLogin(deps: GithubLoginDeps): GithubLogin {
  const { config, client, states, audit } = deps;
  const now = deps.now ?? Date.now;

  /**
   * Identity, role, account, tokens: the part both ways of signing in share. A change to the role
   * mapping that may take a role away revokes every GitHub session (role-mapping-change.ts), so the
   * mapping is read as stored, not from the ~1 s cache, and the settings version is read again once
   * the session exists. If any change landed meanwhile (the same value set again included), the
   * session may have missed that revocation: it is revoked here and the sign-in starts over, asking
   * GitHub again.
   */
  const signIn = async (githubToken: string, clientInfo: ClientInfo, onActor: (actor: Actor) => void) => {
    for (let attempt = 1; ; attempt++) {
      const identity = await client.identify(githubToken);
      // Not an account yet (maybe never): named, with no id.
      onActor({
        kind: 'user',
        id: undefined,
        name: `${GITHUB_USERNAME_PREFIX}${identity.login.toLowerCase()}`,
      });
      const mapping = await deps.settings.fresh('github.role_mapping');
      const role = mapGithubRole(mapping.value, identity);
      if (role === undefined) throw new HushError('github_not_allowed');
      const user = await deps.users.syncGithubAccount(identity, role);
      onActor(userActor(user));
      // The session is stored with its auth.login, in one step: no session without its sign-in.
      const issued = await deps.tokens.issue(userIdentity(user), { method: 'github', client: clientInfo });
      const after = await deps.settings.fresh('github.role_mapping');
      if (after.version === mapping.version) return issued;
      // The log keeps this attempt's sign-in, followed by the revocation of its session.
      await deps.tokens.revoke(issued.accessToken, clientInfo);
      if (attempt === MAPPING_ATTEMPTS) {
        // The account's role is shared by its other sessions: leave the newest mapping's, not ours.
        const latest = mapGithubRole(after.value, identity);
        if (latest !== undefined && latest !== role) await deps.users.syncGithubAccount(identity, latest);
        throw new HushError('unavailable', 'The GitHub role mapping is being changed; sign in again.');
      }
    }
  };

  /** Runs a sign-in, auditing a refusal with whoever it was about, once known. */
  const audited = async (
    clientInfo: ClientInfo,
    run: (onActor: (actor: Actor) => void) => Promise<IssuedTokens>,
  ) => {
    let actor: Actor | undefined;
    try {
      return await run((known) => {
        actor = known;
      });
    } catch (error) {
      if (isRefusal(error)) {
        await audit.record({
          type: 'auth.login_failed',
          actor,
          client: clientInfo,
          data: { method: 'github', reason: error.code },
        });
      }
      throw error;
    }
  };

  return {
    async start() {
      const at = now();
      await states.purgeExpired(at, PURGE_BATCH);
      const flow = newFlow();
      await states.create({
        stateHash: flow.stateHash,
        codeVerifier: flow.codeVerifier,
        createdAt: at,
        expiresAt: at + STATE_TTL_SECONDS * 1000,
      });
      const query = new URLSearchParams({
        client_id: config.clientId,
        redirect_uri: config.redirectUrl,
        scope: GITHUB_SCOPES,
        state: flow.state,
        code_challenge: flow.codeChallenge,
        code_challenge_method: 'S256',
        allow_signup: 'false',
      });
      return { authorizeUrl: `${config.oauthUrl}/login/oauth/authorize?${query}`, state: flow.state };
    },

    callback: (input) =>
      audited(input.client, async (onActor) => {
        const hash = input.state === undefined ? undefined : stateHashOf(input.state);
        const record = hash === undefined ? undefined : await states.consume(hash);
        if (!record || record.expiresAt <= now() || !sameState(input.state ?? '', input.browserState)) {
          throw new HushError('github_state_invalid');
        }
        if (input.error !== undefined || input.code === undefined) {
          throw new HushError('github_code_invalid', 'The GitHub sign-in was refused or cancelled.');
        }
        const githubToken = await client.exchangeCode(input.code, config.redirectUrl, record.codeVerifier);
        return signIn(githubToken, input.client, onActor);
      }),

    exchange: (githubToken, clientInfo) =>
      audited(clientInfo, (onActor) => signIn(githubToken, clientInfo, onActor)),
  };
}

/** What answers when HUSH_GITHUB_CLIENT_ID/SECRET are not set: every call is github_disabled (404). */
export const disabledGithubLogin: GithubLogin = {
  start: () => Promise.reject(new HushError('github_disabled')),
  callback: () => Promise.reject(new HushError('github_disabled')),
  exchange: () => Promise.reject(new HushError('github_disabled')),
};
