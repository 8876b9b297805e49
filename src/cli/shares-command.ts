import type { Static } from 'typebox';
import { ApiError } from '../client/api-call.js';
import type { OwnedSharesResponse } from '../http/schemas/share-schemas.js';
import { dispatchAction } from './action-dispatch.js';
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
import { type SignedIn, scopeFailure, sessionFailure, signIn } from './saved-login.js';
import { textTable } from './text-table.js';

type OwnedShares = Static<typeof OwnedSharesResponse>;

export const SHARES_USAGE = `usage: hush shares list|burn [options]
  The shares you created while signed in (hush login, or HUSH_TOKEN; the token needs the
  shares:write scope): their state, and a burn by id, without their links.

  list [--page <n>] [--page-size <n>]   newest first: id, state, views, created, expires
  burn <id>                             destroy one of your pending shares now

  Both take --server <url> (default: the saved login's) and --json (the API's answer).
`;

const LIST_OPTIONS = {
  ...CLIENT_OPTIONS,
  page: { type: 'string', default: '1' },
  'page-size': { type: 'string', default: '20' },
} as const;

const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

/** The owned-share routes, with refusals in words: a dead login, a token without shares:write. */
async function call<T extends object>(api: SignedIn, method: string, path: string): Promise<T> {
  try {
    return await api.call<T>(method, path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new CliError(EXIT.refused, 'no pending share of yours has this id (burned, ended, or not yours)');
    }
    throw scopeFailure(sessionFailure(error, api), 'shares:write');
  }
}

const whole = (text: string, name: string, max: number) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new CliError(EXIT.usage, `${name} must be a whole number from 1 to ${max}`);
  }
  return n;
};

function table(listed: OwnedShares): string {
  if (listed.shares.length === 0) return 'no shares: the ones you create while signed in are listed here\n';
  const rows = listed.shares.map((s) => [
    s.id,
    s.end_reason ? `${s.state} (${s.end_reason})` : s.state,
    `${s.views_used}/${s.max_views}`,
    s.created_at,
    s.expires_at,
  ]);
  const shown = listed.page_size * (listed.page - 1) + listed.shares.length;
  const more =
    shown < listed.total ? `(${shown} of ${listed.total}: --page ${listed.page + 1} for more)\n` : '';
  return textTable(['ID', 'STATE', 'VIEWS', 'CREATED', 'EXPIRES'], rows) + more;
}

async function runList(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values } = parseCommandArgs('shares list', args, LIST_OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, SHARES_USAGE);
    const page = whole(values.page, '--page', 10_000);
    const size = whole(values['page-size'], '--page-size', 100);
    const api = await signIn(io, values.server);
    const listed = await call<OwnedShares>(
      api,
      'GET',
      `/api/v1/shares?owner=me&page=${page}&page_size=${size}`,
    );
    await write(io.stdout, values.json ? `${JSON.stringify(listed)}\n` : table(listed));
  });
}

async function runBurn(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('shares burn', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, SHARES_USAGE);
    const id = positionals[0] ?? '';
    if (!SHARE_ID.test(id)) {
      throw new CliError(EXIT.usage, 'a share id is 22 letters, digits, "-" or "_" (see hush shares list)');
    }
    const api = await signIn(io, values.server);
    await call(api, 'POST', `/api/v1/shares/owned/${id}/burn`);
    if (values.json) return write(io.stdout, '{"burned":true}\n');
    await note(io, `burned ${id}: it cannot be revealed any more`);
  });
}

/** `hush shares list|burn`: returns the exit code. */
export function runSharesCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return dispatchAction('shares', { list: runList, burn: runBurn }, SHARES_USAGE, args, io);
}
