import { createReadStream } from 'node:fs';
import { CliError, EXIT } from './cli-errors.js';
import { type CliIo, note } from './client-command.js';
import { formatBytes, type Progress } from './progress.js';

/** Far above any server's limit (1 MiB at most): reading stops here instead of filling memory. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/**
 * The text to share, exactly as given (a trailing newline and a BOM are kept), from a file or
 * stdin (`-` or no argument). With no argument an interactive stdin is refused with a hint, so
 * `hush share` never sits waiting silently; `hush share -` reads the terminal until Ctrl-D.
 */
export async function readSecretInput(
  source: string | undefined,
  io: CliIo,
  progress: Progress,
): Promise<string> {
  if (source === undefined && io.stdin.isTTY) {
    throw new CliError(
      EXIT.usage,
      'nothing to share: pipe the secret in (… | hush share), name a file, or run `hush share -` to type it',
    );
  }
  if ((source === undefined || source === '-') && io.stdin.isTTY) {
    await note(io, 'type the secret, then press Ctrl-D on an empty line');
  }
  const stream = source === undefined || source === '-' ? io.stdin : createReadStream(source);
  const bytes = await readAll(stream, source ?? '-', progress);
  if (bytes.length === 0) throw new CliError(EXIT.usage, 'nothing to share: the input is empty');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CliError(
      EXIT.usage,
      'the input is not UTF-8 text; shares hold text (encode binary data first, e.g. with base64)',
    );
  }
}

async function readAll(stream: NodeJS.ReadableStream, name: string, progress: Progress): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) {
        throw new CliError(
          EXIT.refused,
          `the input is larger than ${formatBytes(MAX_INPUT_BYTES)}: too large to share`,
        );
      }
      chunks.push(buffer);
      progress.update(`reading ${formatBytes(size)}`);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(EXIT.local, `cannot read ${name === '-' ? 'standard input' : name} (${code})`);
  }
  return Buffer.concat(chunks);
}
