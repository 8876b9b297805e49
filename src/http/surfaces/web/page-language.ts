/**
 * The page's language, chosen by the server for each page it serves: the visitor's own choice
 * (the `hush_lang` cookie the page's language switch sets) first, then the browser's
 * Accept-Language by q-value (`ru-RU` is Russian), else English. The codes are those of the page's
 * catalogues (src/web/i18n.ts; test/web-language.test.ts checks that both lists agree).
 */
export const PAGE_LANGUAGES = ['en', 'ru'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: PageLanguage = 'en';
export const LANGUAGE_COOKIE = 'hush_lang';

const known = (code: string): PageLanguage | undefined =>
  PAGE_LANGUAGES.find((language) => language === code.toLowerCase());

/** The `hush_lang` cookie's language, when it names one of the page's. */
export function cookieLanguage(cookie: string | undefined): PageLanguage | undefined {
  for (const pair of (cookie ?? '').split(';')) {
    const [name = '', value = ''] = pair.split('=').map((part) => part.trim());
    if (name === LANGUAGE_COOKIE) return known(value);
  }
  return undefined;
}

/**
 * The page language the browser prefers most: ranges by q (a missing q is 1, q=0 means "not
 * this"; equal q keeps the browser's order), each matched by its primary subtag. `*` and unknown
 * languages match nothing, so the page falls back to English.
 */
export function acceptedLanguage(header: string | undefined): PageLanguage | undefined {
  const ranges = (header ?? '')
    .split(',')
    .slice(0, 50)
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';').map((piece) => piece.trim());
      const q = params.find((param) => /^q=/i.test(param));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return {
        language: known(tag.split('-')[0] ?? ''),
        weight: Number.isFinite(weight) ? weight : 0,
        index,
      };
    })
    .filter((range) => range.language !== undefined && range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges[0]?.language;
}

export function pageLanguage(headers: {
  readonly cookie?: string | undefined;
  readonly 'accept-language'?: string | undefined;
}): PageLanguage {
  return cookieLanguage(headers.cookie) ?? acceptedLanguage(headers['accept-language']) ?? DEFAULT_LANGUAGE;
}

const HTML_LANG = /<html lang="[^"]*"/;

/** The page with its language in `<html lang>`, where the page reads it at start-up. */
export function withPageLanguage(html: string, language: PageLanguage): string {
  return html.replace(HTML_LANG, `<html lang="${language}"`);
}
