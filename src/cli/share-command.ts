import { encryptText, newContentKey } from '../client/client-crypto.js';
import { deriveKeyCheck } from '../client/link-key-check.js';
import { formatReceiptLink, formatShareLink } from '../client/share-link.js';
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
import { parseCount, parseDuration } from './duration.js';
import { newPassphrase } from './passphrase-input.js';
import { formatBytes, withProgress } from './progress.js';
import { qrText } from './qr-text.js';
import { readSecretInput } from './read-input.js';
import { DEFAULT_SERVER, openShareApi, resolveServer } from './share-client.js';
import { creatorToken } from './share-creator.js';

export const SHARE_USAGE = `usage: hush share [options] [file|-]
  Encrypts a text locally (AES-256-GCM, the key goes only into the link) and stores the ciphertext
  on the server. Prints the share link on stdout and the receipt link on stderr.
  Reads the file, or standard input (\`-\`, or no argument when input is piped; \`hush share -\` on a
  terminal reads what you type until Ctrl-D). The text is shared byte for byte (UTF-8 only).

  --ttl <duration>          expiry: 3600 (seconds), 30m, 1h, 2d, 1w, 1h30m (server default: 1 day)
  --views <n>               how many times it can be revealed (default 1)
  --passphrase-prompt       ask for a passphrase on the terminal (twice, not echoed)
  --passphrase-file <path>  read the passphrase from a file (one trailing newline is dropped)
  --server <url>            the hush server (default: HUSH_URL, else ${DEFAULT_SERVER})
  --json                    print {link, receipt, expires_at, max_views, passphrase_required}
  --qr                      also print the link's QR code, on stderr (stdout keeps only the link)
  --anonymous               send no token: by default a share made while signed in to this server
                            (hush login, or HUSH_TOKEN) is yours, listed by hush shares list
  -h, --help                this help

  echo -n 'db password: hunter2' | hush share --ttl 1h --views 2
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  ttl: { type: 'string' },
  views: { type: 'string' },
  'passphrase-prompt': { type: 'boolean', default: false },
  'passphrase-file': { type: 'string' },
  qr: { type: 'boolean', default: false },
  anonymous: { type: 'boolean', default: false },
} as const;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** `hush share`: returns the exit code. */
export function runShareCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('share', args, OPTIONS, [0, 1]);
    if (values.help) return write(io.stdout, SHARE_USAGE);
    const ttlSeconds = values.ttl === undefined ? undefined : parseDuration(values.ttl);
    if (values.ttl !== undefined && ttlSeconds === undefined) {
      throw new CliError(EXIT.usage, '--ttl must be a duration like 3600, 30m, 1h, 2d or 1w');
    }
    const maxViews = values.views === undefined ? undefined : parseCount(values.views);
    if (values.views !== undefined && maxViews === undefined) {
      throw new CliError(EXIT.usage, '--views must be a whole number of at least 1');
    }
    const passphraseFile = values['passphrase-file'];
    if (values['passphrase-prompt'] && passphraseFile !== undefined) {
      throw new CliError(EXIT.usage, 'choose --passphrase-prompt or --passphrase-file, not both');
    }
    const server = resolveServer(values.server, io.env, DEFAULT_SERVER);
    const bearer = await creatorToken(io, server, values.anonymous);

    const text = await withProgress(io.stderr, (progress) => readSecretInput(positionals[0], io, progress));
    const passphrase =
      values['passphrase-prompt'] || passphraseFile !== undefined
        ? await newPassphrase({ file: passphraseFile, noTerminalHint: 'use --passphrase-file <path>' })
        : undefined;
    const key = newContentKey();
    const created = await withProgress(io.stderr, async (progress) => {
      progress.update(`encrypting ${formatBytes(Buffer.byteLength(text))}`);
      const secret = await encryptText(key, text);
      progress.update(`uploading ${formatBytes(secret.length)}`);
      // The verifier lets the server refuse a damaged link before it spends a view.
      const keyCheck = await deriveKeyCheck(key);
      return openShareApi(server, bearer).create({ secret, passphrase, ttlSeconds, maxViews, keyCheck });
    });
    if (!TOKEN.test(created.secretKey) || !TOKEN.test(created.receiptKey)) {
      throw new CliError(EXIT.refused, `${server} did not answer like a hush server`);
    }
    const link = formatShareLink(server, created.secretKey, key);
    const receipt = formatReceiptLink(server, created.receiptKey);
    // On stderr, so scripts reading stdout still get the link alone; printed even when redirected.
    const qr = values.qr ? qrText(link, io.stderr.isTTY === true && !io.env.NO_COLOR) : '';
    if (values.json) {
      const result = {
        link,
        receipt,
        expires_at: created.expiresAt,
        max_views: created.maxViews,
        passphrase_required: created.passphraseRequired,
      };
      await write(io.stdout, `${JSON.stringify(result)}\n`);
      return write(io.stderr, qr);
    }
    await write(io.stdout, `${link}\n`);
    await write(io.stderr, qr);
    const views = created.maxViews === 1 ? '1 view' : `${created.maxViews} views`;
    const lock = created.passphraseRequired ? ', passphrase required' : '';
    await note(io, `receipt (keep it; it shows views and can burn the secret): ${receipt}`);
    await note(io, `expires ${created.expiresAt}, ${views}${lock}`);
  });
}
