import { type ActionRun, dispatchAction } from './action-dispatch.js';
import { type CliIo, processIo } from './client-command.js';
import { runSecretGetCommand } from './secret-get-command.js';
import { runSecretListCommand } from './secret-list-command.js';
import { runSecretMetadataCommand } from './secret-metadata-command.js';
import { runSecretPutCommand } from './secret-put-command.js';
import {
  runSecretDeleteCommand,
  runSecretDestroyCommand,
  runSecretUndeleteCommand,
  runSecretVersionsCommand,
} from './secret-versions-command.js';

export const SECRET_USAGE = `usage: hush secret <action> [options] <name>
  The secret store, as the signed-in account (hush login) or HUSH_TOKEN. A secret is a name such
  as apps/billing/db holding numbered versions of KEY=VALUE data.

  put <name> KEY=VALUE… | KEY=@file | -   store a new version (--cas, --ttl)
  get <name>                 print the current version (--field, --version, --json)
  list [folder]              names one level under a folder; folders end in /
  versions <name>            each version: when written, live, deleted or destroyed
  delete <name>              soft-delete the current version (or --versions 1,2)
  undelete <name>            bring back --versions
  destroy <name>             erase --versions for good (or --all: the whole secret)
  metadata <name>            show the settings; --max-versions, --cas-required,
                             --delete-after, --custom change them

  hush secret <action> --help shows an action's options.
`;

const ACTIONS: Record<string, ActionRun> = {
  put: runSecretPutCommand,
  get: runSecretGetCommand,
  list: runSecretListCommand,
  versions: runSecretVersionsCommand,
  delete: runSecretDeleteCommand,
  undelete: runSecretUndeleteCommand,
  destroy: runSecretDestroyCommand,
  metadata: runSecretMetadataCommand,
};

/** `hush secret <action>`: returns the exit code. */
export async function runSecretCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return dispatchAction('secret', ACTIONS, SECRET_USAGE, args, io);
}
