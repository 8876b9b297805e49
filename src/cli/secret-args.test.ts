import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/helpers/cli-io.js';
import { kvPath } from '../client/kv-api.js';
import { CliError, EXIT } from './cli-errors.js';
import { folderArgument, secretData, secretName, versionList, wholeNumber } from './secret-args.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-secret-args-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
/** The CliError a call fails with: its exit code and message. */
const failure = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error('it did not fail');
};
const data = (items: string[], input = '') => secretData(items, memoryIo({ input }));

describe('hush secret put: KEY=VALUE, KEY=@file and - (stdin JSON)', () => {
  it('takes values as given: the first = splits, an empty value is a value', async () => {
    expect(await data(['user=billing', 'url=postgres://h/db?sslmode=require&a=b', 'empty='])).toEqual({
      user: 'billing',
      url: 'postgres://h/db?sslmode=require&a=b',
      empty: '',
    });
  });

  it('reads KEY=@file byte for byte, a trailing newline and a BOM kept', async () => {
    const at = file('pw', '\uFEFFhunter2\n');
    expect(await data([`password=@${at}`, 'user=x'])).toEqual({ password: '\uFEFFhunter2\n', user: 'x' });
  });

  it('reads - as a JSON object of strings and merges it with the pairs', async () => {
    const stdin = JSON.stringify({ password: 'p\nw', token: 'abc' });
    expect(await data(['-', 'user=billing'], stdin)).toEqual({
      password: 'p\nw',
      token: 'abc',
      user: 'billing',
    });
  });

  it('keeps a key named __proto__ a key, never the prototype', async () => {
    const result = await data(['-'], '{"__proto__":"x"}');
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(JSON.stringify(result)).toBe('{"__proto__":"x"}');
  });

  it('refuses a key given twice, whichever way it came, naming the key only', async () => {
    expect(await failure(() => data(['a=1', 'a=2']))).toEqual({
      code: EXIT.usage,
      message: 'the key "a" is given twice',
    });
    expect(await failure(() => data(['-', 'a=secret-two'], '{"a":"secret-one"}'))).toEqual({
      code: EXIT.usage,
      message: 'the key "a" is given twice',
    });
  });

  it('refuses what is not a pair without echoing it (it may be a value)', async () => {
    for (const item of ['hunter2', '=hunter2']) {
      const refused = await failure(() => data(['user=x', item]));
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.message).toBe(
        'argument 2 after the name is not KEY=VALUE, KEY=@file or - (see hush secret put --help)',
      );
    }
    expect(await failure(() => data([]))).toMatchObject({ code: EXIT.usage, message: /^nothing to store/ });
    expect(await failure(() => data(['-', '-'], '{}'))).toEqual({
      code: EXIT.usage,
      message: '- can be given once',
    });
  });

  it('refuses stdin that is not a JSON object of strings, never quoting its text', async () => {
    for (const input of ['not json hunter2', '["hunter2"]', 'null', '"hunter2"', '']) {
      const refused = await failure(() => data(['-'], input));
      expect(refused).toEqual({
        code: EXIT.usage,
        message: 'standard input does not hold a JSON object such as {"KEY":"VALUE"}',
      });
    }
    expect(await failure(() => data(['-'], '{"port":5432}'))).toEqual({
      code: EXIT.usage,
      message: 'standard input: the value of "port" is not a string',
    });
    expect(
      await failure(() => data(['-'], Buffer.from([0x7b, 0xff, 0x7d]) as unknown as string)),
    ).toMatchObject({
      code: EXIT.usage,
      message: /^standard input is not UTF-8 text/,
    });
  });

  it('a file that cannot be read is a local failure (exit 4); one not UTF-8 is refused', async () => {
    const missing = path.join(dir, 'missing');
    expect(await failure(() => data([`k=@${missing}`]))).toEqual({
      code: EXIT.local,
      message: `cannot read ${missing} (ENOENT)`,
    });
    const binary = file('binary', Buffer.from([0xc3, 0x28]));
    expect(await failure(() => data([`k=@${binary}`]))).toMatchObject({
      code: EXIT.usage,
      message: `${binary} is not UTF-8 text (encode binary data first, e.g. with base64)`,
    });
    expect(await failure(() => data(['k=@']))).toEqual({
      code: EXIT.usage,
      message: 'KEY=@ needs a file name after the @',
    });
  });

  it('a failing stdin is a local failure', async () => {
    const broken = new Readable({
      read() {
        this.destroy(Object.assign(new Error('boom'), { code: 'EIO' }));
      },
    });
    expect(await failure(() => secretData(['-'], memoryIo({ input: broken })))).toEqual({
      code: EXIT.local,
      message: 'cannot read standard input (EIO)',
    });
  });
});

describe('names, folders, versions and numbers', () => {
  it('takes secret names as the server does and refuses the rest before any request', async () => {
    expect(secretName('apps/billing/db')).toBe('apps/billing/db');
    expect(secretName('a.b_c-D9')).toBe('a.b_c-D9');
    for (const bad of [
      '',
      '/apps',
      'apps/',
      'apps//db',
      '../token/revoke',
      'apps/./db',
      'a b',
      'x?y',
      'é',
      'a'.repeat(257),
    ]) {
      expect(await failure(() => secretName(bad)), bad).toMatchObject({
        code: EXIT.usage,
        message: /^not a secret name/,
      });
    }
  });

  it('a folder is the top, or a name with one trailing slash', async () => {
    expect(folderArgument(undefined)).toBe('');
    expect(folderArgument('/')).toBe('');
    expect(folderArgument('apps')).toBe('apps/');
    expect(folderArgument('apps/billing//')).toBe('apps/billing/');
    expect(await failure(() => folderArgument('../x'))).toMatchObject({ code: EXIT.usage });
  });

  it('--versions takes a comma list of versions from 1, sorted and once each', async () => {
    expect(versionList('3, 1,3,2')).toEqual([1, 2, 3]);
    for (const bad of ['', '0', '1,,2', '-1', '1.5', 'latest', '99999999999999999999']) {
      expect(await failure(() => versionList(bad)), bad).toMatchObject({ code: EXIT.usage });
    }
  });

  it('--cas 0 is allowed, --max-versions 0 too; negative or fractional numbers are not', async () => {
    expect(wholeNumber('--cas', '0', 0)).toBe(0);
    expect(wholeNumber('--cas', ' 7 ', 0)).toBe(7);
    expect(await failure(() => wholeNumber('--cas', '-1', 0))).toEqual({
      code: EXIT.usage,
      message: '--cas must be a whole number of at least 0',
    });
    expect(await failure(() => wholeNumber('--version', '0', 1))).toMatchObject({ code: EXIT.usage });
    expect(await failure(() => wholeNumber('--version', '1e3', 1))).toMatchObject({ code: EXIT.usage });
  });

  it('builds KV paths segment by segment and never lets a dot segment move the route', () => {
    expect(kvPath('data', 'apps/billing/db')).toBe('/api/v1/kv/data/apps/billing/db');
    expect(kvPath('list', '')).toBe('/api/v1/kv/list/');
    expect(kvPath('list', 'apps/')).toBe('/api/v1/kv/list/apps/');
    expect(kvPath('data', 'a b/c#d')).toBe('/api/v1/kv/data/a%20b/c%23d');
    for (const bad of ['../token/revoke', 'apps/..', 'a//b', ''])
      expect(() => kvPath('data', bad), bad).toThrow();
  });
});
