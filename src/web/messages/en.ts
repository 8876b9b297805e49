/**
 * The page's English catalogue: every string the page shows, by key. `{name}` marks a value the
 * page fills in. Other catalogues must have exactly these keys (test/web-catalogues.test.ts).
 */
export const en = {
  'language.name': 'English',
  // Secret requests (requests helper): /request, /request/<key>, /respond/<key>.
  'request.ask_link': 'Ask someone for a secret',
  'request.create.title': 'Ask someone for a secret',
  'request.create.lead':
    'You get two links. Send one to the person who has the secret: they type it on the page, and it is encrypted in their browser so that only your other link can open it. Not even the server can read it.',
  'request.create.note': 'Note for them',
  'request.create.note_hint': '(optional: they see it, so never put a secret here)',
  'request.create.note_too_long': 'The note can have at most {max} characters.',
  'request.create.expiry': 'Open for',
  'request.create.submit': 'Create the links',
  'request.create.shortcut': 'Ctrl+Enter (⌘+Enter on a Mac) in the note creates the links too.',
  'request.made.title': 'Your request is ready',
  'request.made.summary': 'It can be answered until {date}. Both links are shown only here, once.',
  'request.made.send_label': '1. Link to send to the person who has the secret',
  'request.made.send_hint': 'Send this one. It lets them answer once, and it cannot read the answer.',
  'request.made.keep_label': '2. Link to keep for yourself',
  'request.made.keep_hint':
    'Keep this one and do not send it: it alone opens the answer, once. If you lose it, nobody can read the answer.',
  'request.made.open_keep': 'Open the link to keep',
  'request.made.another': 'Ask for another secret',
  'request.copy': 'Copy',
  'request.respond.title': 'Someone asks you for a secret',
  'request.respond.checking': 'Checking the link…',
  'request.respond.note_label': 'Their note',
  'request.respond.no_note': 'They left no note.',
  'request.respond.until': 'You can answer once, until {date}.',
  'request.respond.answer': 'Your answer',
  'request.respond.hint':
    'It is encrypted in this browser before it is sent: only the person who asked can read it, once. Ctrl+Enter (⌘+Enter on a Mac) sends it.',
  'request.respond.send': 'Send',
  'request.respond.empty': 'Write the answer first.',
  'request.respond.too_large': 'The answer is too large for this server.',
  'request.respond.sent_title': 'Sent',
  'request.respond.sent':
    'Only the person who asked can read it: it was encrypted in this browser, and the server cannot open it. You can close this page.',
  'request.closed.title': 'This request is closed',
  'request.closed.text':
    'It was already answered, cancelled, or it expired. If they still need the secret, ask them for a new link.',
  'request.broken.title': 'This link is not complete',
  'request.broken.text':
    'Part of the link is missing or was changed on the way (some mail and chat programs cut long links). Nothing was sent: ask for the whole link again, copied in one piece.',
  'request.view.title': 'Your secret request',
  'request.view.state': 'Status',
  'request.view.note': 'Note',
  'request.view.expires': 'Open until',
  'request.view.answered_at': 'Answered',
  'request.view.not_yet': 'not yet',
  'request.state.open': 'Waiting for an answer',
  'request.state.answered': 'Answered',
  'request.state.revealed': 'Revealed',
  'request.state.burned': 'Cancelled',
  'request.state.expired': 'Expired',
  'request.view.open_text': 'Nobody has answered yet. Come back to this link later, or check again now.',
  'request.view.answered_text':
    'They answered. You can reveal the answer once: after that it is gone from the server.',
  'request.view.revealed_text':
    'The answer was already revealed. It can be read only once, so it cannot be shown again.',
  'request.view.burned_text': 'This request was cancelled: nothing can be answered or read any more.',
  'request.view.expired_text': 'This request expired. Any answer it had was erased.',
  'request.view.refresh': 'Check again',
  'request.view.reveal': 'Reveal the answer',
  'request.view.answer': 'Answer',
  'request.view.revealed_hint':
    'Copy it now: this page cannot show it again. The key was removed from the address bar.',
  'request.view.burn': 'Cancel the request',
  'request.view.burned_now': 'Cancelled: the link to send no longer works, and any answer was erased.',
  'request.gone.title': 'This request is gone',
  'request.gone.text': 'It does not exist any more: it ended a while ago, or the link is wrong.',
  'request.error.network': 'Cannot reach hush. Check the connection and try again.',
  'request.error.rate_limited': 'Too many requests from here. Wait a minute and try again.',
  'request.error.ttl': 'This server does not allow that expiry.',
  'request.error.crypto':
    'The key in this link does not open the answer: the link is damaged, or the answer was changed.',
  'request.error.no_crypto':
    'This page encrypts in the browser, which browsers allow only over a secure connection. Open it with an address that starts with https://.',
  'request.error.other': 'Something went wrong. Try again.',
} as const;

export type MessageKey = keyof typeof en;
