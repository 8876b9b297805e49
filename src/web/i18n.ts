import { en, type MessageKey } from './messages/en.js';
import { ru } from './messages/ru.js';

/**
 * The page's words, from a message catalogue: the language is chosen at start-up and may change
 * at any time (language-switch.ts). Views ask `t` for their strings; numbers, dates and durations
 * are formatted for the current language by `Intl`. No DOM here: the server's tests import it.
 *
 * To add a language: write `messages/<code>.ts` (the same keys as en.ts, plural forms as its
 * `Intl.PluralRules` has them) and add it to CATALOGUES below, and its code to PAGE_LANGUAGES in
 * src/http/surfaces/web/page-language.ts (the server chooses among those).
 */
export const CATALOGUES = { en, ru } as const;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Language[];
export type { MessageKey };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(CATALOGUES, value);
}

let current: Language = 'en';
/** The locale numbers and dates are formatted in: the page's language, in the reader's region. */
let locale: string = current;

export function setLanguage(language: Language): void {
  current = language;
  locale = regional(language);
}

/**
 * The browser's own locale for this language when it has one (`en-GB` writes "3 Dec 2026", `en-US`
 * "Dec 3, 2026"), else the language itself: the reader's habits, in the page's words.
 */
function regional(language: Language): string {
  const preferred = (globalThis as { navigator?: { languages?: readonly string[] } }).navigator?.languages;
  const match = preferred?.find((tag) => tag.toLowerCase().split('-')[0] === language);
  try {
    return match ? (Intl.getCanonicalLocales(match)[0] ?? language) : language;
  } catch {
    return language;
  }
}

export function language(): Language {
  return current;
}

/** A date (ISO text) shown in the reader's language; `seconds` for events within a minute of each other. */
export interface DateValue {
  readonly date: string;
  readonly seconds?: boolean;
}
/** A duration in seconds, in its largest whole unit: "30 days", "30 дней". */
export interface DurationValue {
  readonly duration: number;
}
/** How far a moment (ISO text) is from now: "in 5 minutes", "через 5 минут". */
export interface RelativeValue {
  readonly relative: string;
}
/** Another message, rendered in the same language (for a sentence built of parts). */
export interface Words {
  readonly key: MessageKey;
  readonly values?: Values;
  /** Starts with a capital letter: a part told as a sentence of its own ("Burned by the sender"). */
  readonly capital?: boolean;
}
export type Value = string | number | DateValue | DurationValue | RelativeValue | Words;
export type Values = Readonly<Record<string, Value>>;

/**
 * The string for `key` in the current language, with `{name}` placeholders filled from `values`.
 * A plural message's key is its base (`receipt.opened`): the form comes from `values.count`.
 */
export function t(key: MessageKey, values: Values = {}): string {
  const text = lookup(CATALOGUES[current], key, values) ?? lookup(en, key, values) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : format(value);
  });
}

/** Words as a string in the current language. */
export function sayWords(words: Words): string {
  const text = t(words.key, words.values);
  return words.capital ? `${text.charAt(0).toLocaleUpperCase(current)}${text.slice(1)}` : text;
}

function lookup(
  catalogue: Readonly<Record<string, string>>,
  key: string,
  values: Values,
): string | undefined {
  const plain = catalogue[key];
  if (plain !== undefined) return plain;
  const count = typeof values.count === 'number' ? values.count : 0;
  const form = new Intl.PluralRules(current).select(count);
  return catalogue[`${key}.${form}`] ?? catalogue[`${key}.other`];
}

function format(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  if ('key' in value) return sayWords(value);
  if ('date' in value) return formatDate(value.date, value.seconds);
  if ('duration' in value) return formatDuration(value.duration);
  return formatRelative(value.relative);
}

/** A date in the current language; text that is not a date is shown as it is. */
export function formatDate(iso: string, seconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: seconds ? 'medium' : 'short',
  }).format(date);
}

const UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** A duration in whole units, the largest that fits: "30 days", "90 minutes". */
export function formatDuration(seconds: number): string {
  const [unit, size] = UNITS.find(([, size]) => seconds % size === 0) ?? ['second', 1];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(seconds / size);
}

/**
 * How far `iso` is from `now` in the largest unit it reaches, rounded: "in 1 day", "5 minutes ago".
 * Within 1% of a unit counts as reaching it, so a day's expiry read a moment later is still
 * "in 1 day", not "in 24 hours".
 */
export function formatRelative(iso: string, now = Date.now()): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size * 0.99) ?? ['second', 1];
  return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(Math.round(seconds / size), unit);
}
