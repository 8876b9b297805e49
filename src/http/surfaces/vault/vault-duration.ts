import { HushError } from '../../../errors/hush-error.js';

/** Ten years: no duration hush keeps is longer. */
export const MAX_DURATION_SECONDS = 315_360_000;

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/gy;

/**
 * A duration as Vault takes it (parseutil.ParseDurationSecond): a number of seconds, a string of
 * digits, or Go's notation (`90s`, `1h30m`, `1.5h`, and `d` for days), in whole seconds rounded
 * down. Anything else, a negative or one over ten years, is a 400 that names the field.
 */
export function parseDuration(value: number | string, field: string): number {
  const refuse = () =>
    new HushError('bad_request', `${field} must be seconds or a duration such as "90s", "1h30m" or "7d".`);
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (value.trim() === '') seconds = 0;
  else if (/^\d+$/.test(value.trim())) seconds = Number(value.trim());
  else {
    const text = value.trim();
    seconds = 0;
    PART.lastIndex = 0;
    let end = 0;
    for (let match = PART.exec(text); match; match = PART.exec(text)) {
      seconds += Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? Number.NaN);
      end = PART.lastIndex;
    }
    if (end !== text.length) throw refuse();
  }
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_DURATION_SECONDS) throw refuse();
  return Math.floor(seconds + 1e-9);
}

/** Whole seconds in Go's `time.Duration.String()` notation: `0s`, `45s`, `1m30s`, `3h0m0s`. */
export function goDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Optional variant: undefined stays undefined. */
export function optionalDuration(value: number | string | undefined, field: string): number | undefined {
  return value === undefined ? undefined : parseDuration(value, field);
}
