import type { Logger } from 'pino';
import type { AuditEvent } from '../audit/audit-types.js';
import type { Config } from '../config/config.js';
import { withCore } from '../core/with-core.js';
import { humanDuration } from '../format/human-duration.js';
import { type RewrapDeps, rewrapSecrets, rewrapSettleMs } from '../secrets/secret-rewrap.js';
import { withProgress } from './progress.js';
import { unknownCommandMessage } from './suggest.js';

export const KEYS_USAGE = `usage: hush keys rotate | hush keys rewrap
  rotate  adds a keyring key; new secret versions are wrapped by it, older ones still read
  rewrap  moves every secret version's data key to the newest keyring key (safe while serving;
          within a minute of a rotation it first waits until every node writes with the new key)
`;

export interface KeysCommandOptions {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** `hush keys rotate|rewrap`: the secret store's keyring, on the configured storage; returns the exit code. */
export async function runKeysCommand(
  args: readonly string[],
  config: Config,
  logger: Logger,
  options: KeysCommandOptions = {},
): Promise<number> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    process.stdout.write(KEYS_USAGE);
    return 0;
  }
  if (action !== undefined && action !== 'rotate' && action !== 'rewrap') {
    process.stderr.write(unknownCommandMessage(action, ['rotate', 'rewrap'], 'keys'));
    return 2;
  }
  if (action === undefined || rest.length > 0) {
    process.stderr.write(KEYS_USAGE);
    return 2;
  }
  // The server's own core: same storage, master key and key check.
  return withCore(config, logger, async (hush) => {
    if (action === 'rotate') {
      // The key and its event are one store step: a rotation that could not be audited adds no key.
      let events: readonly AuditEvent[] = [];
      const version = await hush.keyring.rotate((next) => {
        events = [
          hush.audit.prepare({
            type: 'key.rotated',
            subject: { kind: 'key', id: String(next) },
            data: { version: next },
          }),
        ];
        return events;
      });
      hush.audit.stored(events);
      process.stdout.write(`keyring key ${version} is now active\n`);
    } else {
      const keys = await hush.storage.keyring.list();
      const settle = rewrapSettleMs(keys, now());
      if (settle > 0) {
        process.stderr.write(
          `waiting ${humanDuration(Math.ceil(settle / 1000))}: running nodes may write with an older key until a minute after key ${keys.at(-1)?.version} was added\n`,
        );
        await sleep(settle);
      }
      const secrets = hush.storage.secrets;
      const result = await withProgress(process.stderr, (progress) => {
        let moved = 0;
        // Counted per batch as the store applies it: rewrapSecrets itself stays silent.
        const store: RewrapDeps['store'] = {
          staleVersions: (...args) => secrets.staleVersions(...args),
          rewrap: async (moves) => {
            const applied = await secrets.rewrap(moves);
            moved += applied;
            progress.update(`rewrapping: ${moved} secret versions moved`);
            return applied;
          },
        };
        return rewrapSecrets({ store, keyring: hush.keyring, logger });
      });
      const summary =
        `${result.moved} secret versions to keyring key ${result.keyVersion}` +
        ` (${result.skipped} changed meanwhile, ${result.unreadable} unreadable)`;
      // Said first: the moves are done even if recording them fails.
      process.stdout.write(`rewrapped ${summary}\n`);
      await hush.audit.record({
        type: 'key.rewrapped',
        subject: { kind: 'key', id: String(result.keyVersion) },
        data: { moved: result.moved, skipped: result.skipped, unreadable: result.unreadable },
      });
      if (result.unreadable > 0) return 1;
    }
    return 0;
  });
}
