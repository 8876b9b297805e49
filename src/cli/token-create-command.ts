import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { parseCount, parseDuration } from './duration.js';
import { DEFAULT_SERVER, resolveServer } from './share-client.js';
import { openTokenApi, tokenFailure } from './token-api.js';
import { accountPassword } from './token-input.js';

export const TOKEN_CREATE_USAGE = `usage: hush token create --username <name> [options]
  Signs in with the account's password (asked on the terminal without echo, or --password-file)
  and prints the new access token on stdout. Keep it out of arguments: pass it on with HUSH_TOKEN.

  --username <name>         the account
  --password-file <path>    read the password from a file (one trailing newline is dropped)
  --scope <scopes>          space-separated: secrets:read secrets:write admin (default: all the
                            account's role allows)
  --ttl <duration>          the access token's lifetime: 3600, 30m, 1h, 2d (server default and limit)
  --max-ttl <duration>      the session's lifetime, renewals included
  --max-uses <n>            requests the token allows (1 = one-time; such a session has no refresh token)
  --bind-ip                 the token works only from this client's address, as the server sees it
  --cidr <network>          the token works only from this network, e.g. 10.0.0.0/8 (repeatable)
  --server <url>            the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json                    print the token response: {access_token, token_type, expires_in,
                            refresh_token (unless --max-uses), refresh_expires_in, scope, session_id}
  -h, --help                this help

  export HUSH_TOKEN=$(hush token create --username alice --ttl 1h)
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  username: { type: 'string' },
  'password-file': { type: 'string' },
  scope: { type: 'string' },
  ttl: { type: 'string' },
  'max-ttl': { type: 'string' },
  'max-uses': { type: 'string' },
  'bind-ip': { type: 'boolean', default: false },
  cidr: { type: 'string', multiple: true },
} as const;

const durationFlag = (flag: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined)
    throw new CliError(EXIT.usage, `${flag} must be a duration like 3600, 30m, 1h or 2d`);
  return seconds;
};

/** `hush token create`: returns the exit code. */
export function runTokenCreateCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values } = parseCommandArgs('token create', args, OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, TOKEN_CREATE_USAGE);
    const username = values.username?.trim();
    if (!username) throw new CliError(EXIT.usage, '--username is needed (see hush token create --help)');
    const maxUses = values['max-uses'] === undefined ? undefined : parseCount(values['max-uses']);
    if (values['max-uses'] !== undefined && maxUses === undefined) {
      throw new CliError(EXIT.usage, '--max-uses must be a whole number of at least 1');
    }
    const grant = {
      username,
      scope: values.scope,
      ttl_seconds: durationFlag('--ttl', values.ttl),
      max_ttl_seconds: durationFlag('--max-ttl', values['max-ttl']),
      max_uses: maxUses,
      bind_ip: values['bind-ip'] || undefined,
      bound_cidrs: values.cidr,
    };
    const api = openTokenApi(resolveServer(values.server, io.env, DEFAULT_SERVER));
    const password = await accountPassword(values['password-file'], username);
    const issued = await api
      .create({ ...grant, password })
      .catch((error: unknown) => Promise.reject(tokenFailure(error, 'wrong username or password')));
    if (typeof issued.access_token !== 'string') {
      throw new CliError(EXIT.refused, 'the server did not answer like a hush server');
    }
    if (values.json) return write(io.stdout, `${JSON.stringify(issued)}\n`);
    await write(io.stdout, `${issued.access_token}\n`);
    const renewal =
      issued.refresh_token === undefined ? 'not renewable' : '--json also prints the refresh token';
    await note(
      io,
      `signed in as ${username}: scope ${issued.scope}, expires in ${issued.expires_in} s; ${renewal}`,
    );
  });
}
