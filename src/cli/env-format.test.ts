import { spawnSync } from 'node:child_process';
import { parse } from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-errors.js';
import { formatDotenv, formatJson, formatShell } from './env-format.js';
import type { SecretVariable } from './env-names.js';

const vars = (entries: Record<string, string>) =>
  new Map<string, SecretVariable>(
    Object.entries(entries).map(([k, value]) => [k, { value, secret: 'apps/x' }]),
  );

/** Values each quoting has a reason to trip on. */
const HARD = {
  PLAIN: 'hunter2',
  EMPTY: '',
  SPACES: '  padded  ',
  DOUBLE: 'say "hi"',
  SINGLE: "it's",
  BACKTICK: '`uname`',
  NEWLINES: 'line one\nline two\n',
  CRLF: 'a\r\nb\rc',
  LITERAL_BACKSLASH_N: 'C:\\new\\dir',
  TRAILING_BACKSLASH: 'ends with \\',
  HASH: 'not # a comment',
  EQUALS: 'a=b=c',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion the quoting must keep literal
  DOLLAR: '$HOME ${PATH} $(id)',
  LOOKS_LIKE_A_LINE: 'x\nOTHER=y\n# z',
  TWO_QUOTES: `"double" and 'single'\nacross lines`,
  UNICODE: 'pässwörd ✓ 🔑',
  PEM: '-----BEGIN KEY-----\nAAAA\nBBBB==\n-----END KEY-----\n',
  JSONISH: '{"a": [1, "two"]}',
};

const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
const value = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replaceAll('\0', ''));
const anyVars = fc.dictionary(envName, value, { maxKeys: 8 });

describe('dotenv format', () => {
  it('writes hard values so that the dotenv package reads them back exactly', () => {
    const text = formatDotenv(vars(HARD));
    expect({ ...parse(text) }).toEqual(HARD);
    expect(text.split('\n')[0]).toBe('PLAIN="hunter2"');
    expect(text).toContain('NEWLINES="line one\\nline two\\n"\n');
    expect(text).toContain(`DOUBLE='say "hi"'\n`);
    expect(text).toContain("LITERAL_BACKSLASH_N='C:\\new\\dir'\n");
  });

  it('every value either round-trips through dotenv or is refused, naming key and secret only', () => {
    fc.assert(
      fc.property(anyVars, (entries) => {
        let text: string;
        try {
          text = formatDotenv(vars(entries));
        } catch (error) {
          expect(error).toBeInstanceOf(CliError);
          expect((error as CliError).message).toMatch(
            /of \w+ in secret apps\/x cannot be written|do not survive/,
          );
          return;
        }
        expect({ ...parse(text) }).toEqual(entries);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a value that holds all three quotes and a line break, never showing it', () => {
    const secret = `"a" 'b' \`c\`\nd`;
    const attempt = () => formatDotenv(vars({ K: secret }));
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(/K in secret apps\/x .*--format json or shell/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('"a"');
    }
  });
});

/** What sh makes of the text: each key's value as the shell exported it. */
const throughShell = (text: string, keys: readonly string[]) => {
  const print = `${process.execPath} -e 'process.stdout.write(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((k) => [k, process.env[k]]))))'`;
  const result = spawnSync('sh', ['-c', `${text}\n${print} ${keys.join(' ')}`], {
    encoding: 'utf8',
    env: {},
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
};

describe('shell format', () => {
  it('sh exports exactly the values, quotes, newlines, $ and backticks included', () => {
    const text = formatShell(vars(HARD));
    expect(text).toContain(`export SINGLE='it'\\''s'\n`);
    expect(throughShell(text, Object.keys(HARD))).toEqual(HARD);
  });

  it('holds for arbitrary values too', () => {
    fc.assert(
      fc.property(anyVars, (entries) => {
        expect(throughShell(formatShell(vars(entries)), Object.keys(entries))).toEqual(entries);
      }),
      { numRuns: 15 },
    );
  });
});

describe('json format', () => {
  it('is one object on one line, any key allowed', () => {
    const text = formatJson(vars({ 'db-url': 'x\ny', A: '"' }));
    expect(text).toBe('{"db-url":"x\\ny","A":"\\""}\n');
    expect(JSON.parse(text)).toEqual({ 'db-url': 'x\ny', A: '"' });
  });

  it('prints nothing but the empty object for no keys; dotenv and shell print nothing', () => {
    expect(formatJson(vars({}))).toBe('{}\n');
    expect(formatDotenv(vars({}))).toBe('');
    expect(formatShell(vars({}))).toBe('');
  });
});
