import { formatDate, formatDuration, type MessageKey, sayWords, t, type Words } from './i18n.js';

/**
 * The page's text in the current language. Markup names its words by key (`data-i18n="key"` for
 * the text, `data-i18n-attr="aria-label:key;title:key"` for attributes, `data-i18n-duration="300"`
 * for a duration, `data-i18n-date="<ISO>"` for a date, with `data-i18n-seconds` to show seconds);
 * what a view says later goes through `say`, which keeps the words on the element
 * (`data-i18n-words`), so `translatePage` can say everything again in another language at once.
 */
export type Text = string | Words | readonly Words[];

const list = (text: Words | readonly Words[]): readonly Words[] => ('key' in text ? [text] : text);

/** Words as a string; several messages are sentences one after the other. */
export function render(text: Text): string {
  if (typeof text === 'string') return text;
  return list(text).map(sayWords).join(' ');
}

/**
 * Sets an element's text (undefined empties it). Words are kept for a language switch; a plain
 * string (the secret, a link) is left as it is. It writes only when the text changed: a live region
 * rewritten with the same words would be read out again.
 */
export function say(element: Element, text: Text | undefined): void {
  element.removeAttribute('data-i18n');
  if (text === undefined || typeof text === 'string') element.removeAttribute('data-i18n-words');
  else element.setAttribute('data-i18n-words', JSON.stringify(list(text)));
  const rendered = text === undefined ? '' : render(text);
  if (element.textContent !== rendered) element.textContent = rendered;
}

/** `say` for one message. */
export function sayKey(element: Element, key: MessageKey, values?: Words['values']): void {
  say(element, values ? { key, values } : { key });
}

/** Shows a date (ISO text) in the current language, again after a language switch. */
export function sayDate(element: Element, iso: string, seconds = false): void {
  element.removeAttribute('data-i18n');
  element.removeAttribute('data-i18n-words');
  element.setAttribute('data-i18n-date', iso);
  element.toggleAttribute('data-i18n-seconds', seconds);
  setText(element, formatDate(iso, seconds));
}

const setText = (element: Element, text: string) => {
  if (element.textContent !== text) element.textContent = text;
};

/** Says every marked element of the page (or of `root`) again in the current language. */
export function translatePage(root: ParentNode = document): void {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    setText(element, t(element.getAttribute('data-i18n') as MessageKey));
  }
  for (const element of root.querySelectorAll('[data-i18n-words]')) {
    try {
      setText(element, render(JSON.parse(element.getAttribute('data-i18n-words') ?? '[]') as Words[]));
    } catch {
      // Only `say` writes this attribute; a broken one keeps the text it has.
    }
  }
  for (const element of root.querySelectorAll('[data-i18n-duration]')) {
    setText(element, formatDuration(Number(element.getAttribute('data-i18n-duration'))));
  }
  for (const element of root.querySelectorAll('[data-i18n-date]')) {
    const iso = element.getAttribute('data-i18n-date') ?? '';
    setText(element, formatDate(iso, element.hasAttribute('data-i18n-seconds')));
  }
  for (const element of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of (element.getAttribute('data-i18n-attr') ?? '').split(';')) {
      const [name = '', key = ''] = pair.split(':').map((part) => part.trim());
      if (name !== '' && key !== '') element.setAttribute(name, t(key as MessageKey));
    }
  }
}
