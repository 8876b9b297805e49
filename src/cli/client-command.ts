import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, type ErrorWording, EXIT, toCliError } from './cli-errors.js';

/** The streams and environment a client command uses (the process's, or stand-ins). */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

export const processIo = (): CliIo => ({
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every client command takes. */
export const CLIENT_OPTIONS = {
  server: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies OptionsConfig;

/** Parses a command's flags and checks it got `positionals` arguments (a range: [min, max]). */
export function parseCommandArgs<O extends OptionsConfig>(
  command: string,
  args: readonly string[],
  options: O,
  positionals: readonly [number, number],
) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs names the flag, never a value worth hiding.
    throw new CliError(EXIT.usage, `${(error as Error).message} (see hush ${command} --help)`);
  }
  const count = parsed.positionals.length;
  if (!(parsed.values as { help?: boolean }).help && (count < positionals[0] || count > positionals[1])) {
    throw new CliError(EXIT.usage, `wrong number of arguments (see hush ${command} --help)`);
  }
  return parsed;
}

/** Writes all of `text`, resolving once the stream took it; a closed stream is a local failure. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = () => reject(new CliError(EXIT.local, 'cannot write the output (the stream is closed)'));
    stream.once('error', fail);
    stream.write(text, (error) => {
      stream.off('error', fail);
      if (error) fail();
      else resolve();
    });
  });
}

/** A `hush: …` line on stderr. */
export const note = (io: CliIo, text: string) => write(io.stderr, `hush: ${text}\n`);

/**
 * Runs one client command: its failures become a `hush: …` line on stderr and an exit code
 * (cli-errors.ts), never a stack trace. Returns the exit code.
 */
export async function runClient(
  io: CliIo,
  wording: ErrorWording,
  body: () => Promise<void>,
): Promise<number> {
  try {
    await body();
    return EXIT.ok;
  } catch (error) {
    const failure = toCliError(error, wording);
    await write(io.stderr, `hush: ${failure.message}\n`).catch(() => undefined);
    return failure.exitCode;
  }
}

/** Links longer than this are not ours; a bound keeps a stray pipe from filling memory. */
const MAX_LINK_CHARS = 4096;

/**
 * A link argument; `-` reads it from stdin instead, so the key after `#` stays out of the shell
 * history and the process list (any local user can read another's command line).
 */
export async function linkArgument(text: string, io: CliIo): Promise<string> {
  if (text !== '-') return text;
  let read = '';
  for await (const chunk of io.stdin) {
    read += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (read.length > MAX_LINK_CHARS) throw new CliError(EXIT.usage, 'stdin holds more than one link');
  }
  const link = read.trim();
  if (link === '') throw new CliError(EXIT.usage, 'no link on stdin');
  return link;
}
