import { language, t } from './i18n.js';
import type { MessageKey } from './messages/en.js';

/** A size in the reader's language: "1.5 MB" (powers of 1024, as file managers mostly show). */
export function formatSize(bytes: number): string {
  const units: [number, MessageKey][] = [
    [1024 ** 3, 'files.gigabytes'],
    [1024 ** 2, 'files.megabytes'],
    [1024, 'files.kilobytes'],
  ];
  const [unit, key] = units.find(([size]) => bytes >= size) ?? [1, 'files.bytes' as const];
  const n = new Intl.NumberFormat(language(), { maximumFractionDigits: unit === 1 ? 0 : 1 }).format(
    bytes / unit,
  );
  return t(key, { n });
}

export interface ProgressBar {
  readonly element: HTMLElement;
  /** Shows the bar at `done` of `total`. */
  set(done: number, total: number): void;
  hide(): void;
}

/**
 * A progress bar people and screen readers can follow: role=progressbar with aria-valuenow (whole
 * percent), a visible text saying what is happening, and the bar itself.
 */
export function progressBar(label: MessageKey, words: MessageKey): ProgressBar {
  const element = document.createElement('div');
  element.className = 'file-progress';
  element.hidden = true;
  const text = document.createElement('p');
  text.className = 'status';
  text.id = `progress-${Math.random().toString(36).slice(2)}`;
  const bar = document.createElement('div');
  bar.className = 'file-progress-bar';
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-label', t(label));
  bar.setAttribute('aria-describedby', text.id);
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  const fill = document.createElement('div');
  bar.append(fill);
  element.append(bar, text);
  return {
    element,
    set(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      element.hidden = false;
      bar.setAttribute('aria-valuenow', String(percent));
      fill.style.width = `${percent}%`;
      text.textContent = t(words, { percent });
    },
    hide() {
      element.hidden = true;
    },
  };
}
