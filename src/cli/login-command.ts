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
import { parseDuration } from './duration.js';
import { type LoginGrant, signedInAs, signInWith } from './login-grants.js';
import { promptVisible, stdinCredential } from './login-input.js';
import { endSession } from './logout-command.js';
import { promptHidden } from './passphrase-input.js';
import { readLogin, type SavedLogin, saveLogin } from './saved-login.js';
import { DEFAULT_SERVER, resolveServer } from './share-client.js';

export const LOGIN_USAGE = `usage: hush login [options]
  Signs in to a hush server and saves the session in $HUSH_CONFIG_DIR/credentials.json (else
  $XDG_CONFIG_HOME/hush, else ~/.config/hush; mode 0600). Later commands (secret, policy, …) use
  it and renew it while its session allows; HUSH_TOKEN, when set, wins over it. Tokens are never
  printed, and credentials are never taken as arguments (the process list shows those).

  --username <name>       the account (asked on a terminal when missing)
  --password-stdin        read the password from stdin's first line (else asked without echo)
  --github-token-stdin    sign in with a GitHub token (read:org scope) read from stdin
  --role-id <id>          sign in as a machine: its role id here, its secret id on stdin
  --scope <scopes>        password sign-in: secrets:read secrets:write admin (default: all the
                          account's role allows)
  --ttl <duration>        password sign-in: each access token's lifetime (renewed when it ends)
  --max-ttl <duration>    password sign-in: the session's lifetime, renewals included
  --server <url>          the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json                  print {server, kind, name, role, scope, expires_at, refresh_expires_at,
                          session_id, saved_in} (never a token)
  -h, --help              this help

  hush login --server https://hush.example.com --username alice
  printf '%s\\n' "$SECRET_ID" | hush login --role-id "$ROLE_ID"
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  username: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  'github-token-stdin': { type: 'boolean', default: false },
  'role-id': { type: 'string' },
  scope: { type: 'string' },
  ttl: { type: 'string' },
  'max-ttl': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

/** `hush login`: returns the exit code. */
export function runLoginCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    refuseCredentialFlags(args);
    const { values } = parseCommandArgs('login', args, OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, LOGIN_USAGE);
    const server = resolveServer(values.server, io.env, DEFAULT_SERVER);
    const grant = await grantOf(values, io);
    const started = Date.now();
    const issued = await signInWith(server, grant);
    if (typeof issued.access_token !== 'string' || !Number.isInteger(issued.expires_in)) {
      throw new CliError(EXIT.refused, `${server} did not answer like a hush server`);
    }
    const who = await signedInAs(server, grant, issued);
    const login: SavedLogin = {
      server,
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      // Counted from before the request, so the saved expiry is never later than the server's.
      accessExpiresAt: started + issued.expires_in * 1000,
      refreshExpiresAt:
        issued.refresh_expires_in === undefined ? undefined : started + issued.refresh_expires_in * 1000,
      principal: who.name === undefined ? undefined : { kind: who.kind, name: who.name },
    };
    const previous = await readLogin(io.env).catch(() => undefined);
    const path = await saveLogin(io.env, login);
    // The replaced login's tokens are gone from this machine: end its session rather than orphan it.
    if (previous && previous.accessToken !== login.accessToken) {
      const failure = await endSession(previous, quickFetch);
      if (failure)
        await note(io, `the previous login's session on ${previous.server} was not ended (${failure})`);
    }
    if (io.env.HUSH_TOKEN?.trim()) await note(io, 'HUSH_TOKEN is set: commands use it, not this login');
    if (values.json) {
      const result = {
        server,
        kind: who.kind,
        name: who.name ?? null,
        role: who.role ?? null,
        scope: issued.scope,
        expires_at: new Date(login.accessExpiresAt).toISOString(),
        refresh_expires_at: login.refreshExpiresAt && new Date(login.refreshExpiresAt).toISOString(),
        session_id: issued.session_id,
        saved_in: path,
      };
      return write(io.stdout, `${JSON.stringify(result)}\n`);
    }
    const counted = who.countedUses
      ? ': the token has counted uses (each request spends one) and is not renewed'
      : '';
    await note(io, `signed in to ${server} as ${who.label}${counted}`);
  });
}

/** `--password hunter2` is a natural guess: answer it with the way that keeps the value private. */
function refuseCredentialFlags(args: readonly string[]): void {
  const guessed = args
    .map((arg) => /^--(password|github-token|secret-id)(?:=|$)/.exec(arg)?.[1])
    .find(Boolean);
  if (guessed === undefined) return;
  const instead =
    guessed === 'secret-id' ? '--role-id <id> with the secret id on stdin' : `--${guessed}-stdin`;
  throw new CliError(
    EXIT.usage,
    `--${guessed} is not taken as an argument (the process list shows arguments): use ${instead}`,
  );
}

/** Which grant the flags ask for, with its credentials read (never from argv). */
async function grantOf(values: Values, io: CliIo): Promise<LoginGrant> {
  const chosen = [values['password-stdin'], values['github-token-stdin'], values['role-id'] !== undefined];
  if (chosen.filter(Boolean).length > 1) {
    throw new CliError(EXIT.usage, 'choose one of --password-stdin, --github-token-stdin and --role-id');
  }
  const passwordOnly = (['username', 'scope', 'ttl', 'max-ttl'] as const).find(
    (flag) => values[flag] !== undefined,
  );
  if (passwordOnly && (chosen[1] || chosen[2])) {
    throw new CliError(EXIT.usage, `--${passwordOnly} is for password sign-in only`);
  }
  if (values['github-token-stdin']) {
    const githubToken = await stdinCredential(io, 'GitHub token: ', 'GitHub token', 'pipe the token in');
    return { kind: 'github', githubToken };
  }
  const roleId = values['role-id']?.trim();
  if (roleId !== undefined) {
    if (roleId === '') throw new CliError(EXIT.usage, '--role-id is empty');
    const secretId = (await stdinCredential(io, 'Secret ID: ', 'secret id', 'pipe the secret id in')).trim();
    return { kind: 'machine', roleId, secretId };
  }
  const username = values.username?.trim() || (await askUsername(values, io));
  const password = values['password-stdin']
    ? await stdinCredential(io, `Password for ${username}: `, 'password', 'pipe the password in')
    : await promptHidden(`Password for ${username}: `, 'use --password-stdin', 'password');
  if (password === '') throw new CliError(EXIT.usage, 'no password given');
  return {
    kind: 'password',
    username,
    password,
    scope: values.scope,
    ttl_seconds: durationFlag('--ttl', values.ttl),
    max_ttl_seconds: durationFlag('--max-ttl', values['max-ttl']),
  };
}

/** Asked only in an interactive session: a script must say who it signs in as. */
async function askUsername(values: Values, io: CliIo): Promise<string> {
  if (!io.stdin.isTTY || values['password-stdin']) {
    throw new CliError(EXIT.usage, '--username is needed (see hush login --help)');
  }
  const username = await promptVisible('Username: ', 'use --username <name>', 'username');
  if (username === '') throw new CliError(EXIT.usage, 'no username given');
  return username;
}

function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined)
    throw new CliError(EXIT.usage, `${flag} must be a duration like 3600, 30m, 1h or 2d`);
  return seconds;
}

/** Ending a replaced session is a courtesy: it must not hold up a sign-in that already worked. */
const quickFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, { ...init, signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const { name, cause } = error as { name?: string; cause?: { code?: string } };
    throw new Error(name === 'TimeoutError' ? 'no answer within 5 s' : (cause?.code ?? 'unreachable'));
  }
};
