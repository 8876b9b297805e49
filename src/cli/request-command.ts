import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { parseDuration } from './duration.js';
import { openRequestApi, REQUEST_GONE, requestCall } from './request-client.js';
import { DEFAULT_SERVER, resolveServer } from './share-client.js';
import { shareAsCreator } from './share-creator.js';

export const REQUEST_USAGE = `usage: hush request [options]
  Asks someone for a secret. Makes a key pair here; prints the link to SEND on stdout (it carries
  the public key) and the link to KEEP on stderr (it carries the private key: only it opens the
  answer). Whoever opens the link to send answers on the page or with \`hush respond\`; the answer
  is encrypted to you before it leaves their machine. Open it once with \`hush reveal <keep link>\`.
  Signed in (HUSH_TOKEN, else the saved login for this server), the request is that account's.

  --note <text>      shown to whoever answers (context, not a secret; at most 1000 characters)
  --ttl <duration>   how long the request stays open: 3600, 30m, 1h, 2d, 1w (server default: 1 day)
  --server <url>     the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json             print {send, keep, request_id, expires_at}
  -h, --help         this help

  hush request --note 'the staging DB password' --ttl 1d 2> keep-this-link.txt
`;

const OPTIONS = { ...CLIENT_OPTIONS, note: { type: 'string' }, ttl: { type: 'string' } } as const;

/** `hush request`: returns the exit code. */
export function runRequestCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, { notFound: REQUEST_GONE }, async () => {
    const { values } = parseCommandArgs('request', args, OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, REQUEST_USAGE);
    const ttlSeconds = values.ttl === undefined ? undefined : parseDuration(values.ttl);
    if (values.ttl !== undefined && ttlSeconds === undefined) {
      throw new CliError(EXIT.usage, '--ttl must be a duration like 3600, 30m, 1h, 2d or 1w');
    }
    const server = resolveServer(values.server, io.env, DEFAULT_SERVER);
    // Made as its creator, as `hush share` does: HUSH_TOKEN, else this server's saved login.
    const made = await shareAsCreator(io, server, false, (bearer) =>
      requestCall(() =>
        openRequestApi(server).create({
          ...(values.note !== undefined && { note: values.note }),
          ...(ttlSeconds !== undefined && { ttlSeconds }),
          ...(bearer !== undefined && { bearer }),
        }),
      ),
    );
    if (values.json) {
      const result = {
        send: made.respondLink,
        keep: made.keepLink,
        request_id: made.requestId,
        expires_at: made.expiresAt,
      };
      return write(io.stdout, `${JSON.stringify(result)}\n`);
    }
    await write(io.stdout, `${made.respondLink}\n`);
    await note(io, `keep this link, it alone opens the answer (once): ${made.keepLink}`);
    await note(io, `send the link above to whoever should answer; the request expires ${made.expiresAt}`);
  });
}
