const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const WHOLE = /^(?:\d+[smhdw])+$/;
const PART = /(\d+)([smhdw])/g;

/**
 * A duration as `--ttl` takes it: plain seconds (`3600`) or number-unit pairs (`30m`, `1h`, `2d`,
 * `1w`, `1h30m`). Undefined when malformed or zero; the server decides which range it allows.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  let seconds = 0;
  if (/^\d+$/.test(value)) seconds = Number(value);
  else if (WHOLE.test(value)) {
    for (const [, amount, unit] of value.matchAll(PART))
      seconds += Number(amount) * (UNIT_SECONDS[unit ?? ''] ?? 0);
  } else return undefined;
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** A positive whole number (`--views`); undefined otherwise. */
export function parseCount(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}
