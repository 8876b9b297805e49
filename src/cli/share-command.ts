import { newContentKey } from '../client/client-crypto.js';
import { MAX_FILES } from '../client/file-format.js';
import { sealContent } from '../client/file-manifest.js';
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
import { shareAsCreator } from './share-creator.js';
import { localFiles, uploadFiles } from './share-files.js';

export const SHARE_USAGE = `usage: hush share [options] [file… | -]
  Encrypts locally (AES-256-GCM, the key goes only into the link) and stores the ciphertext on the
  server. Prints the share link on stdout and the receipt link on stderr.
  A text: from standard input (\`-\`, or no argument when input is piped; \`hush share -\` on a
  terminal reads what you type until Ctrl-D), shared byte for byte (UTF-8 only).
  Files: name them (up to ${MAX_FILES}, within the server's limit, 25 MiB by default); their names
  and types are encrypted too. Add a text with \`-\` (standard input) or --text. Progress goes to stderr.

  --text <text>             a text to go with the files (on the command line, so not for a secret)
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
  hush share report.pdf data.csv --text 'the Q3 numbers'
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  ttl: { type: 'string' },
  views: { type: 'string' },
  'passphrase-prompt': { type: 'boolean', default: false },
  'passphrase-file': { type: 'string' },
  qr: { type: 'boolean', default: false },
  anonymous: { type: 'boolean', default: false },
  text: { type: 'string' },
} as const;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** `hush share`: returns the exit code. */
export function runShareCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('share', args, OPTIONS, [0, MAX_FILES + 1]);
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

    const paths = positionals.filter((argument) => argument !== '-');
    const dashes = positionals.length - paths.length;
    if (dashes > 1) throw new CliError(EXIT.usage, '`-` (standard input) can be named once');
    if (dashes > 0 && values.text !== undefined) {
      throw new CliError(EXIT.usage, 'choose --text or `-` (standard input) for the text, not both');
    }
    // Every file is checked before anything is read from stdin or sent.
    const files = await localFiles(paths);
    const text =
      values.text ??
      (files.length === 0 || dashes > 0
        ? await withProgress(io.stderr, (progress) =>
            readSecretInput(dashes > 0 ? '-' : undefined, io, progress),
          )
        : undefined);
    if (files.length === 0 && text === '')
      throw new CliError(EXIT.usage, 'nothing to share: the text is empty');
    const passphrase =
      values['passphrase-prompt'] || passphraseFile !== undefined
        ? await newPassphrase({ file: passphraseFile, noTerminalHint: 'use --passphrase-file <path>' })
        : undefined;
    // A fresh key per attempt: a retry without the login encrypts and uploads again.
    const { key, created } = await shareAsCreator(io, server, values.anonymous, async (bearer) => {
      const key = newContentKey();
      const created = await withProgress(io.stderr, async (progress) => {
        const upload = files.length > 0 ? await uploadFiles(server, key, files, progress, bearer) : undefined;
        progress.update(`encrypting ${formatBytes(Buffer.byteLength(text ?? ''))}`);
        const content = {
          ...(text !== undefined && text !== '' && { text }),
          files: files.map((f) => f.entry),
        };
        const secret = await sealContent(key, content);
        progress.update(`uploading ${formatBytes(secret.length)}`);
        // The verifier lets the server refuse a damaged link before it spends a view.
        const keyCheck = await deriveKeyCheck(key);
        return openShareApi(server, bearer).create({
          secret,
          passphrase,
          ttlSeconds,
          maxViews,
          keyCheck,
          upload,
        });
      });
      return { key, created };
    });
    if (!TOKEN.test(created.secretKey) || !TOKEN.test(created.receiptKey)) {
      throw new CliError(EXIT.refused, `${server} did not answer like a hush server`);
    }
    const link = formatShareLink(server, created.secretKey, key, { withFiles: files.length > 0 });
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
