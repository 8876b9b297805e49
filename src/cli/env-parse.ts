import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'dotenv';
import { CliError, EXIT } from './cli-errors.js';
import type { CliIo } from './client-command.js';
import { MAX_INPUT_BYTES } from './read-input.js';
import { quoteWord } from './suggest.js';

export const IMPORT_FORMATS = ['dotenv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * The format of `--from`: `--format` when given, else the file's name (`*.json`; `.env`,
 * `.env.*`, `*.env`). Standard input (`-`) has no name, so it needs `--format`.
 */
export function importFormat(from: string, flag: string | undefined): ImportFormat {
  if (flag !== undefined) {
    if ((IMPORT_FORMATS as readonly string[]).includes(flag)) return flag as ImportFormat;
    throw new CliError(EXIT.usage, `--format must be ${IMPORT_FORMATS.join(' or ')}`);
  }
  if (from === '-') throw new CliError(EXIT.usage, 'reading stdin needs --format dotenv or --format json');
  const name = basename(from).toLowerCase();
  if (name.endsWith('.json')) return 'json';
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'dotenv';
  throw new CliError(
    EXIT.usage,
    `cannot tell the format of ${from} from its name: give --format dotenv or --format json`,
  );
}

/** The keys of a .env text, as the `dotenv` package reads them (a line it cannot read is skipped). */
export function parseDotenv(text: string): Record<string, string> {
  return { ...parse(text) };
}

/** The keys of a JSON object whose every value is a string (a number is refused, not converted). */
export function parseJsonObject(text: string, source: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(EXIT.usage, `${source} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(EXIT.usage, `${source} must hold one JSON object of string values`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      const kind = item === null ? 'null' : Array.isArray(item) ? 'an array' : `a ${typeof item}`;
      throw new CliError(
        EXIT.usage,
        `the key ${quoteWord(key)} in ${source} is ${kind}: values must be strings`,
      );
    }
  }
  return { ...(value as Record<string, string>) };
}

/** The keys of `--from` (a file, or `-` for stdin), read whole as UTF-8 (a BOM is dropped). */
export async function readKeys(
  from: string,
  format: ImportFormat,
  io: CliIo,
): Promise<Record<string, string>> {
  const source = from === '-' ? 'standard input' : from;
  const bytes = await readBounded(from === '-' ? io.stdin : createReadStream(from), source);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(EXIT.usage, `${source} is not UTF-8 text`);
  }
  const keys = format === 'json' ? parseJsonObject(text, source) : parseDotenv(text);
  if (Object.keys(keys).length === 0) throw new CliError(EXIT.usage, `${source} holds no keys`);
  return keys;
}

async function readBounded(stream: NodeJS.ReadableStream, source: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) throw new CliError(EXIT.refused, `${source} is too large to import`);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(EXIT.local, `cannot read ${source} (${code})`);
  }
  return Buffer.concat(chunks);
}
