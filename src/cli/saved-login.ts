import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type ApiCall, ApiError, createApiCall } from '../client/api-call.js';
import { CliError, EXIT } from './cli-errors.js';
import type { CliIo } from './client-command.js';
import { LockError, withFileLock } from './login-lock.js';
import { DEFAULT_SERVER, resolveServer, timedFetch } from './share-client.js';

/** What `hush login` keeps: the server it signed in to and the session's tokens. */
export interface SavedLogin {
  readonly server: string;
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch ms. */
  readonly accessExpiresAt: number;
  readonly refreshExpiresAt: number | undefined;
  /** Who signed in, for `hush login`'s message and `hush logout`. */
  readonly principal: { readonly kind: string; readonly name: string } | undefined;
}

const FILE = 'credentials.json';
/** Renew this long before the access token would expire, so a command never starts on a dying token. */
const RENEW_MARGIN_MS = 60_000;
/** How long a command waits for another one's renewal before it goes on with the token it has. */
const LOCK_WAIT_MS = 15_000;

/** `$HUSH_CONFIG_DIR`, else `$XDG_CONFIG_HOME/hush`, else `~/.config/hush`. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.HUSH_CONFIG_DIR) return env.HUSH_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'hush');
}

/** Where the login is kept. */
export const loginPath = (env: NodeJS.ProcessEnv) => join(configDir(env), FILE);

/** Writes the login with mode 0600 in a 0700 directory, replacing the old file in one rename. */
export async function saveLogin(env: NodeJS.ProcessEnv, login: SavedLogin): Promise<string> {
  const dir = configDir(env);
  const path = join(dir, FILE);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    // O_EXCL: a file or symlink left at the temporary name is never written through.
    await rm(temporary, { force: true });
    await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // The umask may have taken bits away, never added them; chmod makes it exactly 0600.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    throw new CliError(
      EXIT.local,
      `cannot save the login in ${dir} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  return path;
}

/** The saved login, or undefined when there is none (an unreadable or damaged file is a local failure). */
export async function readLogin(env: NodeJS.ProcessEnv): Promise<SavedLogin | undefined> {
  const path = loginPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(EXIT.local, `cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  let login: unknown;
  try {
    login = JSON.parse(text);
  } catch {
    // Reported below, with what to do.
  }
  if (isSavedLogin(login)) return login;
  throw new CliError(EXIT.local, `${path} is damaged: run hush logout, then hush login`);
}

function isSavedLogin(value: unknown): value is SavedLogin {
  const login = value as Partial<Record<keyof SavedLogin, unknown>> | null;
  const optional = (field: unknown, type: 'string' | 'number') =>
    field === undefined || typeof field === type;
  const principal = login?.principal as { kind?: unknown; name?: unknown } | undefined;
  return (
    typeof login === 'object' &&
    login !== null &&
    typeof login.server === 'string' &&
    typeof login.accessToken === 'string' &&
    Number.isFinite(login.accessExpiresAt) &&
    optional(login.refreshToken, 'string') &&
    optional(login.refreshExpiresAt, 'number') &&
    (principal === undefined || (typeof principal.kind === 'string' && typeof principal.name === 'string'))
  );
}

export async function forgetLogin(env: NodeJS.ProcessEnv): Promise<void> {
  await rm(loginPath(env), { force: true });
}

/** A signed-in API client: calls carry the token; `server` is where they go. */
export interface SignedIn {
  readonly server: string;
  readonly token: string;
  /** Whether the token came from HUSH_TOKEN (then nothing is saved or renewed). */
  readonly fromEnv: boolean;
  call<T extends object = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * The token a client command uses: HUSH_TOKEN wins when set (with --server, else HUSH_URL, else the
 * default server); otherwise the saved login, renewed first when its access token is about to
 * expire and its refresh token may still renew it (the renewed tokens are saved). No token at all,
 * or a session past renewing, is a usage error that says to run `hush login`.
 */
export async function signIn(io: CliIo, serverFlag: string | undefined, now = Date.now()): Promise<SignedIn> {
  const envToken = io.env.HUSH_TOKEN?.trim();
  if (envToken) {
    const server = resolveServer(serverFlag, io.env, DEFAULT_SERVER);
    return bind(server, envToken, true);
  }
  const saved = await readLogin(io.env);
  if (!saved) throw new CliError(EXIT.usage, 'not signed in: run hush login (or set HUSH_TOKEN)');
  checkServer(saved, serverFlag, io.env);
  const due = saved.accessExpiresAt - RENEW_MARGIN_MS <= now;
  // Checked again: another command may have saved a login to another server meanwhile.
  const login = due ? checkServer(await renewOnce(io.env, saved, now), serverFlag, io.env) : saved;
  return bind(login.server, login.accessToken, false);
}

/** HUSH_URL is not consulted: a saved token goes only to the server that issued it. */
function checkServer(login: SavedLogin, serverFlag: string | undefined, env: NodeJS.ProcessEnv) {
  const server = serverFlag === undefined ? login.server : resolveServer(serverFlag, env, login.server);
  if (server !== login.server) {
    throw new CliError(
      EXIT.usage,
      `the saved login is for ${login.server}: run hush login --server ${server}`,
    );
  }
  return login;
}

/**
 * Renews under the lock (login-lock.ts says why), after reading the file again: another command
 * may have renewed it meanwhile, and then its tokens are the ones to use.
 */
async function renewOnce(env: NodeJS.ProcessEnv, login: SavedLogin, now: number): Promise<SavedLogin> {
  const outcome = await withFileLock(`${loginPath(env)}.lock`, LOCK_WAIT_MS, async () => {
    const current = await readLogin(env);
    if (!current) throw new CliError(EXIT.usage, 'not signed in: run hush login (or set HUSH_TOKEN)');
    return current.accessToken === login.accessToken ? renewSaved(env, current, now) : current;
  }).catch((error: unknown) => {
    if (!(error instanceof LockError)) throw error;
    throw new CliError(EXIT.local, `cannot lock ${loginPath(env)} for renewal (${error.code})`);
  });
  if (!outcome.busy) return outcome.value;
  if (login.accessExpiresAt > now) return login;
  throw new CliError(
    EXIT.local,
    `another hush command is renewing the saved login; try again (if none is running, remove ${loginPath(env)}.lock)`,
  );
}

async function renewSaved(env: NodeJS.ProcessEnv, login: SavedLogin, now: number): Promise<SavedLogin> {
  const renewable =
    login.refreshToken !== undefined &&
    (login.refreshExpiresAt === undefined || login.refreshExpiresAt > now);
  if (!renewable) {
    if (login.accessExpiresAt > now) return login;
    throw new CliError(EXIT.usage, 'the saved login has expired: run hush login');
  }
  const api = createApiCall(login.server, timedFetch);
  try {
    const issued = await api<{
      access_token: string;
      expires_in: number;
      refresh_token?: string;
      refresh_expires_in?: number;
    }>('POST', '/api/v1/token/renew', { body: { refresh_token: login.refreshToken } });
    const renewed: SavedLogin = {
      ...login,
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      accessExpiresAt: now + issued.expires_in * 1000,
      refreshExpiresAt:
        issued.refresh_expires_in === undefined ? undefined : now + issued.refresh_expires_in * 1000,
    };
    await saveLogin(env, renewed);
    return renewed;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status >= 400 && error.status < 500) {
      throw new CliError(EXIT.usage, 'the saved login can no longer be renewed: run hush login');
    }
    // The server is away for now: the access token may still carry this command.
    if (login.accessExpiresAt > now) return login;
    throw error;
  }
}

/**
 * A 401 from a signed-in call in words a person can act on (anything else is returned as it
 * came): which token failed, and what to do about it.
 */
export function sessionFailure(error: unknown, signedIn: Pick<SignedIn, 'fromEnv'>): unknown {
  if (!(error instanceof ApiError) || error.status !== 401) return error;
  return new CliError(
    EXIT.refused,
    signedIn.fromEnv
      ? 'HUSH_TOKEN is invalid, expired or revoked'
      : 'the saved login no longer works (its session was revoked or has ended): run hush login',
  );
}

/**
 * A 403 from a signed-in call: the token lacks `scope`, or its principal the right (anything else is
 * returned as it came).
 */
export function scopeFailure(error: unknown, scope: string): unknown {
  if (!(error instanceof ApiError) || error.status !== 403) return error;
  if (error.code === 'insufficient_scope') {
    return new CliError(EXIT.refused, `the token does not carry the scope this needs (${scope})`);
  }
  const said = error.message.replace(/\.$/, '');
  return new CliError(EXIT.refused, `not allowed: ${said} (${error.code})`);
}

function bind(server: string, token: string, fromEnv: boolean): SignedIn {
  const api: ApiCall = createApiCall(server, timedFetch);
  return {
    server,
    token,
    fromEnv,
    call: (method, path, body) => api(method, path, { body, bearer: token }),
  };
}
