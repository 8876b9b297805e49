import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ReadStream } from 'node:tty';
import { CliError, EXIT } from './cli-errors.js';

/**
 * Passphrases come from the terminal (without echo) or from a file, never from an argument or
 * the environment, where other users and child processes can see them. Account passwords too:
 * `noun` names which it is in messages.
 */
export async function readPassphraseFile(path: string, noun = 'passphrase'): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(EXIT.local, `cannot read the ${noun} file ${path} (${code})`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new CliError(EXIT.usage, `the ${noun} file ${path} is empty`);
  return passphrase;
}

/** Asks on the controlling terminal (/dev/tty), so it works while stdin and stdout are piped. */
export async function promptHidden(
  question: string,
  noTerminalHint: string,
  noun = 'passphrase',
): Promise<string> {
  let readFd: number;
  let writeFd: number;
  try {
    readFd = openSync('/dev/tty', 'r');
    writeFd = openSync('/dev/tty', 'w');
  } catch {
    throw new CliError(EXIT.usage, `no terminal to ask for the ${noun} on: ${noTerminalHint}`);
  }
  const input = new ReadStream(readFd);
  try {
    // Raw mode first: a key typed as soon as the question shows must not be echoed.
    input.setRawMode(true);
    input.setEncoding('utf8');
    writeSync(writeFd, question);
    return await readLine(input);
  } finally {
    input.setRawMode(false);
    input.destroy();
    writeSync(writeFd, '\n');
    closeSync(writeFd);
  }
}

/** One line typed in raw mode: Enter ends it, Backspace edits it, Ctrl-C or Ctrl-D cancels. */
function readLine(input: ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let line = '';
    // Arrow keys and the like arrive as escape sequences (ESC [ … final byte): none of it is typed
    // text, and keeping the tail ("[D") would give a passphrase other than the one meant.
    let inEscape: 'none' | 'start' | 'sequence' = 'none';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (inEscape === 'start') {
          inEscape = char === '[' || char === 'O' ? 'sequence' : 'none';
          continue;
        }
        if (inEscape === 'sequence') {
          if (char >= '@' && char <= '~') inEscape = 'none';
          continue;
        }
        if (char === '\u001b') {
          inEscape = 'start';
          continue;
        }
        if (char === '\r' || char === '\n') return finish(() => resolve(line));
        if (char === '\u0003' || (char === '\u0004' && line === '')) {
          return finish(() => reject(new CliError(EXIT.cancelled, 'cancelled')));
        }
        if (char === '\u007f' || char === '\b') line = [...line].slice(0, -1).join('');
        else if (char >= ' ') line += char;
      }
    };
    input.on('data', onData);
  });
}

export interface PassphraseSource {
  readonly file: string | undefined;
  /** What to do when there is no terminal (the command's own advice). */
  readonly noTerminalHint: string;
}

/** The passphrase of an existing share: from the file, else asked once. */
export async function existingPassphrase(source: PassphraseSource): Promise<string> {
  if (source.file !== undefined) return readPassphraseFile(source.file);
  const passphrase = await promptHidden('Passphrase: ', source.noTerminalHint);
  if (passphrase === '') throw new CliError(EXIT.usage, 'no passphrase given');
  return passphrase;
}

/** A new share's passphrase: from the file, else asked twice (they must match). */
export async function newPassphrase(source: PassphraseSource): Promise<string> {
  if (source.file !== undefined) return readPassphraseFile(source.file);
  const first = await promptHidden('Passphrase for the secret: ', source.noTerminalHint);
  if (first === '') throw new CliError(EXIT.usage, 'no passphrase given');
  const second = await promptHidden('Repeat the passphrase: ', source.noTerminalHint);
  if (first !== second) throw new CliError(EXIT.usage, 'the passphrases do not match');
  return first;
}
