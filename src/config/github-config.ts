import type { ConfigReader } from './config-reader.js';

/** GitHub sign-in: on when the OAuth app's client id and secret are both set. */
export interface GithubConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the authorize page and the token endpoint live (GitHub Enterprise, or a test server). */
  readonly oauthUrl: string;
  readonly apiUrl: string;
  /** The callback registered with the OAuth app. */
  readonly redirectUrl: string;
}

export const GITHUB_CALLBACK_PATH = '/api/v1/auth/github/callback';

/**
 * HUSH_GITHUB_CLIENT_ID and HUSH_GITHUB_CLIENT_SECRET, both or neither. The callback is
 * HUSH_GITHUB_REDIRECT_URL, or HUSH_PUBLIC_URL plus GITHUB_CALLBACK_PATH. Never echoes the secret.
 */
export function readGithubConfig(r: ConfigReader, publicUrl: string | undefined): GithubConfig | undefined {
  const clientId = r.optionalString('HUSH_GITHUB_CLIENT_ID');
  const clientSecret = r.optionalString('HUSH_GITHUB_CLIENT_SECRET');
  const oauthUrl = readBaseUrl(r, 'HUSH_GITHUB_OAUTH_URL', 'https://github.com');
  const apiUrl = readBaseUrl(r, 'HUSH_GITHUB_API_URL', 'https://api.github.com');
  const explicitRedirect = r.optionalString('HUSH_GITHUB_REDIRECT_URL');
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined) {
    r.fail('HUSH_GITHUB_CLIENT_ID and HUSH_GITHUB_CLIENT_SECRET go together');
    return undefined;
  }
  let redirectUrl = publicUrl && `${publicUrl}${GITHUB_CALLBACK_PATH}`;
  if (explicitRedirect !== undefined) redirectUrl = httpUrl(explicitRedirect);
  if (explicitRedirect !== undefined && redirectUrl === undefined) {
    r.fail(`HUSH_GITHUB_REDIRECT_URL must be an http(s) URL, got "${explicitRedirect}"`);
  } else if (redirectUrl === undefined) {
    r.fail('GitHub sign-in needs HUSH_PUBLIC_URL or HUSH_GITHUB_REDIRECT_URL (the OAuth callback)');
  }
  return { clientId, clientSecret, oauthUrl, apiUrl, redirectUrl: redirectUrl ?? '' };
}

function readBaseUrl(r: ConfigReader, name: string, fallback: string): string {
  const value = r.string(name, fallback);
  const url = httpUrl(value);
  if (url === undefined) r.fail(`${name} must be an http(s) URL, got "${value}"`);
  return (url ?? fallback).replace(/\/+$/, '');
}

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
