import { createApiCall } from '../client/api-call.js';
import { CliError } from './cli-errors.js';
import { type CliIo, note, parseCommandArgs, processIo, runClient, write } from './client-command.js';
import { forgetLogin, loginPath, readLogin, type SavedLogin } from './saved-login.js';
import { timedFetch } from './share-client.js';

export const LOGOUT_USAGE = `usage: hush logout [options]
  Ends the saved login's session on its server (every token of it stops working) and removes the
  saved login. A session already over is fine; when the server cannot be reached, the saved login
  is removed all the same, with a warning. HUSH_TOKEN is not touched: end its session with
  hush token revoke.

  --json       print {"signed_out":true,"revoked":true|false}
  -h, --help   this help
`;

const OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * Revokes the saved session: with its refresh token when it has one (it outlives the access
 * token, so it still names the session after the access token expired). Resolves with the
 * reason it failed, or undefined once the server has ended it.
 */
export async function endSession(login: SavedLogin, fetchImpl = timedFetch): Promise<string | undefined> {
  const api = createApiCall(login.server, fetchImpl);
  try {
    await api('POST', '/api/v1/token/revoke', {
      body: { revoke_token: login.refreshToken ?? login.accessToken },
    });
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/\.$/, '');
  }
}

/** `hush logout`: returns the exit code. */
export function runLogoutCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values } = parseCommandArgs('logout', args, OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, LOGOUT_USAGE);
    const login = await readLogin(io.env).catch(async (error: unknown) => {
      // A damaged file holds nothing usable to revoke with: removing it is all logout can do.
      if (!(error instanceof CliError)) throw error;
      await note(io, `${loginPath(io.env)} could not be read: removed without ending its session`);
      return null;
    });
    const failure = login ? await endSession(login) : undefined;
    await forgetLogin(io.env);
    if (values.json) {
      const result = { signed_out: login !== undefined, revoked: login ? failure === undefined : false };
      return write(io.stdout, `${JSON.stringify(result)}\n`);
    }
    if (login === undefined) return note(io, 'not signed in: nothing to do');
    if (login === null) return;
    if (failure === undefined) return note(io, `signed out of ${login.server}: the session has ended`);
    await note(
      io,
      `warning: the session could not be ended on ${login.server} (${failure}); the saved login is ` +
        'removed, but its session lives on until it expires',
    );
  });
}
