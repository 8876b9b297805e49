import { closest, distance } from 'fastest-levenshtein';

/**
 * The known name a mistyped one most likely meant (`uesr` → `user`, `lsit` → `list`), or undefined
 * when none is near: at most 1 edit for names of up to 3 letters, 2 up to 7, 3 beyond, and fewer
 * edits than the typed word has letters (so `ab` suggests nothing). Case is ignored.
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  if (typed === '' || known.length === 0) return undefined;
  const lower = typed.toLowerCase();
  const best = closest(lower, known);
  const edits = distance(lower, best);
  const allowed = best.length <= 3 ? 1 : best.length <= 7 ? 2 : 3;
  return edits <= allowed && edits < typed.length ? best : undefined;
}

/** A word from argv as messages show it: quoted, and escaped if it holds anything but plain text. */
export function quoteWord(word: string): string {
  return /^[\x20-\x26\x28-\x7e]*$/.test(word) ? `'${word}'` : JSON.stringify(word);
}

/**
 * "hush: unknown command 'uesr'. Did you mean 'user'?" (newline-terminated), for a command or, with
 * `parent`, an action of one ("unknown command 'user lsit'. Did you mean 'user list'?").
 */
export function unknownCommandMessage(typed: string, known: readonly string[], parent?: string): string {
  const full = (word: string) => (parent === undefined ? word : `${parent} ${word}`);
  const guess = nearest(typed, known);
  const help = parent === undefined ? 'hush --help' : `hush ${parent} --help`;
  return guess === undefined
    ? `hush: unknown command ${quoteWord(full(typed))}. Run '${help}' to see the commands.\n`
    : `hush: unknown command ${quoteWord(full(typed))}. Did you mean ${quoteWord(full(guess))}?\n`;
}
