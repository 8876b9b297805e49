/**
 * The shape of a message catalogue, derived from the English one (en.ts). A key ending in a plural
 * form (`.one`, `.few`, `.many`, `.other`, …) is one form of a plural message: `t('base', {count})`
 * picks the form by `Intl.PluralRules` for the page's language, and each catalogue has exactly the
 * forms its language uses (English one/other, Russian one/few/many/other). Every other key is a
 * plain message that each catalogue has once.
 */
export type PluralForm = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

export const PLURAL_FORMS: readonly PluralForm[] = ['zero', 'one', 'two', 'few', 'many', 'other'];

type PluralBaseOf<K> = K extends `${infer B}.other` ? B : never;

/** The messages of a catalogue shaped like `English`, with the plural forms `F` of its language. */
export type CatalogueLike<English, F extends PluralForm> = Record<
  PlainKeyOf<English> | `${PluralBaseOf<keyof English>}.${F}`,
  string
>;

export type PlainKeyOf<English> = Exclude<keyof English, `${PluralBaseOf<keyof English>}.${PluralForm}`>;

/** What `t` takes: a plain key, or a plural message's base (with a `count` value). */
export type KeyOf<English> = PlainKeyOf<English> | PluralBaseOf<keyof English>;
