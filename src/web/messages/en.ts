import type { CatalogueLike, KeyOf } from './catalogue.js';
import { enRequests } from './en-requests.js';

/**
 * The page's English catalogue: every string the page shows, by key. `{name}` marks a value the
 * page fills in. Other catalogues must have exactly these keys (test/web-catalogues.test.ts); a key
 * ending in `.one` / `.other` is a plural message (messages/catalogue.ts): another language has the
 * forms its own plural rules use instead.
 */
export const en = {
  'language.name': 'English',

  // Languages (src/web/language-switch.ts): the page, its header and the switch on every view.
  'page.title': 'hush — share a secret',
  'page.language': 'Language',

  // Problems and errors (src/web/dom.ts): states the visitor cannot fix, and the alert region.
  'problem.title': 'This page cannot be shown',
  'problem.back': 'Share a secret of your own',
  'problem.gone-title': 'This secret is gone',
  'problem.gone-text':
    'It was already opened, burned, or it expired, so it cannot be shown again. If you still need it, ask the person who sent the link for a new one.',
  'problem.broken-title': 'This link is not complete',
  'problem.broken-text':
    'Part of the link is missing or was changed on the way (some mail and chat programs cut long links). Nothing was used up: ask the person who sent it to send the whole link again, copied in one piece.',
  'problem.not-found-title': 'There is nothing here',
  'problem.not-found-text':
    'This address is not a page of hush. Check it for typing mistakes, or ask whoever sent it for the link again.',
  'error.network': 'Cannot reach hush. Check the connection and try again.',
  'error.rate_limited': 'Too many requests from here. Wait a minute and try again.',
  'error.passphrase_invalid': 'That passphrase is wrong. Nothing was used up: try again.',
  'error.passphrase_required': 'This secret is protected by a passphrase: enter it first.',
  'error.not_found': 'This secret is gone: it was opened, burned or has expired.',
  'error.secret_too_large': 'The secret is too large for this server.',
  'error.ttl_out_of_range': 'This server does not allow that expiry.',
  'error.max_views_out_of_range': 'This server does not allow that number of views.',
  'error.https_required': 'This server only answers over HTTPS.',
  'error.sign_in_required':
    'This server takes new secrets only from signed-in accounts, and this page cannot sign in. Share with the hush command line after hush login.',
  'error.refused': 'The server refused the request ({code}). Try again, or ask whoever runs this server.',
  'error.crypto': 'The key in the link does not open this secret: the link is damaged or wrong.',
  'error.unknown': 'Something went wrong. Try again.',
  'error.no-crypto':
    'This page encrypts in the browser, which browsers allow only over a secure connection. Open it with an address that starts with https://.',

  // Copy buttons (src/web/copy.ts).
  'copy.label': 'Copy',
  'copy.done': 'Copied',
  'copy.status-done': 'Copied to the clipboard.',
  'copy.status-failed': 'Copying failed: the text is selected, copy it by hand.',

  // Create view (src/web/create-view.ts).
  'create.title': 'Share a secret',
  'create.lead':
    'It is encrypted in this browser before it is sent. The key stays in the link, and the link is the only way to open it.',
  'create.secret': 'Secret',
  'create.passphrase': 'Passphrase',
  'create.passphrase-hint': '(optional, send it another way)',
  'create.generate': 'Generate',
  'create.generated': 'A new passphrase is in the field: copy it and send it another way.',
  'create.ttl': 'Expires after',
  'create.views': 'Views allowed',
  'create.submit': 'Create link',
  'create.shortcut': 'Ctrl+Enter (⌘+Enter on a Mac) in the secret creates the link too.',
  'create.secret-missing': 'Write the secret first.',
  'create.views-invalid': 'Views allowed must be a whole number from 1 to {max}.',

  // Result view (src/web/result-view.ts, src/web/qr-view.ts).
  'result.title': 'Your link is ready',
  'result.summary.one': 'It opens once, until {until} ({relative}). After that it is gone.',
  'result.summary.other': 'It opens {count} times, until {until} ({relative}). After that it is gone.',
  'result.summary-passphrase.one':
    'It opens once with the passphrase, until {until} ({relative}). After that it is gone.',
  'result.summary-passphrase.other':
    'It opens {count} times with the passphrase, until {until} ({relative}). After that it is gone.',
  'result.link': 'Link to send',
  'result.show-qr': 'Show QR code',
  'result.hide-qr': 'Hide QR code',
  'result.qr-label': 'QR code of the link',
  'result.qr-hint':
    'Scan it with a phone to open the link there. It holds the whole link, key included: show it only to the person it is for.',
  'result.receipt': 'Receipt link',
  'result.receipt-hint': '(keep it for yourself)',
  'result.receipt-before': 'The receipt shows when the secret is opened and lets you burn it:',
  'result.receipt-open': 'open the receipt',
  'result.receipt-after': '. Both links are shown only here, once.',
  'result.new': 'Share another secret',
  'result.leave-share':
    'You have not copied the link to send yet. It is shown only here: once you leave, it cannot be shown again. Share another secret anyway?',
  'result.leave-receipt':
    'You have not copied the receipt link yet. It is shown only here: once you leave, it cannot be shown again. Share another secret anyway?',
  'result.leave-both':
    'You have not copied the link to send or the receipt link yet. They are shown only here: once you leave, they cannot be shown again. Share another secret anyway?',
  'result.leave-confirm': 'Yes, share another',
  'result.leave-cancel': 'Stay here',

  // Reveal view (src/web/reveal-view.ts).
  'reveal.title': 'A secret was shared with you',
  'reveal.checking': 'Checking the link…',
  'reveal.passphrase': 'Passphrase',
  'reveal.nothing-used': 'Nothing is used up until you press the button.',
  'reveal.submit': 'Reveal the secret',
  'reveal.secret': 'Secret',
  'reveal.views-left': 'Views left:',
  'reveal.opens.one': 'It can be opened once more, until {until} ({relative}).',
  'reveal.opens.other': 'It can be opened {count} more times, until {until} ({relative}).',
  'reveal.guarded': 'It is protected by a passphrase.',
  'reveal.keyless':
    'This link has no key after #: if the secret was made in a browser or with the CLI, ask for the whole link before opening it.',
  'reveal.passphrase-missing': 'Enter the passphrase first.',
  'reveal.destroyed': 'This secret was destroyed',
  'reveal.revealed': 'Revealed.',
  'reveal.revealed-last': 'Revealed. It is now gone from the server.',
  'reveal.hint-more':
    'Copy the secret now. The link keeps its key while views remain: opening it again uses one.',
  'reveal.hint-last':
    'That was its last view, so it is already gone: nothing is left to burn. The key was removed from the address bar. Copy the secret now: this page cannot show it again.',
  'reveal.burn-hint': 'Done with it? Burn it now, so nobody can use the views left with this link.',
  'reveal.burn-now': 'Burn it now',
  'reveal.burned': 'Burned. It is now gone from the server.',
  'reveal.burned-hint':
    'The key was removed from the address bar. Copy the secret now: this page cannot show it again.',
  'reveal.burned-status': 'It is gone: nobody can open this link again, you included.',
  'refusal.passphrase': 'Wrong passphrase; nothing was used up: try again.',
  'refusal.passphrase-last':
    'Wrong passphrase; nothing was used up. 1 attempt left: another wrong passphrase destroys the secret.',
  'refusal.passphrase-left.one': 'Wrong passphrase; nothing was used up: {count} attempt left.',
  'refusal.passphrase-left.other': 'Wrong passphrase; nothing was used up: {count} attempts left.',
  'refusal.link-damaged':
    'This link is damaged or incomplete: ask the sender for the whole link; nothing was used up.',
  'refusal.link-damaged-last':
    'This link is damaged or incomplete: ask the sender for the whole link; nothing was used up (1 wrong attempt left before the secret is destroyed).',
  'refusal.link-keyless':
    'This link is missing its key (the part after #): ask the sender for the whole link; nothing was used up.',
  'refusal.exhausted':
    'Too many wrong attempts: the secret was destroyed and cannot be opened any more; ask the sender to share it again.',

  // Receipt view (src/web/receipt-view.ts, src/web/receipt-text.ts).
  'receipt.title': 'Receipt',
  'receipt.lead': 'What happened to a secret you shared. This page never shows the secret.',
  'receipt.status': 'Status',
  'receipt.views': 'Views',
  'receipt.attempts': 'Failed tries',
  'receipt.expires': 'Expires',
  'receipt.ended': 'Ended',
  'receipt.timeline': 'Timeline',
  'receipt.live': 'This page checks for news by itself while the secret can still be opened.',
  'receipt.refresh': 'Refresh',
  'receipt.burn': 'Burn the secret',
  'receipt.burn-question': 'Burn it now? Nobody will be able to open it afterwards.',
  'receipt.burn-confirm': 'Yes, burn it',
  'receipt.burn-cancel': 'Keep it',
  'receipt.none-title': 'There is no receipt here',
  'receipt.none-text':
    'This receipt link is wrong, or the secret ended so long ago that its record was deleted.',
  'receipt.broken-text':
    'Part of this receipt link is missing or was changed on the way. Copy it again from where you kept it, in one piece.',
  'receipt.state-live.one': 'Can still be opened {count} more time',
  'receipt.state-live.other': 'Can still be opened {count} more times',
  'receipt.state-ended': 'Ended: {ending}',
  'receipt.opened.one': 'Opened {used} of {count} time',
  'receipt.opened.other': 'Opened {used} of {count} times',
  'receipt.wrong-passphrases.one': '{count} wrong passphrase',
  'receipt.wrong-passphrases.other': '{count} wrong passphrases',
  'receipt.damaged-links.one': '{count} damaged link',
  'receipt.damaged-links.other': '{count} damaged links',
  'receipt.tries-both': '{passphrases} and {links}',
  'receipt.end-viewed': 'opened as many times as allowed',
  'receipt.end-burned-by-sender': 'burned by the sender',
  'receipt.end-burned-by-link': 'burned by someone with the link',
  'receipt.end-burned': 'burned',
  'receipt.end-expired': 'expired',
  'receipt.end-expired-unopened': 'expired before it was opened',
  'receipt.end-limit-passphrases': 'burned after too many wrong passphrases',
  'receipt.end-limit-links': 'burned after too many tries with a damaged link',
  'receipt.end-limit-both': 'burned after too many wrong passphrases and damaged links',
  'receipt.end-other': 'ended ({state})',
  'receipt.event-created': 'Created',
  'receipt.event-opened': 'Opened',
  'receipt.event-passphrase-failed': 'Wrong passphrase entered',
  'receipt.event-link-key-failed': 'Tried with a damaged link (nothing was shown)',
  'receipt.event-expired': 'Expired',
  'receipt.event-burned': 'Burned',
  'receipt.event-other': 'Event: {type}',
  ...enRequests,

  // Files (issue 15 point 1, files-client): the create form's picker, the reveal's saving.
  'files.add': 'Add files',
  'files.drop': 'or drop them here',
  'files.limit': 'Files: up to {max} in all. Their names and contents are encrypted here too.',
  'files.list-label': 'Files to share',
  'files.remove': 'Remove',
  'files.remove-named': 'Remove {name}',
  'files.too-large':
    'Together the files come to {total}, more than this server takes ({max}): remove some first.',
  'files.too-many': 'One share holds at most {max} files.',
  'files.uploading': 'Encrypting and uploading the files: {percent}%',
  'files.upload-label': 'Encrypting and uploading',
  'files.title': 'Files',
  'files.downloading': 'Downloading and decrypting the files: {percent}%',
  'files.download-label': 'Downloading and decrypting',
  'files.ready': 'The files are ready. Save each one now: this page cannot get them again.',
  'files.failed': 'The files could not be opened: {reason}',
  'files.save': 'Save',
  'files.save-named': 'Save {name}',
  'files.bytes': '{n} B',
  'files.kilobytes': '{n} KB',
  'files.megabytes': '{n} MB',
  'files.gigabytes': '{n} GB',
} as const;

/** A message's key, as `t` takes it: a plain key, or a plural message's base (with `count`). */
export type MessageKey = KeyOf<typeof en>;

/** A catalogue of another language, with the plural forms `F` its language uses. */
export type Catalogue<F extends 'zero' | 'one' | 'two' | 'few' | 'many' | 'other'> = CatalogueLike<
  typeof en,
  F
>;
