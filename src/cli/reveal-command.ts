import { decryptText, isEnvelope } from '../client/client-crypto.js';
import { deriveKeyCheck } from '../client/link-key-check.js';
import { isKeepLink } from '../client/request-link.js';
import { parseShareLink } from '../client/share-link.js';
import { CliError, EXIT, toCliError } from './cli-errors.js';
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
import { existingPassphrase } from './passphrase-input.js';
import { REQUEST_GONE } from './request-client.js';
import { revealRequestAnswer } from './reveal-request.js';
import { openShareApi, resolveServer } from './share-client.js';

export const REVEAL_USAGE = `usage: hush reveal [options] <link | ->
  A request's link to keep (…/request/…#1.…) opens its answer instead, once.
  Reveals a share (this uses up one of its views), decrypts it locally with the key in the link,
  and writes the secret to stdout exactly as it was shared (a newline is added only on a terminal).
  Views left go to stderr. A passphrase, when the share has one, is asked on the terminal.

  --passphrase-file <path>  read the passphrase from a file instead of asking
  --server <url>            the hush server to ask instead of the one the link names
  --json                    print {secret, views_left}
  -h, --help                this help

  hush reveal 'https://hush.example.com/s/…#1.…' > secret.txt
`;

const OPTIONS = { ...CLIENT_OPTIONS, 'passphrase-file': { type: 'string' } } as const;

export const GONE = 'no such secret: it was already viewed, burned, or it expired (or the link is wrong)';

/** `hush reveal <link>`: returns the exit code. */
export function runRevealCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, { notFound: GONE }, async () => {
    const { values, positionals } = parseCommandArgs('reveal', args, OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, REVEAL_USAGE);
    const [argument] = positionals;
    if (argument === undefined) throw new CliError(EXIT.usage, 'a link is needed');
    const text = await linkArgument(argument, io);
    if (isKeepLink(text)) {
      return revealRequestAnswer(text, values, io).catch((error: unknown) => {
        throw toCliError(error, { notFound: REQUEST_GONE });
      });
    }
    const link = parseShareLink(text);
    const api = openShareApi(resolveServer(values.server, {}, link.base));

    // Peeking consumes nothing: ask for a passphrase only when the share has one.
    const status = await api.status(link.secretKey);
    const passphrase = status.passphraseRequired
      ? await existingPassphrase({
          file: values['passphrase-file'],
          noTerminalHint: 'this secret needs a passphrase; use --passphrase-file <path>',
        })
      : undefined;
    // The proof that the link is whole: a damaged one is refused before a view is spent.
    const keyProof = link.contentKey && (await deriveKeyCheck(link.contentKey));
    const revealed = await api.reveal(link.secretKey, passphrase, keyProof);
    let secret = revealed.secret;
    if (link.contentKey) secret = await decryptText(link.contentKey, revealed.secret);
    else if (isEnvelope(secret)) {
      await note(io, 'the link has no key (#1.…): this is the encrypted text, as stored');
    }

    if (values.json) {
      return write(io.stdout, `${JSON.stringify({ secret, views_left: revealed.viewsLeft })}\n`);
    }
    await write(io.stdout, io.stdout.isTTY && !secret.endsWith('\n') ? `${secret}\n` : secret);
    await note(
      io,
      revealed.viewsLeft === 0
        ? 'that was the last view: the secret is gone from the server'
        : `${revealed.viewsLeft} ${revealed.viewsLeft === 1 ? 'view' : 'views'} left`,
    );
  });
}
