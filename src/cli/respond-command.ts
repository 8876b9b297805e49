import { parseRespondLink } from '../client/request-link.js';
import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  linkArgument,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { withProgress } from './progress.js';
import { readSecretInput } from './read-input.js';
import { openRequestApi, REQUEST_GONE, requestCall } from './request-client.js';
import { resolveServer } from './share-client.js';
import { printable } from './text-table.js';

export const RESPOND_USAGE = `usage: hush respond [options] <link> [file|-]
  Answers a secret request: encrypts the text here to the public key in the link (ECDH P-256,
  AES-256-GCM) and sends it; only the requester's own link opens it. A request takes one answer.
  Reads the file, or standard input (\`-\`, or no argument when input is piped). The request's
  note is printed on stderr first.

  --server <url>   the hush server to send to instead of the one the link names
  -h, --help       this help

  hush respond 'https://hush.example.com/respond/…#1.…' db-password.txt
`;

/** `hush respond <link> [file|-]`: returns the exit code. */
export function runRespondCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, { notFound: REQUEST_GONE }, async () => {
    const { values, positionals } = parseCommandArgs('respond', args, CLIENT_OPTIONS, [1, 2]);
    if (values.help) return write(io.stdout, RESPOND_USAGE);
    const [argument, source] = positionals;
    if (argument === undefined) throw new CliError(EXIT.usage, 'a link is needed');
    if (argument === '-' && (source === undefined || source === '-')) {
      throw new CliError(EXIT.usage, 'with the link on stdin, name the file that holds the answer');
    }
    const link = parseRespondLink(await linkArgument(argument, io));
    if (source === undefined && io.stdin.isTTY) {
      throw new CliError(
        EXIT.usage,
        'nothing to send: pipe the answer in (… | hush respond <link>), name a file, or use - to type it',
      );
    }
    const api = openRequestApi(resolveServer(values.server, {}, link.base));
    // Consumes nothing: a request already answered or gone is refused before anything is read.
    const prompt = await api.prompt(link);
    // Someone else's words on this terminal: with a control character (an escape sequence could
    // fake output or set the clipboard) it is shown JSON-quoted instead.
    if (prompt.note !== '') await note(io, `the request says: ${printable(prompt.note)}`);
    const text = await withProgress(io.stderr, (progress) => readSecretInput(source, io, progress));
    await requestCall(() => api.respond(link, text));
    await note(io, 'sent: only the requester can read it');
  });
}
