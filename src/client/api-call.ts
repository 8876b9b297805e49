/**
 * One JSON call to the hush API, for the page's and the CLI's clients: errors carry the server's
 * stable code (`not_found`, `passphrase_invalid`, …) so each client can word them for its users.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** On a wrong passphrase or link key: wrong attempts the share still takes before it burns. */
    readonly attemptsLeft?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Fetch = typeof fetch;

/**
 * `T` is the response body the route declares (the `Static` of its schema in src/http/schemas/):
 * Fastify serializes exactly that shape, so the client takes it as typed. A 204 answers `{}`.
 */
export type ApiCall = <T extends object = Record<string, unknown>>(
  method: string,
  path: string,
  options?: { readonly body?: unknown; readonly bearer?: string },
) => Promise<T>;

export function createApiCall(base: string, fetchImpl: Fetch = fetch): ApiCall {
  const root = base.replace(/\/+$/, '');
  return async <T extends object>(
    method: string,
    path: string,
    options: Parameters<ApiCall>[2] = {},
  ): Promise<T> => {
    const { body, bearer } = options;
    let response: Response;
    try {
      response = await fetchImpl(`${root}${path}`, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(bearer !== undefined && { authorization: `Bearer ${bearer}` }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        // Never send cookies or follow a redirect elsewhere with a key in the path.
        credentials: 'omit',
        redirect: 'error',
      });
    } catch (error) {
      throw new ApiError(0, 'network', `cannot reach ${root} (${(error as Error).message})`);
    }
    if (response.status === 204) return {} as T;
    const json = await readJson(response);
    if (!response.ok) throw errorOf(response, json);
    return json as T;
  };
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    // Not hush, or a proxy's error page: report the status alone.
    return {};
  }
}

function errorOf(response: Response, json: Record<string, unknown>): ApiError {
  const code = typeof json.error === 'string' ? json.error : `http_${response.status}`;
  const message = typeof json.message === 'string' ? json.message : `HTTP ${response.status}`;
  const left = json.attempts_left;
  const attemptsLeft = Number.isInteger(left) && (left as number) >= 0 ? (left as number) : undefined;
  return new ApiError(response.status, code, message, attemptsLeft);
}

/** The ApiError of a refused response (for calls whose answer is not JSON, e.g. a download). */
export async function responseError(response: Response): Promise<ApiError> {
  return errorOf(response, await readJson(response));
}
