/**
 * Durations in words for messages people read ("1 minute", "1 hour 30 minutes", "30 days").
 *
 * A leaf module in a folder of its own, importing nothing: the server's validation (src/shares,
 * src/settings), the configuration and the CLI all state duration ranges with it, and none of them
 * may import another's layer (src/client is the page's and CLI's, src/cli sits above the core).
 */
const UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** Whole seconds as days, hours, minutes and seconds, largest first, zero parts left out; exact. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return `${seconds} seconds`;
  let left = Math.round(seconds);
  if (left === 0) return '0 seconds';
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const count = Math.floor(left / size);
    if (count === 0) continue;
    left -= count * size;
    parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}

/** "60 (1 minute)": the number a field takes, with its meaning beside it. */
export function secondsWithWords(seconds: number): string {
  return `${seconds} (${humanDuration(seconds)})`;
}
