import type { KvContext } from './kv-context.js';
import { validateFolder } from './kv-validation.js';
import type { SecretActor } from './secret-types.js';

/** Records scanned per store call. */
const LIST_BATCH = 500;
/** Sorts after every character a name may hold ([A-Za-z0-9._-/]): `folder/` + this passes a whole sub-folder. */
const PAST_FOLDER = '\u007f';

/**
 * One folder level under `folder`: the names of secrets directly in it and its sub-folders (with
 * a trailing '/'), in name order. A secret shows when the actor may `list` it; a sub-folder when
 * it may list at least one secret in it. Once a sub-folder shows, the scan jumps past the rest of
 * it, so the cost follows what is shown and what is hidden, never the size of shown folders.
 */
export async function listFolder(ctx: KvContext, actor: SecretActor, folder: string): Promise<string[]> {
  const prefix = validateFolder(folder);
  const decide = await ctx.policies.decider(actor);
  const at = ctx.now();
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const batch = await ctx.store.listByPrefix(prefix, at, after, LIST_BATCH);
    let jumped = false;
    for (const secret of batch) {
      after = secret.name;
      if (!decide(secret.name).has('list')) continue;
      const rest = secret.name.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        keys.push(rest);
        continue;
      }
      const sub = rest.slice(0, slash + 1);
      keys.push(sub);
      after = `${prefix}${sub}${PAST_FOLDER}`;
      jumped = true;
      break;
    }
    if (!jumped && batch.length < LIST_BATCH) return keys;
  }
}
