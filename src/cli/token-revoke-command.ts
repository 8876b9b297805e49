import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { DEFAULT_SERVER, resolveServer } from './share-client.js';
import { openTokenApi, tokenFailure } from './token-api.js';
import { tokenInput } from './token-input.js';

export const TOKEN_REVOKE_USAGE = `usage: hush token revoke [options] [-]
  Ends the session of an access or refresh token: every token of that session stops working.
  The token comes from HUSH_TOKEN, or from stdin with - (a refresh token, say). The server answers
  the same for a token it does not know, so this says nothing about whether it was valid.

  --server <url>   the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json           print {"revoked":true}
  -h, --help       this help
`;

/** `hush token revoke`: returns the exit code. */
export function runTokenRevokeCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('token revoke', args, CLIENT_OPTIONS, [0, 1]);
    if (values.help) return write(io.stdout, TOKEN_REVOKE_USAGE);
    const api = openTokenApi(resolveServer(values.server, io.env, DEFAULT_SERVER));
    const token = await tokenInput(positionals[0], io, 'any', true);
    await api.revoke(token).catch((error: unknown) => Promise.reject(tokenFailure(error, 'not revoked')));
    if (values.json) return write(io.stdout, '{"revoked":true}\n');
    await note(io, 'revoked: the session of this token has ended');
  });
}
