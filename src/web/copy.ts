import { say, sayKey } from './page-words.js';

/**
 * Copies text to the clipboard and says so on the button ("Copied") and in a polite live region.
 * Falls back to the selection and execCommand where the async clipboard is missing. `copied` runs
 * after each copy that worked.
 */
export function wireCopy(
  button: HTMLButtonElement,
  status: HTMLElement,
  source: () => HTMLInputElement | HTMLTextAreaElement,
  copied?: () => void,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', () => {
    const field = source();
    void copyText(field).then((ok) => {
      if (ok) copied?.();
      sayKey(button, ok ? 'copy.done' : 'copy.label');
      sayKey(status, ok ? 'copy.status-done' : 'copy.status-failed');
      clearTimeout(timer);
      timer = setTimeout(() => {
        sayKey(button, 'copy.label');
        say(status, undefined);
      }, 2500);
    });
  });
}

async function copyText(field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    field.focus();
    field.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
