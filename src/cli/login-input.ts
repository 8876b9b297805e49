import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { CliError, EXIT } from './cli-errors.js';
import type { CliIo } from './client-command.js';
import { promptHidden } from './passphrase-input.js';

/** Far above any password, GitHub token or secret id: reading stops here instead of filling memory. */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * A credential `hush login` reads from stdin, never from an argument (the process list shows
 * those): the first line of a pipe (a trailing CR dropped, what follows unread), or, when stdin is a
 * terminal, asked without echo. `noun` names it in messages, never its text.
 */
export async function stdinCredential(io: CliIo, question: string, noun: string, hint: string) {
  const text = io.stdin.isTTY ? await promptHidden(question, hint, noun) : await firstLine(io, noun);
  if (text === '') throw new CliError(EXIT.usage, `no ${noun} given`);
  return text;
}

async function firstLine(io: CliIo, noun: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of io.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      const end = buffer.indexOf(0x0a);
      chunks.push(end === -1 ? buffer : buffer.subarray(0, end));
      size += buffer.length;
      if (end !== -1) break;
      if (size > MAX_LINE_BYTES) throw new CliError(EXIT.usage, `the ${noun} on standard input is too long`);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(EXIT.local, `cannot read standard input (${(error as NodeJS.ErrnoException).code})`);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
}

/**
 * One line typed on the controlling terminal, echoed (a username, not a secret). Ctrl-C or Ctrl-D
 * cancels. Without a terminal it is a usage error with the command's own advice.
 */
export async function promptVisible(question: string, noTerminalHint: string, noun: string): Promise<string> {
  let readFd: number;
  let writeFd: number;
  try {
    readFd = openSync('/dev/tty', 'r');
    writeFd = openSync('/dev/tty', 'w');
  } catch {
    throw new CliError(EXIT.usage, `no terminal to ask for the ${noun} on: ${noTerminalHint}`);
  }
  const input = new ReadStream(readFd);
  const output = new WriteStream(writeFd);
  const lines = createInterface({ input, output, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      let answered = false;
      const cancel = () => {
        if (answered) return;
        // Ends the prompt's line, so the message after it starts on its own.
        output.write('\n');
        reject(new CliError(EXIT.cancelled, 'cancelled'));
      };
      lines.once('SIGINT', cancel);
      lines.once('close', cancel);
      lines.question(question, (answer) => {
        answered = true;
        resolve(answer.trim());
      });
    });
  } finally {
    lines.close();
    input.destroy();
    output.destroy();
    for (const fd of [readFd, writeFd]) {
      try {
        closeSync(fd);
      } catch {
        // Already closed with its stream.
      }
    }
  }
}
