import { CliError, EXIT } from './cli-errors.js';
import { decidesCode } from './env-code-names.js';
import { quoteWord } from './suggest.js';

/** A secret's name and the keys of the version read (its `data`). */
export interface SecretData {
  readonly name: string;
  readonly data: Readonly<Record<string, string>>;
}

/** A variable taken from a secret: its value and the secret it came from (named in messages). */
export interface SecretVariable {
  readonly value: string;
  readonly secret: string;
}

/** What a shell and every POSIX tool accept as a variable name (`1PASSWORD` or `db-url` are not). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const isEnvName = (key: string) => ENV_NAME.test(key);

/**
 * The secrets' keys as one set of variables, in the order given. A key in two secrets is refused
 * naming both (which one should win is not ours to guess). With `envNames` (run, dotenv, shell),
 * a key that is no variable name, or a value holding a NUL byte (an environment cannot carry one),
 * is refused naming the secret and the key, never the value.
 */
export function mergeSecrets(
  secrets: readonly SecretData[],
  options: { readonly envNames: boolean },
): Map<string, SecretVariable> {
  const merged = new Map<string, SecretVariable>();
  for (const { name, data } of secrets) {
    for (const [key, value] of Object.entries(data)) {
      if (options.envNames && !isEnvName(key)) {
        throw new CliError(
          EXIT.usage,
          `secret ${name} has the key ${quoteWord(key)}, which is not an environment variable name ` +
            '(letters, digits and _, not starting with a digit)',
        );
      }
      if (options.envNames && value.includes('\0')) {
        throw new CliError(
          EXIT.usage,
          `the value of ${key} in secret ${name} holds a NUL byte, which an environment variable cannot carry`,
        );
      }
      const earlier = merged.get(key);
      if (earlier) {
        throw new CliError(
          EXIT.usage,
          `the key ${quoteWord(key)} is in both ${earlier.secret} and ${name}: name only one of them`,
        );
      }
      merged.set(key, { value, secret: name });
    }
  }
  return merged;
}

export interface ChildEnvOptions {
  /** Let a secret's key replace a variable the environment has, or set one that decides what runs. */
  readonly override: boolean;
  /** Pass HUSH_TOKEN on (it is dropped otherwise: the command should not hold our credentials). */
  readonly keepToken: boolean;
}

/**
 * The command's environment: this one's, less HUSH_TOKEN unless kept, plus the secrets' keys.
 * Unless `override`, refused: a key that decides which code runs (env-code-names.ts: PATH,
 * LD_PRELOAD, NODE_OPTIONS, …), set here or not, and a key that would replace an inherited
 * variable. A secret that silently sets either changes what runs, not just what it reads.
 * Messages name the keys and their secrets, never a value.
 */
export function childEnvironment(
  inherited: NodeJS.ProcessEnv,
  variables: ReadonlyMap<string, SecretVariable>,
  options: ChildEnvOptions,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  if (!options.keepToken) delete env.HUSH_TOKEN;
  if (!options.override) refuseUnsafe(env, variables);
  for (const [key, { value }] of variables) env[key] = value;
  return env;
}

function refuseUnsafe(env: NodeJS.ProcessEnv, variables: ReadonlyMap<string, SecretVariable>): void {
  const listed = (keys: [string, SecretVariable][]) =>
    keys.map(([key, { secret }]) => `${key} (from ${secret})`).join(', ');
  const code = [...variables].filter(([key]) => decidesCode(key));
  if (code.length > 0) {
    throw new CliError(
      EXIT.usage,
      `a secret may not set a loader, shell or interpreter variable, which decides what code the command runs: ` +
        `${listed(code)}; give --override to let it`,
    );
  }
  const shadowed = [...variables].filter(([key]) => env[key] !== undefined);
  if (shadowed.length > 0) {
    throw new CliError(
      EXIT.usage,
      `already set in this environment: ${listed(shadowed)}; unset ${shadowed.length === 1 ? 'it' : 'them'}, ` +
        'or give --override to let the secret win',
    );
  }
}
