import { byId } from './dom.js';
import { formatSize } from './file-progress.js';
import { t } from './i18n.js';

/** The most an answer can ever be (the top of `shares.max_bytes`); the server holds the setting. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * "Or take it from a text file" on the responder's page: a key, a .env file or a certificate goes
 * into the answer box as text, to check before sending. The file is read here and never sent as
 * it is; a file that is not UTF-8 text, or too large to be an answer, is refused in words.
 */
export function wireAnswerFile(answer: HTMLTextAreaElement, onLoaded: () => void): void {
  const button = byId<HTMLButtonElement>('respond-file-button');
  const input = byId<HTMLInputElement>('respond-file');
  const status = byId('respond-file-status');
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void loadText(file).then((outcome) => {
      if (outcome.text === undefined) {
        status.textContent = outcome.problem;
        return;
      }
      answer.value = outcome.text;
      status.textContent = t('request.respond.file_loaded', { name: file.name });
      onLoaded();
      answer.focus();
    });
  });
}

async function loadText(file: File): Promise<{ text: string } | { text?: undefined; problem: string }> {
  if (file.size > MAX_ANSWER_BYTES) {
    return {
      problem: t('request.respond.file_too_large', { name: file.name, max: formatSize(MAX_ANSWER_BYTES) }),
    };
  }
  try {
    const bytes = await file.arrayBuffer();
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { problem: t('request.respond.file_not_text', { name: file.name }) };
  }
}
