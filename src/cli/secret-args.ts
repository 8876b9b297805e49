import { readFile } from 'node:fs/promises';
import { MAX_NAME_LENGTH } from '../secrets/secret-limits.js';
import { isSecretName } from '../secrets/secret-validation.js';
import { CliError, EXIT } from './cli-errors.js';
import { type CliIo, note } from './client-command.js';
import { MAX_INPUT_BYTES } from './read-input.js';

const NAME_RULE =
  `up to ${MAX_NAME_LENGTH} characters: segments of letters, digits, ".", "_" and "-" separated by "/"` +
  ' (none empty, "." or "..")';

/** A secret name argument, as the server will take it; refused here so it never shapes a URL. */
export function secretName(text: string | undefined): string {
  if (text === undefined || !isSecretName(text)) {
    throw new CliError(EXIT.usage, `not a secret name (names are ${NAME_RULE}), e.g. apps/billing/db`);
  }
  return text;
}

/** `hush secret list`'s folder: '' for the top, else the prefix with one trailing '/'. */
export function folderArgument(text: string | undefined): string {
  const trimmed = (text ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!isSecretName(trimmed)) throw new CliError(EXIT.usage, `not a folder (folder names are ${NAME_RULE})`);
  return `${trimmed}/`;
}

/** `--versions 1,3,4`: whole numbers from 1, each once, in ascending order. */
export function versionList(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const versions = parts.map(Number);
  if (parts.some((part) => !/^\d+$/.test(part)) || versions.some((v) => v < 1 || !Number.isSafeInteger(v))) {
    throw new CliError(EXIT.usage, '--versions must be version numbers separated by commas, e.g. 1,3');
  }
  return [...new Set(versions)].sort((a, b) => a - b);
}

/** A whole number from `min`, for flags such as `--cas 0` and `--max-versions 10`. */
export function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new CliError(EXIT.usage, `${flag} must be a whole number of at least ${min}`);
  }
  return n;
}

/**
 * The data `hush secret put` stores: `KEY=VALUE` (the value on the command line), `KEY=@path` (a
 * file's content, byte for byte: a trailing newline is kept), and `-`: a JSON object of strings
 * on stdin. A key given twice is refused, whichever way it came. Messages name keys and files,
 * never a value, nor an argument that might be one.
 */
export async function secretData(items: readonly string[], io: CliIo): Promise<Record<string, string>> {
  if (items.length === 0) {
    throw new CliError(
      EXIT.usage,
      'nothing to store: give KEY=VALUE, KEY=@file or - (see hush secret put --help)',
    );
  }
  if (items.filter((item) => item === '-').length > 1) throw new CliError(EXIT.usage, '- can be given once');
  // A Map, then fromEntries: a key such as "__proto__" stays a key, never the object's prototype.
  const data = new Map<string, string>();
  const add = (key: string, value: string) => {
    if (data.has(key)) throw new CliError(EXIT.usage, `the key ${JSON.stringify(key)} is given twice`);
    data.set(key, value);
  };
  for (const [index, item] of items.entries()) {
    if (item === '-') {
      for (const [key, value] of Object.entries(await stdinObject(io))) add(key, value);
      continue;
    }
    const equals = item.indexOf('=');
    if (equals < 1) {
      throw new CliError(
        EXIT.usage,
        `argument ${index + 1} after the name is not KEY=VALUE, KEY=@file or - (see hush secret put --help)`,
      );
    }
    const key = item.slice(0, equals);
    const value = item.slice(equals + 1);
    add(key, value.startsWith('@') ? await fileText(value.slice(1)) : value);
  }
  return Object.fromEntries(data);
}

async function fileText(path: string): Promise<string> {
  if (path === '') throw new CliError(EXIT.usage, 'KEY=@ needs a file name after the @');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CliError(
      EXIT.local,
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (bytes.length > MAX_INPUT_BYTES) throw new CliError(EXIT.refused, `${path} is too large to store`);
  return utf8(bytes, path);
}

async function stdinObject(io: CliIo): Promise<Record<string, string>> {
  // Never sit waiting silently at a terminal.
  if (io.stdin.isTTY) await note(io, 'type a JSON object such as {"KEY":"VALUE"}, then press Ctrl-D');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of io.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) throw new CliError(EXIT.refused, 'standard input is too large to store');
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(EXIT.local, `cannot read standard input (${(error as NodeJS.ErrnoException).code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8(Buffer.concat(chunks), 'standard input'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    // JSON.parse's message quotes the text around the fault: it may be a value, so it is not shown.
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(EXIT.usage, 'standard input does not hold a JSON object such as {"KEY":"VALUE"}');
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new CliError(EXIT.usage, `standard input: the value of ${JSON.stringify(key)} is not a string`);
    }
  }
  return parsed as Record<string, string>;
}

function utf8(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CliError(
      EXIT.usage,
      `${source} is not UTF-8 text (encode binary data first, e.g. with base64)`,
    );
  }
}
