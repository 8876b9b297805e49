import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { DEFAULT_SERVER, resolveServer } from './share-client.js';
import { openTokenApi, tokenFailure } from './token-api.js';
import { tokenInput } from './token-input.js';

export const TOKEN_RENEW_USAGE = `usage: hush token renew [options] [-]
  Trades a refresh token, read from stdin, for new tokens. The refresh token given is used up:
  prints the new access token, then the new refresh token, one per line. Presenting a used-up
  refresh token again revokes the whole session.

  --server <url>   the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json           print the token response (as hush token create --json)
  -h, --help       this help

  { read -r HUSH_TOKEN; read -r refresh; } < <(hush token renew < refresh-token-file)
`;

const REFRESH_REFUSED = 'the refresh token is invalid, expired, already used or revoked';

/** `hush token renew`: returns the exit code. */
export function runTokenRenewCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('token renew', args, CLIENT_OPTIONS, [0, 1]);
    if (values.help) return write(io.stdout, TOKEN_RENEW_USAGE);
    const api = openTokenApi(resolveServer(values.server, io.env, DEFAULT_SERVER));
    // HUSH_TOKEN holds an access token: the refresh token only ever comes from stdin.
    const refreshToken = await tokenInput(positionals[0] ?? '-', io, 'refresh', false);
    const issued = await api
      .renew(refreshToken)
      .catch((error: unknown) => Promise.reject(tokenFailure(error, REFRESH_REFUSED)));
    if (typeof issued.access_token !== 'string' || typeof issued.refresh_token !== 'string') {
      throw new CliError(EXIT.refused, 'the server did not answer like a hush server');
    }
    if (values.json) return write(io.stdout, `${JSON.stringify(issued)}\n`);
    await write(io.stdout, `${issued.access_token}\n${issued.refresh_token}\n`);
  });
}
