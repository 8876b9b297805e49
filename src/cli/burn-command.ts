import { deriveKeyCheck } from '../client/link-key-check.js';
import { LinkError, parseReceiptLink, parseShareLink } from '../client/share-link.js';
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
import { existingPassphrase } from './passphrase-input.js';
import { openShareApi, resolveServer } from './share-client.js';

export const BURN_USAGE = `usage: hush burn [options] <receipt-link | share-link | ->
  Destroys a share at once, so nobody can reveal it any more. With the receipt link (…/r/…) as its
  sender; with the share link (…/s/…) as its recipient, giving its passphrase if it has one.

  --passphrase-file <path>  read the passphrase from a file instead of asking (share links)
  --server <url>            the hush server to ask instead of the one the link names
  --json                    print {"burned":true}
  -h, --help                this help
`;

const OPTIONS = { ...CLIENT_OPTIONS, 'passphrase-file': { type: 'string' } } as const;

const NOTHING =
  'nothing to burn: the secret was already viewed, burned, or it expired (or the link is wrong)';

/** `hush burn <link>`: returns the exit code. */
export function runBurnCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, { notFound: NOTHING }, async () => {
    const { values, positionals } = parseCommandArgs('burn', args, OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, BURN_USAGE);
    const [argument] = positionals;
    if (argument === undefined) throw new CliError(EXIT.usage, 'a link is needed');
    const text = await linkArgument(argument, io);
    const link = parseEitherLink(text);
    const api = openShareApi(resolveServer(values.server, {}, link.base));
    if ('receiptKey' in link) await api.burnByReceipt(link.receiptKey);
    else {
      const status = await api.status(link.secretKey);
      const passphrase = status.passphraseRequired
        ? await existingPassphrase({
            file: values['passphrase-file'],
            noTerminalHint:
              'this secret needs a passphrase; use --passphrase-file <path> or its receipt link',
          })
        : undefined;
      const keyProof = link.contentKey && (await deriveKeyCheck(link.contentKey));
      await api.burn(link.secretKey, passphrase, keyProof);
    }
    if (values.json) return write(io.stdout, '{"burned":true}\n');
    await note(io, 'burned: nobody can reveal this secret any more');
  });
}

/** A receipt link or a share link; when it is neither, the reason that fits what was given. */
function parseEitherLink(text: string) {
  try {
    return parseReceiptLink(text);
  } catch (receiptError) {
    try {
      return parseShareLink(text);
    } catch (shareError) {
      if (/\/s\//.test(text)) throw shareError;
      if (/\/r\//.test(text)) throw receiptError;
      throw new LinkError('not a receipt link (…/r/<key>) or share link (…/s/<key>#…)');
    }
  }
}
