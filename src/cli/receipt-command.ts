import {
  describeAttempts,
  describeStatus,
  describeTimeline,
  describeViews,
} from '../client/receipt-words.js';
import type { Receipt } from '../client/share-api.js';
import { parseReceiptLink } from '../client/share-link.js';
import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  linkArgument,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { openShareApi, resolveServer } from './share-client.js';

export const RECEIPT_USAGE = `usage: hush receipt [options] <receipt-link | ->
  Shows what happened to a share: its state (pending, consumed, burned, expired), views used and
  left, expiry and timeline. Never its content. The receipt link is the one \`hush share\` printed
  on stderr (…/r/…).

  --server <url>   the hush server to ask instead of the one the link names
  --json           print the receipt as JSON (the API's fields)
  -h, --help       this help
`;

export const NO_RECEIPT =
  'no such receipt (the link is wrong, or the share ended long ago and was forgotten)';

/** `hush receipt <link>`: returns the exit code. */
export function runReceiptCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, { notFound: NO_RECEIPT }, async () => {
    const { values, positionals } = parseCommandArgs('receipt', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, RECEIPT_USAGE);
    const [argument] = positionals;
    if (argument === undefined) throw new CliError(EXIT.usage, 'a link is needed');
    const text = await linkArgument(argument, io);
    const link = parseReceiptLink(text);
    const receipt = await openShareApi(resolveServer(values.server, {}, link.base)).receipt(link.receiptKey);
    await write(io.stdout, values.json ? `${JSON.stringify(receiptJson(receipt))}\n` : describe(receipt));
  });
}

/** The API's own field names, so scripts can use either. */
function receiptJson(r: Receipt) {
  return {
    state: r.state,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    ended_at: r.endedAt,
    end_reason: r.endReason,
    max_views: r.maxViews,
    views_used: r.viewsUsed,
    views_left: r.viewsLeft,
    passphrase_required: r.passphraseRequired,
    failed_passphrase_attempts: r.failedPassphraseAttempts,
    timeline: r.timeline,
  };
}

/** The machine-readable state first (scripts grep it), then the same words as the page's receipt. */
function describe(r: Receipt): string {
  const failed = describeAttempts(r);
  const lines = [
    `state:       ${r.state}: ${describeStatus(r)}`,
    `views:       ${r.viewsUsed} of ${r.maxViews} used, ${r.viewsLeft} left (${describeViews(r)})`,
    `passphrase:  ${r.passphraseRequired ? 'yes' : 'no'}${failed ? ` (${failed})` : ''}`,
    `created:     ${r.createdAt}`,
    // Once it has ended, when it would have expired no longer matters.
    ...(r.endedAt ? [`ended:       ${r.endedAt}`] : [`expires:     ${r.expiresAt}`]),
    'timeline:',
    ...describeTimeline(r).map((entry) => `  ${entry.at}  ${entry.text}`),
  ];
  return `${lines.join('\n')}\n`;
}
