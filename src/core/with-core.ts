import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Core } from './core-types.js';
import { createDisposer } from './disposer.js';
import { openCore } from './open-core.js';

/**
 * Opens the core for one server-side command (`hush user …`, `hush keys …`), runs `use`, then
 * closes what was opened. No HTTP app, no settings poller, no worker jobs: the command exits once it closes.
 */
export async function withCore<T>(
  config: Config,
  logger: Logger,
  use: (core: Core) => Promise<T>,
): Promise<T> {
  const disposer = createDisposer(logger);
  let result: T;
  try {
    result = await use(await openCore(config, logger, disposer));
  } catch (error) {
    // The command's own failure is the one to report; a closer's is logged by the disposer.
    await disposer.close().catch(() => undefined);
    throw error;
  }
  await disposer.close();
  return result;
}
