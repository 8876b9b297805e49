/** Keys whose values never reach a log line, at any of the first levels of a logged object (any case). */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set(
  [
    'secret',
    'passphrase',
    'password',
    'token',
    'access_token',
    'refresh_token',
    'revoke_token',
    'github_token',
    'client_secret',
    'clientSecret',
    'code_verifier',
    'secret_key',
    'receipt_key',
    'secretKey',
    'receiptKey',
    'request_key',
    'respond_key',
    'requestKey',
    'respondKey',
    'answer',
    'masterKey',
    'authorization',
    'cookie',
    'set-cookie',
  ].map((key) => key.toLowerCase()),
);

const CENSOR = '[redacted]';
const MAX_DEPTH = 3;

/**
 * Returns `value` with every sensitive key censored, copying only the objects it changes.
 * hush logs small objects it builds itself, so a key walk is enough; pino's path-based redaction
 * cost a quarter of the throughput of a trivial route (see BENCHMARKS.md).
 */
export function redact<T>(value: T, depth = 0): T {
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const inner = source[key];
    const replaced = SENSITIVE_KEYS.has(key.toLowerCase()) ? CENSOR : redact(inner, depth + 1);
    if (replaced !== inner) {
      copy ??= { ...source };
      copy[key] = replaced;
    }
  }
  return (copy ?? value) as T;
}
