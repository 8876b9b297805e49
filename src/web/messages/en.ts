/**
 * The page's English catalogue: every string the page shows, by key. `{name}` marks a value the
 * page fills in. Other catalogues must have exactly these keys (test/web-catalogues.test.ts).
 */
export const en = {
  'language.name': 'English',
} as const;

export type MessageKey = keyof typeof en;
