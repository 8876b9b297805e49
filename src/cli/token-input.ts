import { CliError, EXIT } from './cli-errors.js';
import type { CliIo } from './client-command.js';
import { promptHidden, readPassphraseFile } from './passphrase-input.js';

/** Far above a hush token (72 chars); a bound keeps a stray pipe from filling memory. */
const MAX_TOKEN_CHARS = 4096;
/** What an HTTP header can carry: anything else would make fetch quote the token in its error. */
const TOKEN_TEXT = /^[\x21-\x7e]{1,512}$/;
const PREFIX = { access: 'hush_at_', refresh: 'hush_rt_' } as const;

export type TokenKind = keyof typeof PREFIX | 'any';

/** An account's password: from the file, else asked once on the terminal without echo. */
export async function accountPassword(file: string | undefined, username: string): Promise<string> {
  if (file !== undefined) return readPassphraseFile(file, 'password');
  const password = await promptHidden(`Password for ${username}: `, 'use --password-file <path>', 'password');
  if (password === '') throw new CliError(EXIT.usage, 'no password given');
  return password;
}

/**
 * A token from HUSH_TOKEN (no argument) or from stdin (`-`), never from an argument: any local
 * user can read another's command line. On a terminal, `-` asks for it without echo.
 */
export async function tokenInput(
  argument: string | undefined,
  io: CliIo,
  kind: TokenKind,
  fromEnv: boolean,
): Promise<string> {
  if (argument !== undefined && argument !== '-') {
    throw new CliError(
      EXIT.usage,
      'a token is never taken as an argument (the process list shows it): use - to read it from stdin' +
        (fromEnv ? ', or set HUSH_TOKEN' : ''),
    );
  }
  let token: string;
  if (argument === '-') token = await stdinToken(io, kind === 'refresh' ? 'Refresh token: ' : 'Token: ');
  else if (fromEnv && io.env.HUSH_TOKEN) token = io.env.HUSH_TOKEN.trim();
  else throw new CliError(EXIT.usage, 'no token: set HUSH_TOKEN, or give - and pipe the token in');
  return checked(token, kind, argument === '-' ? 'stdin' : 'HUSH_TOKEN');
}

async function stdinToken(io: CliIo, question: string): Promise<string> {
  if (io.stdin.isTTY) return promptHidden(question, 'pipe the token in', 'token');
  let read = '';
  try {
    for await (const chunk of io.stdin) {
      read += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (read.length > MAX_TOKEN_CHARS) throw new CliError(EXIT.usage, 'stdin holds more than one token');
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(EXIT.local, `cannot read standard input (${(error as NodeJS.ErrnoException).code})`);
  }
  return read.trim();
}

/** Refuses what cannot be the token asked for, naming where it came from but never its text. */
function checked(token: string, kind: TokenKind, source: string): string {
  if (token === '') throw new CliError(EXIT.usage, `no token on ${source}`);
  if (!TOKEN_TEXT.test(token)) throw new CliError(EXIT.usage, `${source} does not hold a hush token`);
  if (kind === 'any' || token.startsWith(PREFIX[kind])) return token;
  const other = kind === 'access' ? 'refresh' : 'access';
  if (token.startsWith(PREFIX[other])) {
    const article = other === 'access' ? 'an' : 'a';
    throw new CliError(EXIT.usage, `${source} holds ${article} ${other} token; this needs the ${kind} token`);
  }
  throw new CliError(EXIT.usage, `${source} does not hold a hush ${kind} token (${PREFIX[kind]}…)`);
}
