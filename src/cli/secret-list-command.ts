import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { folderArgument } from './secret-args.js';
import { openKv, SERVER_HELP } from './secret-client.js';
import { printable } from './text-table.js';

export const SECRET_LIST_USAGE = `usage: hush secret list [options] [folder]
  The secrets and sub-folders one level under the folder (the top when none is given) that you
  may list, one full name per line, in name order; folders end in /.

  --json           print the API's answer: {"keys":[…]}, names relative to the folder
${SERVER_HELP}
  -h, --help       this help

  hush secret list apps/billing
`;

/** `hush secret list`: returns the exit code. */
export function runSecretListCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('secret list', args, CLIENT_OPTIONS, [0, 1]);
    if (values.help) return write(io.stdout, SECRET_LIST_USAGE);
    const folder = folderArgument(positionals[0]);
    const { kv, failure } = await openKv(io, values.server);
    const listed = await kv.list(folder).catch(failure({ name: folder }));
    if (values.json) return write(io.stdout, `${JSON.stringify(listed)}\n`);
    if (listed.keys.length === 0) {
      if (io.stdout.isTTY)
        await note(io, folder === '' ? 'no secrets you may list' : `nothing under ${folder}`);
      return;
    }
    await write(io.stdout, listed.keys.map((key) => `${printable(`${folder}${key}`)}\n`).join(''));
  });
}
