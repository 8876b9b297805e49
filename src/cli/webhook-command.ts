import { isWebhookEvent, WEBHOOK_EVENTS } from '../webhooks/webhook-types.js';
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
import { signIn } from './saved-login.js';
import { unknownCommandMessage } from './suggest.js';
import { textTable } from './text-table.js';
import { webhookApi } from './webhook-api.js';

export const WEBHOOK_USAGE = `usage: hush webhook add|list|deliveries|remove [options]
  Webhook endpoints: hush POSTs a signed message (Standard Webhooks) to your URL when one of your
  shares is viewed, burned or expires, or a request of yours is answered (docs/webhooks.md). Signs
  in as hush login (or HUSH_TOKEN) does.

  add <url> [--events share.viewed,…] [--all-accounts]
                     registers an endpoint; prints its id, and its whsec_ secret once on stdout
                     (--all-accounts: every account's events, admins only)
  list [--all]       your endpoints with their delivery counts (--all: everyone's, admins)
  deliveries <id>    the endpoint's recent deliveries: status, attempts, last answer
  remove <id>        removes the endpoint and its deliveries

  Every action takes --server <url> (default: the saved login's), --json (the API's answer) and
  --help.
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  events: { type: 'string' },
  'all-accounts': { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
} as const;

const time = (iso: string | null) => (iso === null ? '-' : iso.replace(/\.\d+Z$/, 'Z'));

async function run(action: string, args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const arity: Record<string, [number, number]> = {
      add: [1, 1],
      list: [0, 0],
      deliveries: [1, 1],
      remove: [1, 1],
    };
    const { values, positionals } = parseCommandArgs(
      `webhook ${action}`,
      args,
      OPTIONS,
      arity[action] ?? [0, 0],
    );
    if (values.help) return write(io.stdout, WEBHOOK_USAGE);
    // Flags are checked before any request.
    const events = values.events?.split(',').map((e) => e.trim());
    if (events !== undefined && !events.every(isWebhookEvent)) {
      throw new CliError(
        EXIT.usage,
        `--events takes a comma-separated list of: ${WEBHOOK_EVENTS.join(', ')}`,
      );
    }
    const api = webhookApi(await signIn(io, values.server));
    const [arg = ''] = positionals;
    if (action === 'add') {
      const chosen = events?.filter(isWebhookEvent);
      const created = await api.add({
        url: arg,
        events: chosen,
        all_accounts: values['all-accounts'] || undefined,
      });
      if (values.json) return write(io.stdout, `${JSON.stringify(created)}\n`);
      await note(
        io,
        `webhook ${created.id}: ${created.events.join(', ')}; the secret below is shown only now`,
      );
      return write(io.stdout, `${created.secret}\n`);
    }
    if (action === 'list') {
      const listed = await api.list(values.all);
      if (values.json) return write(io.stdout, `${JSON.stringify(listed)}\n`);
      const rows = listed.webhooks.map((w) => [
        w.id,
        w.url,
        w.all_accounts ? 'all accounts' : 'own',
        w.events.join(','),
        `${w.deliveries.delivered}/${w.deliveries.pending}/${w.deliveries.failed}`,
      ]);
      return write(io.stdout, textTable(['ID', 'URL', 'SCOPE', 'EVENTS', 'DELIVERED/PENDING/FAILED'], rows));
    }
    if (action === 'deliveries') {
      const listed = await api.deliveries(arg);
      if (values.json) return write(io.stdout, `${JSON.stringify(listed)}\n`);
      const rows = listed.deliveries.map((d) => [
        d.id,
        d.event_type,
        d.status,
        String(d.attempts),
        d.last_status_code === null ? (d.last_error ?? '-') : String(d.last_status_code),
        time(d.status === 'delivered' ? d.delivered_at : d.next_attempt_at),
      ]);
      return write(
        io.stdout,
        textTable(['WEBHOOK-ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST', 'DELIVERED/NEXT'], rows),
      );
    }
    await api.remove(arg);
    if (values.json) return write(io.stdout, '{"removed":true}\n');
    await note(io, `removed webhook ${arg} and its deliveries`);
  });
}

/** `hush webhook <action>`: returns the exit code. */
export async function runWebhookCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [action, ...rest] = args;
  const actions = ['add', 'list', 'deliveries', 'remove'];
  if (action === '--help' || action === '-h') {
    await write(io.stdout, WEBHOOK_USAGE);
    return EXIT.ok;
  }
  if (action !== undefined && actions.includes(action)) return run(action, rest, io);
  if (action !== undefined) {
    await write(io.stderr, unknownCommandMessage(action, actions, 'webhook'));
    return EXIT.usage;
  }
  await note(io, 'which action?');
  await write(io.stderr, WEBHOOK_USAGE);
  return EXIT.usage;
}
