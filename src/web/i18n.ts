import { en, type MessageKey } from './messages/en.js';
import { ru } from './messages/ru.js';

/**
 * The page's words, from a message catalogue chosen once per page load. The languages work
 * (issue 15, point 6) decides how the language is chosen; every view asks `t` for its strings.
 */
export const CATALOGUES = { en, ru } as const;
export type Language = keyof typeof CATALOGUES;

let current: Language = 'en';

export function setLanguage(language: Language): void {
  current = language;
}

export function language(): Language {
  return current;
}

/** The string for `key` in the current language, with `{name}` placeholders filled from `values`. */
export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
  const text: string = CATALOGUES[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
