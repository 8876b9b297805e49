/**
 * Latin-alphabet words the page may show in a language written otherwise: its name, the scheme
 * and protocol of an address, keys on a keyboard, and the QR of "QR code".
 */
export const LATIN_ALLOWED: ReadonlySet<string> = new Set([
  'hush',
  'HTTPS',
  'https',
  'Ctrl',
  'Enter',
  'Mac',
  'QR',
  // A command name: `hush login`.
  'login',
]);

/** The Latin-alphabet words of a text that are not allowed in it (placeholders `{name}` aside). */
export function latinWords(text: string): string[] {
  const words = text.replace(/\{\w+\}/g, '').match(/[A-Za-z]+/g) ?? [];
  return words.filter((word) => !LATIN_ALLOWED.has(word));
}
