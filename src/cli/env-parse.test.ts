import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/helpers/cli-io.js';
import { CliError, EXIT } from './cli-errors.js';
import { importFormat, parseDotenv, parseJsonObject, readKeys } from './env-parse.js';
import { MAX_INPUT_BYTES } from './read-input.js';

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-env-parse-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return { code: (error as CliError).exitCode, message: (error as CliError).message };
};

describe('importFormat', () => {
  it('tells the format by the file name, or takes --format', () => {
    expect(importFormat('.env', undefined)).toBe('dotenv');
    expect(importFormat('config/.env.production', undefined)).toBe('dotenv');
    expect(importFormat('prod.env', undefined)).toBe('dotenv');
    expect(importFormat('keys.JSON', undefined)).toBe('json');
    expect(importFormat('keys.txt', 'dotenv')).toBe('dotenv');
    expect(importFormat('-', 'json')).toBe('json');
  });

  it('asks for --format for stdin or an unknown name, and refuses another format', () => {
    expect(() => importFormat('-', undefined)).toThrow(
      'reading stdin needs --format dotenv or --format json',
    );
    expect(() => importFormat('keys.txt', undefined)).toThrow(/cannot tell the format of keys.txt/);
    expect(() => importFormat('.env', 'yaml')).toThrow('--format must be dotenv or json');
  });
});

describe('parsing', () => {
  it('reads .env text as the dotenv package does: quotes, escapes, comments, export', () => {
    const text = [
      '# a comment',
      'export A=plain # trailing comment',
      'B="two\\nlines"',
      "C='kept \\n as is'",
      'D=',
      'not a line',
      'E="multi',
      'line"',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      A: 'plain',
      B: 'two\nlines',
      C: 'kept \\n as is',
      D: '',
      E: 'multi\nline',
    });
  });

  it('takes a JSON object of strings; refuses others naming the key, never the value', () => {
    expect(parseJsonObject('{"a":"1","b-c":"x\\ny"}', 'f.json')).toEqual({ a: '1', 'b-c': 'x\ny' });
    expect(() => parseJsonObject('{"PORT": 8080}', 'f.json')).toThrow(
      "the key 'PORT' in f.json is a number: values must be strings",
    );
    expect(() => parseJsonObject('{"A": null}', 'f.json')).toThrow(/is null/);
    expect(() => parseJsonObject('{"A": ["x"]}', 'f.json')).toThrow(/is an array/);
    expect(() => parseJsonObject('["x"]', 'f.json')).toThrow(
      'f.json must hold one JSON object of string values',
    );
    expect(() => parseJsonObject('{"A": "secret-value"', 'f.json')).toThrow('f.json is not valid JSON');
  });
});

describe('readKeys', () => {
  it('reads a file or stdin, dropping a BOM', async () => {
    const at = file('keys.json', '\uFEFF{"A":"1"}');
    expect(await readKeys(at, 'json', memoryIo())).toEqual({ A: '1' });
    expect(await readKeys('-', 'dotenv', memoryIo({ input: 'A=1\nB="2"\n' }))).toEqual({ A: '1', B: '2' });
  });

  it('refuses an empty input, non-UTF-8, a missing file and an oversized stream', async () => {
    expect(await refusal(readKeys(file('empty.env', '# nothing\n'), 'dotenv', memoryIo()))).toEqual({
      code: EXIT.usage,
      message: `${path.join(dir, 'empty.env')} holds no keys`,
    });
    expect(
      await refusal(readKeys(file('latin1.env', Buffer.from([0x41, 0x3d, 0xe9])), 'dotenv', memoryIo())),
    ).toEqual({
      code: EXIT.usage,
      message: `${path.join(dir, 'latin1.env')} is not UTF-8 text`,
    });
    expect(await refusal(readKeys(path.join(dir, 'missing.env'), 'dotenv', memoryIo()))).toEqual({
      code: EXIT.local,
      message: `cannot read ${path.join(dir, 'missing.env')} (ENOENT)`,
    });
    const huge = Buffer.alloc(MAX_INPUT_BYTES + 1, 'a');
    expect(await refusal(readKeys('-', 'dotenv', memoryIo({ input: huge })))).toEqual({
      code: EXIT.refused,
      message: 'standard input is too large to import',
    });
  });
});
