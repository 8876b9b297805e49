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

function describe(r: Receipt): string {
  const lines = [
    `state:       ${r.state}${r.endReason ? ` (${r.endReason.replaceAll('_', ' ')})` : ''}`,
    `views:       ${r.viewsUsed} of ${r.maxViews} used, ${r.viewsLeft} left`,
    `passphrase:  ${r.passphraseRequired ? `yes (${r.failedPassphraseAttempts} wrong attempts)` : 'no'}`,
    `created:     ${r.createdAt}`,
    `expires:     ${r.expiresAt}`,
    ...(r.endedAt ? [`ended:       ${r.endedAt}`] : []),
    'timeline:',
    ...r.timeline.map((event) => `  ${event.at}  ${event.type}`),
  ];
  return `${lines.join('\n')}\n`;
}
