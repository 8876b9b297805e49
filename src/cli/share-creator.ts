import type { CliIo } from './client-command.js';
import { readLogin, signIn } from './saved-login.js';

/**
 * The access token `hush share` sends, so that the share is the caller's (listed and burned with
 * `hush shares`, and allowed where the server keeps sharing to signed-in accounts): HUSH_TOKEN,
 * else the saved login when it is for this same server (renewed if due). None with
 * `--anonymous`, or when nobody is signed in to this server: the share is anonymous then.
 */
export async function creatorToken(
  io: CliIo,
  server: string,
  anonymous: boolean,
): Promise<string | undefined> {
  if (anonymous) return undefined;
  if (io.env.HUSH_TOKEN?.trim()) return (await signIn(io, server)).token;
  const saved = await readLogin(io.env);
  if (saved?.server !== server) return undefined;
  return (await signIn(io, server)).token;
}
