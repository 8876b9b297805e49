import { CATALOGUES, isLanguage, LANGUAGES, type Language, language, setLanguage } from './i18n.js';
import { translatePage } from './page-words.js';

/** The cookie the server reads before Accept-Language (src/http/surfaces/web/page-language.ts). */
const COOKIE = 'hush_lang';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Fired on `document` after the page changed language, for views that draw text of their own. */
export const LANGUAGE_EVENT = 'hush:language';

/**
 * Chooses the page's language and wires the switch in the header (on every view). The server has
 * already chosen (the `hush_lang` cookie, else Accept-Language) and said so in `<html lang>`; the
 * cookie is read here too, for a page served without that choice (`vite` in development).
 * Switching says the page again in place: nothing reloads, so a typed form stays as it is and a
 * reveal page never asks the server for anything.
 */
export function startLanguage(): void {
  setPageLanguage(cookieLanguage() ?? serverLanguage() ?? 'en');
  const select = document.getElementById('language') as HTMLSelectElement | null;
  if (!select) return;
  select.replaceChildren(
    ...LANGUAGES.map((code) => {
      const option = new Option(CATALOGUES[code]['language.name'], code, false, code === language());
      option.lang = code; // each name is written in its own language, and read out in it
      return option;
    }),
  );
  select.addEventListener('change', () => {
    if (!isLanguage(select.value)) return;
    setPageLanguage(select.value);
    remember(select.value);
    document.dispatchEvent(new CustomEvent(LANGUAGE_EVENT, { detail: select.value }));
  });
  const box = select.closest<HTMLElement>('[hidden]');
  if (box) box.hidden = false;
}

function setPageLanguage(code: Language): void {
  setLanguage(code);
  document.documentElement.lang = code;
  translatePage();
}

function serverLanguage(): Language | undefined {
  const code = document.documentElement.lang;
  return isLanguage(code) ? code : undefined;
}

function cookieLanguage(): Language | undefined {
  const value = document.cookie
    .split(';')
    .map((pair) => pair.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
  return isLanguage(value) ? value : undefined;
}

/** A year's cookie with the language code only: no secret, sent on same-site navigations (Lax). */
function remember(code: Language): void {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Firefox and Safari.
  document.cookie = `${COOKIE}=${code}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax${secure}`;
}
