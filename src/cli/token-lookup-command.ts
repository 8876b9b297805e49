import {
  CLIENT_OPTIONS,
  type CliIo,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { DEFAULT_SERVER, resolveServer } from './share-client.js';
import { openTokenApi, type TokenInfo, tokenFailure } from './token-api.js';
import { tokenInput } from './token-input.js';

export const TOKEN_LOOKUP_USAGE = `usage: hush token lookup [options] [-]
  Shows what an access token is: its account, scopes, expiry, uses left and the networks it is
  bound to. Never the token itself. The token comes from HUSH_TOKEN, or from stdin with -.
  Each lookup is a request made with the token: it spends one use of a token with --max-uses.

  --server <url>   the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json           print the API's lookup-self answer as JSON
  -h, --help       this help
`;

/** `hush token lookup`: returns the exit code. */
export function runTokenLookupCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('token lookup', args, CLIENT_OPTIONS, [0, 1]);
    if (values.help) return write(io.stdout, TOKEN_LOOKUP_USAGE);
    const api = openTokenApi(resolveServer(values.server, io.env, DEFAULT_SERVER));
    const token = await tokenInput(positionals[0], io, 'access', true);
    const info = await api
      .lookupSelf(token)
      .catch((error: unknown) => Promise.reject(tokenFailure(error, 'the token is not valid')));
    await write(io.stdout, values.json ? `${JSON.stringify(info)}\n` : describe(info));
  });
}

function describe(info: TokenInfo): string {
  const { user } = info;
  const scopes = info.scopes.join(' ');
  const cidrs = info.bound_cidrs?.join(' ') ?? 'any address';
  const lines = [
    `user:        ${user.username} (${user.role})`,
    `scopes:      ${scopes}`,
    `expires:     ${info.expires_at}`,
    `session end: ${info.session_expires_at}`,
    `uses left:   ${info.uses_left ?? 'unlimited'}`,
    `bound to:    ${cidrs}`,
    `session:     ${info.session_id}`,
    `token id:    ${info.token_id}`,
  ];
  return `${lines.join('\n')}\n`;
}
