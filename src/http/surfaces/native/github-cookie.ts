import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATE_TTL_SECONDS } from '../../../auth/github/github-login.js';

const NAME = 'hush_github_state';

/**
 * `path` is where the GitHub routes are mounted (`/api/v1/auth/github`): the cookie is sent back
 * only to them, never to the rest of the API.
 */
function cookie(request: FastifyRequest, path: string, value: string, maxAge: number): string {
  // Lax: GitHub's redirect back is a top-level GET, which carries it; cross-site posts do not.
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${NAME}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/** Binds a started web flow to this browser (login CSRF): the callback must bring the same state. */
export function setStateCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  state: string,
): void {
  reply.header('set-cookie', cookie(request, path, state, STATE_TTL_SECONDS));
}

/** The state is spent at the callback, whatever its outcome. */
export function clearStateCookie(request: FastifyRequest, reply: FastifyReply, path: string): void {
  reply.header('set-cookie', cookie(request, path, '', 0));
}

/** The state the browser's cookie carries, if any. */
export function stateCookieOf(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === NAME) return value.join('=');
  }
  return undefined;
}
