import { EXIT } from './cli-errors.js';
import { type CliIo, note, processIo, write } from './client-command.js';
import { DEFAULT_SERVER } from './share-client.js';
import { unknownCommandMessage } from './suggest.js';
import { runTokenCreateCommand } from './token-create-command.js';
import { runTokenLookupCommand } from './token-lookup-command.js';
import { runTokenRenewCommand } from './token-renew-command.js';
import { runTokenRevokeCommand } from './token-revoke-command.js';

export const TOKEN_USAGE = `usage: hush token create|lookup|revoke|renew [options]
  Access tokens for the secret store's API, from a running server (--server, else HUSH_URL, else
  ${DEFAULT_SERVER}). Tokens are never taken as arguments, which the process list shows.

  create --username <name>   sign in (password asked without echo, or --password-file); prints
                             the access token
  lookup [-]                 the account, scopes, expiry and limits of HUSH_TOKEN (or stdin's token)
  revoke [-]                 end the session of HUSH_TOKEN (or stdin's access or refresh token)
  renew [-]                  trade stdin's refresh token for a new access and refresh token

  hush token <action> --help shows an action's options.
`;

type Run = (args: readonly string[], io: CliIo) => Promise<number>;
const ACTIONS: Record<string, Run> = {
  create: runTokenCreateCommand,
  lookup: runTokenLookupCommand,
  revoke: runTokenRevokeCommand,
  renew: runTokenRenewCommand,
};

/** `hush token <action>`: returns the exit code. */
export async function runTokenCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    await write(io.stdout, TOKEN_USAGE);
    return EXIT.ok;
  }
  const run = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (run) return run(rest, io);
  if (action !== undefined) {
    await write(io.stderr, unknownCommandMessage(action, Object.keys(ACTIONS), 'token'));
    return EXIT.usage;
  }
  await note(io, 'which action?');
  await write(io.stderr, TOKEN_USAGE);
  return EXIT.usage;
}
