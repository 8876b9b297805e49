import { formatDuration } from './i18n.js';

/** The share limits the server put into the page (`<meta name="hush-limits">`, web-page.ts). */
export interface PageLimits {
  readonly ttlDefaultSeconds: number;
  readonly ttlMinSeconds: number;
  readonly ttlMaxSeconds: number;
  readonly maxViews: number;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The usual expiries; only those within the server's bounds are offered. */
const CHOICES = [5 * MINUTE, HOUR, DAY, 7 * DAY, 30 * DAY];

/**
 * The limits in the page, or undefined when it has none (the page served by `vite` in development,
 * or a server from before them): the form then keeps the choices written in index.html.
 */
export function readPageLimits(): PageLimits | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="hush-limits"]')?.content ?? '';
  const values = new Map(
    content
      .split(' ')
      .map((pair) => pair.split('='))
      .map(([name = '', value = '']) => [name, Number(value)] as const),
  );
  const get = (name: string) => {
    const value = values.get(name);
    return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const [ttlDefaultSeconds, ttlMinSeconds, ttlMaxSeconds, maxViews] = [
    get('ttl-default'),
    get('ttl-min'),
    get('ttl-max'),
    get('max-views'),
  ];
  if (!ttlDefaultSeconds || !ttlMinSeconds || !ttlMaxSeconds || !maxViews) return undefined;
  return { ttlDefaultSeconds, ttlMinSeconds, ttlMaxSeconds, maxViews };
}

/**
 * Fills the expiry select with the usual choices within min..max, plus the server's default (and
 * its maximum, so the longest allowed expiry is always offered) where they are not among them.
 */
export function fillExpiryChoices(select: HTMLSelectElement, limits: PageLimits): void {
  const within = CHOICES.filter((s) => s >= limits.ttlMinSeconds && s <= limits.ttlMaxSeconds);
  const seconds = [...new Set([...within, limits.ttlDefaultSeconds, limits.ttlMaxSeconds])].sort(
    (a, b) => a - b,
  );
  select.replaceChildren(
    ...seconds.map((s) => {
      const chosen = s === limits.ttlDefaultSeconds;
      const option = new Option(formatDuration(s), String(s), chosen, chosen);
      option.dataset.i18nDuration = String(s); // said again when the language changes
      return option;
    }),
  );
}
