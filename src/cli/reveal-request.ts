import { parseKeepLink } from '../client/request-link.js';
import { type CliIo, note, write } from './client-command.js';
import { openRequestApi, requestCall } from './request-client.js';
import { resolveServer } from './share-client.js';

/** `hush reveal <keep link>`: opens a request's answer, once (the server erases it as it hands it over). */
export async function revealRequestAnswer(
  text: string,
  options: { readonly server?: string | undefined; readonly json: boolean },
  io: CliIo,
): Promise<void> {
  const link = parseKeepLink(text);
  const api = openRequestApi(resolveServer(options.server, {}, link.base));
  const answer = await requestCall(() => api.reveal(link));
  if (options.json) return write(io.stdout, `${JSON.stringify({ secret: answer })}\n`);
  await write(io.stdout, io.stdout.isTTY && !answer.endsWith('\n') ? `${answer}\n` : answer);
  await note(io, 'that was the only view: the answer is gone from the server');
}
