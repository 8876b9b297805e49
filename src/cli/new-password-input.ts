import { CliError, EXIT } from './cli-errors.js';
import { promptHidden, readPassphraseFile } from './passphrase-input.js';

/** Far above any password the account rules allow: reading stops here instead of filling memory. */
const MAX_LINE_BYTES = 64 * 1024;
const NO_TERMINAL = 'pipe the password in (… | hush user create …) or use --password-file <path>';

/**
 * A new account's password, never from an argument: the file, else asked twice without echo when
 * stdin is a terminal (they must match), else the first line of stdin (`printf '%s\n' "$PW" | …`).
 */
export async function newAccountPassword(
  file: string | undefined,
  username: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  if (file !== undefined) return readPassphraseFile(file, 'password');
  if (stdin.isTTY) {
    const first = await promptHidden(`Password for ${username}: `, NO_TERMINAL, 'password');
    if (first === '') throw new CliError(EXIT.usage, 'no password given');
    const second = await promptHidden('Repeat the password: ', NO_TERMINAL, 'password');
    if (first !== second) throw new CliError(EXIT.usage, 'the passwords do not match; nothing was created');
    return first;
  }
  const line = await firstLine(stdin);
  if (line === '') throw new CliError(EXIT.usage, `no password on standard input: ${NO_TERMINAL}`);
  return line;
}

/** Stdin up to its first newline (a trailing CR dropped); what follows is not read. */
async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const end = buffer.indexOf(0x0a);
    chunks.push(end === -1 ? buffer : buffer.subarray(0, end));
    size += buffer.length;
    if (end !== -1) break;
    if (size > MAX_LINE_BYTES) throw new CliError(EXIT.usage, 'the password on standard input is too long');
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
}
