import { describe, expect, it } from 'vitest';
import { CliError, EXIT } from './cli-errors.js';
import { decidesCode } from './env-code-names.js';
import { childEnvironment, isEnvName, mergeSecrets } from './env-names.js';

const VALUE = 'the-value-never-shown-42';

/** The CliError `run` throws (its code and message). */
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return { code: (error as CliError).exitCode, message: (error as CliError).message };
  }
  throw new Error('expected a refusal');
};

describe('variable names', () => {
  it('are letters, digits and _, not starting with a digit', () => {
    for (const good of ['A', '_', 'DB_URL', 'db_url', '_x9', 'PATH']) expect(isEnvName(good)).toBe(true);
    for (const bad of ['', '1A', 'DB-URL', 'a.b', 'a b', 'é', 'A=B', 'A\0', ' A'])
      expect(isEnvName(bad)).toBe(false);
  });
});

describe('mergeSecrets', () => {
  it('merges the keys of several secrets in order, each remembering its secret', () => {
    const merged = mergeSecrets(
      [
        { name: 'apps/db', data: { DB_URL: 'postgres://x', DB_PASSWORD: VALUE } },
        { name: 'apps/stripe', data: { STRIPE_KEY: 'sk' } },
      ],
      { envNames: true },
    );
    expect([...merged.keys()]).toEqual(['DB_URL', 'DB_PASSWORD', 'STRIPE_KEY']);
    expect(merged.get('STRIPE_KEY')).toEqual({ value: 'sk', secret: 'apps/stripe' });
  });

  it('refuses a key in two secrets, naming both secrets and the key but not the value', () => {
    const refused = failure(() =>
      mergeSecrets(
        [
          { name: 'apps/a', data: { TOKEN: VALUE } },
          { name: 'apps/b', data: { TOKEN: VALUE } },
        ],
        { envNames: false },
      ),
    );
    expect(refused).toEqual({
      code: EXIT.usage,
      message: "the key 'TOKEN' is in both apps/a and apps/b: name only one of them",
    });
  });

  it('refuses a key that is no variable name, naming secret and key, not the value', () => {
    const refused = failure(() =>
      mergeSecrets([{ name: 'apps/a', data: { 'db-url': VALUE } }], { envNames: true }),
    );
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.message).toMatch(
      /^secret apps\/a has the key 'db-url', which is not an environment variable name/,
    );
    expect(refused.message).not.toContain(VALUE);
    // JSON export takes any key.
    expect(mergeSecrets([{ name: 'apps/a', data: { 'db-url': VALUE } }], { envNames: false }).size).toBe(1);
  });

  it('refuses a NUL byte in a value for the environment, without showing the value', () => {
    const refused = failure(() =>
      mergeSecrets([{ name: 'apps/a', data: { K: `${VALUE}\0` } }], { envNames: true }),
    );
    expect(refused.message).toBe(
      'the value of K in secret apps/a holds a NUL byte, which an environment variable cannot carry',
    );
  });
});

describe('childEnvironment', () => {
  const merged = mergeSecrets([{ name: 'apps/a', data: { DB_URL: VALUE, HOME: '/from/secret' } }], {
    envNames: true,
  });

  it('refuses to shadow an inherited variable, naming it and its secret, unless --override', () => {
    const refused = failure(() =>
      childEnvironment({ HOME: '/h', LANG: 'C' }, merged, { override: false, keepToken: false }),
    );
    expect(refused).toEqual({
      code: EXIT.usage,
      message:
        'already set in this environment: HOME (from apps/a); unset it, or give --override to let the secret win',
    });
    const env = childEnvironment({ HOME: '/h', LANG: 'C' }, merged, { override: true, keepToken: false });
    expect(env).toEqual({ HOME: '/from/secret', LANG: 'C', DB_URL: VALUE });
  });

  it('refuses a loader, shell or interpreter variable even when it is not set, unless --override', () => {
    const keys = [
      'PATH',
      'LD_PRELOAD',
      'LD_LIBRARY_PATH',
      'DYLD_INSERT_LIBRARIES',
      'NODE_OPTIONS',
      'BASH_ENV',
      'PYTHONPATH',
      'PERL5OPT',
      'RUBYOPT',
      'JAVA_TOOL_OPTIONS',
      'GIT_SSH_COMMAND',
      'GIT_CONFIG_COUNT',
      'IFS',
      'PS4',
      'GCONV_PATH',
      'node_options',
    ];
    for (const key of keys) {
      const one = mergeSecrets([{ name: 'apps/evil', data: { OK: '1', [key]: VALUE } }], { envNames: true });
      const refused = failure(() => childEnvironment({}, one, { override: false, keepToken: false }));
      expect(refused).toEqual({
        code: EXIT.usage,
        message:
          'a secret may not set a loader, shell or interpreter variable, which decides what code the ' +
          `command runs: ${key} (from apps/evil); give --override to let it`,
      });
      expect(childEnvironment({}, one, { override: true, keepToken: false })).toEqual({
        OK: '1',
        [key]: VALUE,
      });
    }
  });

  it('names every such key, before any shadowed one, and never a value', () => {
    const both = mergeSecrets(
      [
        { name: 'apps/a', data: { HOME: VALUE, NODE_OPTIONS: VALUE } },
        { name: 'apps/b', data: { LD_PRELOAD: VALUE } },
      ],
      { envNames: true },
    );
    const refused = failure(() =>
      childEnvironment({ HOME: '/h' }, both, { override: false, keepToken: false }),
    );
    expect(refused.message).toContain(
      ': NODE_OPTIONS (from apps/a), LD_PRELOAD (from apps/b); give --override',
    );
    expect(refused.message).not.toContain(VALUE);
  });

  it('leaves ordinary names alone, those that merely look alike included', () => {
    for (const key of [
      'DB_URL',
      'HOME',
      'NODE_ENV',
      'ENV',
      'PYTHONUNBUFFERED',
      'MY_PATH',
      'PATHS',
      'LDAP_URL',
      'GITHUB_TOKEN',
    ])
      expect(decidesCode(key), key).toBe(false);
  });

  it('drops HUSH_TOKEN unless kept, and never changes the inherited object', () => {
    const inherited = { HUSH_TOKEN: 'hush_at_x', HUSH_URL: 'http://h', HOME: '/h' };
    const only = mergeSecrets([{ name: 'apps/a', data: { A: '1' } }], { envNames: true });
    expect(childEnvironment(inherited, only, { override: false, keepToken: false })).toEqual({
      HUSH_URL: 'http://h',
      HOME: '/h',
      A: '1',
    });
    expect(childEnvironment(inherited, only, { override: false, keepToken: true })).toMatchObject({
      HUSH_TOKEN: 'hush_at_x',
    });
    expect(inherited).toEqual({ HUSH_TOKEN: 'hush_at_x', HUSH_URL: 'http://h', HOME: '/h' });
  });

  it('lets a secret provide HUSH_TOKEN itself once the caller’s is dropped', () => {
    const own = mergeSecrets([{ name: 'apps/a', data: { HUSH_TOKEN: 'theirs' } }], { envNames: true });
    expect(childEnvironment({ HUSH_TOKEN: 'mine' }, own, { override: false, keepToken: false })).toEqual({
      HUSH_TOKEN: 'theirs',
    });
    expect(() => childEnvironment({ HUSH_TOKEN: 'mine' }, own, { override: false, keepToken: true })).toThrow(
      /HUSH_TOKEN \(from apps\/a\)/,
    );
  });
});
