import { ApiError } from '../client/api-call.js';
import { createKvApi, type KvWriteResponse } from '../client/kv-api.js';
import { isSecretName } from '../secrets/secret-validation.js';
import { CliError, EXIT } from './cli-errors.js';
import type { SecretData } from './env-names.js';
import { type SignedIn, scopeFailure, sessionFailure } from './saved-login.js';
import { quoteWord } from './suggest.js';

/** The secret names of `--secret a,b --secret c` (or of arguments), each once, checked. */
export function secretNames(lists: readonly string[]): string[] {
  const names = lists.flatMap((list) => list.split(',')).map(secretName);
  return [...new Set(names)];
}

/** One secret name as given, checked (a comma is no part of a name). */
export function secretName(text: string): string {
  const name = text.trim();
  if (isSecretName(name)) return name;
  throw new CliError(
    EXIT.usage,
    `${name === '' ? 'an empty name' : quoteWord(name)} is not a secret name ` +
      '(segments of letters, digits, ".", "_" and "-" separated by "/")',
  );
}

/**
 * The latest version of each secret, read concurrently. Every read is waited for, so that a
 * failure is reported for the first failing name in the order given, whatever answered first.
 */
export async function readSecrets(api: SignedIn, names: readonly string[]): Promise<SecretData[]> {
  const kv = createKvApi(api.call);
  const reads = await Promise.allSettled(names.map((name) => kv.read(name)));
  return reads.map((read, index) => {
    const name = names[index] as string;
    if (read.status === 'rejected') throw kvFailure(read.reason, name, 'read', api);
    const { data } = read.value;
    if (typeof data !== 'object' || data === null || Object.values(data).some((v) => typeof v !== 'string')) {
      throw new CliError(EXIT.refused, `${api.server} did not answer like a hush server`);
    }
    return { name, data };
  });
}

/** Writes `data` as the secret's next version (with check-and-set when `cas` is given). */
export async function writeSecret(
  api: SignedIn,
  name: string,
  data: Readonly<Record<string, string>>,
  cas: number | undefined,
): Promise<KvWriteResponse> {
  const body = { data, ...(cas !== undefined && { cas }) };
  try {
    return await createKvApi(api.call).write(name, body);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'cas_mismatch') {
      throw new CliError(
        EXIT.refused,
        cas === 0
          ? `${name} exists already (--cas 0 writes only a new secret)`
          : `${name} is not at version ${cas} (--cas): it changed since; nothing was written`,
      );
    }
    throw kvFailure(error, name, 'write', api);
  }
}

/**
 * A signed-in call's refusal in words a person can act on; anything else is left to cli-errors.ts.
 * Policies answer 404 for what the token may not read, so "no such secret" says so too.
 */
export function kvFailure(
  error: unknown,
  name: string,
  doing: 'read' | 'write',
  signedIn: Pick<SignedIn, 'fromEnv'>,
): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === 'version_deleted')
    return new CliError(EXIT.refused, `the latest version of ${name} is deleted`);
  if (error.code === 'version_destroyed') {
    return new CliError(EXIT.refused, `the latest version of ${name} is destroyed`);
  }
  if (error.status === 404) {
    return new CliError(EXIT.refused, `no such secret: ${name} (or this token may not ${doing} it)`);
  }
  return scopeFailure(sessionFailure(error, signedIn), doing === 'read' ? 'secrets:read' : 'secrets:write');
}
