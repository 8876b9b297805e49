import type { Logger } from 'pino';
import type { GithubConfig } from '../../config/github-config.js';
import { createGithubClient } from './github-client.js';
import {
  createGithubLogin,
  disabledGithubLogin,
  type GithubLogin,
  type GithubLoginDeps,
} from './github-login.js';

export type GithubSetupDeps = Omit<GithubLoginDeps, 'config' | 'client'> & { readonly logger: Logger };

/** GitHub sign-in as HUSH_GITHUB_* configure it: off (every call github_disabled) without a client id. */
export function setUpGithubLogin(config: GithubConfig | undefined, deps: GithubSetupDeps): GithubLogin {
  if (!config) return disabledGithubLogin;
  const { logger, ...loginDeps } = deps;
  const client = createGithubClient({
    ...config,
    // Reasons name the endpoint and the status or GitHub's error code, never a token or code.
    onUnavailable: (reason) => logger.warn({ reason }, 'GitHub sign-in failed: GitHub unavailable'),
  });
  return createGithubLogin({ ...loginDeps, config, client });
}
