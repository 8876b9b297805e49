import { isDeepStrictEqual } from 'node:util';
import { parse } from 'dotenv';
import { CliError, EXIT } from './cli-errors.js';
import type { SecretVariable } from './env-names.js';

export const EXPORT_FORMATS = ['dotenv', 'shell', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * `KEY="value"` lines that the `dotenv` package parses back to exactly these values. Its double
 * quotes expand only `\n` and `\r`, so a value is written there with its line breaks escaped; a
 * value those quotes cannot carry (a `"`, or a literal backslash-n) goes in single quotes, else in
 * backticks (both taken verbatim), each only for a value without that quote. Each choice is
 * checked by parsing it back, and so is the whole text.
 */
export function formatDotenv(variables: ReadonlyMap<string, SecretVariable>): string {
  const lines = [...variables].map(([key, { value, secret }]) => {
    const line = dotenvLine(key, value);
    if (line === undefined) {
      throw new CliError(
        EXIT.usage,
        `the value of ${key} in secret ${secret} cannot be written in dotenv format so that dotenv ` +
          'reads it back exactly: use --format json or shell',
      );
    }
    return line;
  });
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  const expected = Object.fromEntries([...variables].map(([key, { value }]) => [key, value]));
  if (!isDeepStrictEqual({ ...parse(text) }, expected)) {
    throw new CliError(EXIT.usage, 'these values do not survive dotenv format: use --format json or shell');
  }
  return text;
}

function dotenvLine(key: string, value: string): string | undefined {
  // A quote inside its own kind of quotes happens to survive dotenv's greedy match, but no other
  // reader of .env files would take it so: each kind is tried only for values without it.
  const candidates = [
    ['"', `"${value.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`],
    ["'", `'${value}'`],
    ['`', `\`${value}\``],
  ] as const;
  for (const [quote, quoted] of candidates) {
    if (value.includes(quote)) continue;
    const line = `${key}=${quoted}`;
    const back = parse(line);
    if (Object.keys(back).length === 1 && back[key] === value) return line;
  }
  return undefined;
}

/** `export KEY='value'` lines for sh, bash and zsh: single quotes keep everything, `'` is `'\''`. */
export function formatShell(variables: ReadonlyMap<string, SecretVariable>): string {
  const lines = [...variables].map(([key, { value }]) => `export ${key}='${value.replaceAll("'", "'\\''")}'`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** One JSON object of every key, on one line. */
export function formatJson(variables: ReadonlyMap<string, SecretVariable>): string {
  return `${JSON.stringify(Object.fromEntries([...variables].map(([key, { value }]) => [key, value])))}\n`;
}

export function formatVariables(
  format: ExportFormat,
  variables: ReadonlyMap<string, SecretVariable>,
): string {
  if (format === 'dotenv') return formatDotenv(variables);
  if (format === 'shell') return formatShell(variables);
  return formatJson(variables);
}
