import { ApiError } from '../client/api-call.js';
import { CliError, EXIT } from './cli-errors.js';
import { type CliIo, note } from './client-command.js';
import { readLogin, signIn } from './saved-login.js';

/** Who a share is made as: the token sent, and whether it is the saved login (not HUSH_TOKEN). */
interface Creator {
  readonly bearer: string | undefined;
  readonly saved: boolean;
}

const ANONYMOUS: Creator = { bearer: undefined, saved: false };
const FALLBACK =
  'shared anonymously: the saved login cannot make shares of its own (run hush login again to own them)';

/**
 * Makes a share as its creator, so that it is the caller's (listed and burned with `hush shares`,
 * and allowed where the server keeps sharing to signed-in accounts). The token is HUSH_TOKEN, else
 * the saved login when it is for this same server; none with `--anonymous` or nobody signed in.
 * A saved login that cannot share as its owner (ended, or made before the shares:write scope
 * existed) falls back to an anonymous share, said on stderr, unless the server requires sign-in;
 * HUSH_TOKEN, given on purpose, never falls back.
 */
export async function shareAsCreator<T>(
  io: CliIo,
  server: string,
  anonymous: boolean,
  send: (bearer: string | undefined) => Promise<T>,
): Promise<T> {
  const creator = anonymous ? ANONYMOUS : await creatorOf(io, server);
  try {
    return await send(creator.bearer);
  } catch (error) {
    if (!creator.saved || !cannotCreate(error)) throw creatorFailure(error, creator.bearer);
    try {
      const shared = await send(undefined);
      await note(io, FALLBACK);
      return shared;
    } catch (second) {
      // Signed-in sharing only: the login's own problem is the one to fix.
      throw creatorFailure(isCode(second, 'sign_in_required') ? error : second, undefined);
    }
  }
}

async function creatorOf(io: CliIo, server: string): Promise<Creator> {
  if (io.env.HUSH_TOKEN?.trim()) return { bearer: (await signIn(io, server)).token, saved: false };
  const saved = await readLogin(io.env);
  if (saved?.server !== server) return ANONYMOUS;
  try {
    return { bearer: (await signIn(io, server)).token, saved: true };
  } catch {
    // Past renewing: the share is made without it, and the first refusal says why if it must be.
    return { bearer: undefined, saved: false };
  }
}

const isCode = (error: unknown, code: string) => error instanceof ApiError && error.code === code;
const cannotCreate = (error: unknown) =>
  error instanceof ApiError && (error.code === 'insufficient_scope' || error.status === 401);

/**
 * A refused create in words a person can act on: the token lacks shares:write (made before hush
 * had that scope, or with --scope), it has ended, or the server takes shares only from signed-in
 * accounts. Anything else is returned as it came.
 */
export function creatorFailure(error: unknown, bearer: string | undefined): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === 'sign_in_required') {
    return new CliError(
      EXIT.refused,
      'this server takes shares only from signed-in accounts: run hush login first',
    );
  }
  if (bearer === undefined) return error;
  if (error.code === 'insufficient_scope') {
    return new CliError(
      EXIT.refused,
      'the token does not carry the shares:write scope (it was made before hush had it, or with --scope): run hush login again, or share with --anonymous',
    );
  }
  if (error.status === 401) {
    return new CliError(
      EXIT.refused,
      'the token no longer works: run hush login again, or share with --anonymous',
    );
  }
  return error;
}
