import type { MessageKey } from './en.js';

/** The page in Russian, the seeds' own language: the same keys as the English catalogue. */
export const ru: Record<MessageKey, string> = {
  'language.name': 'Русский',
};
