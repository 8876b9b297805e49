import { fromReadableStream } from '../client/byte-stream.js';
import { createFileApi, type UploadRef } from '../client/file-api.js';
import { encryptFiles } from '../client/file-crypto.js';
import { MAX_FILES, storedBytesOf } from '../client/file-format.js';
import { type FileEntry, MAX_NAME_CHARS, sealContent } from '../client/file-manifest.js';
import { formatSize, progressBar } from './file-progress.js';
import { t } from './i18n.js';

/** What the create form asks of the files part (loaded on demand, create-view.ts). */
export interface PickedFiles {
  count(): number;
  /** A message when the files cannot be sent (too many, too large), else undefined. */
  problem(): string | undefined;
  /** Encrypts and uploads the files with `key` (progress shown), and seals the share's secret. */
  seal(key: Uint8Array, text: string): Promise<{ secret: string; upload: UploadRef }>;
  reset(): void;
}

const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

/** `max-file-bytes` from the page's limits (web-page.ts); the default where the page has none. */
function maxFileBytes(): number {
  const content = document.querySelector<HTMLMetaElement>('meta[name="hush-limits"]')?.content ?? '';
  const value = Number(/(?:^|\s)max-file-bytes=(\d+)/.exec(content)?.[1]);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_BYTES;
}

const make = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Readonly<Record<string, string | number | boolean>> = {},
): HTMLElementTagNameMap[K] => Object.assign(document.createElement(tag), props);

/**
 * The create form's files: a labelled "Add files" button (the keyboard way) and the form as a drop
 * zone, a list with sizes and a Remove button each, and the progress of encrypting and uploading.
 * Placed after `anchor`. Files are refused over the server's limit before anything is sent.
 */
export function mountFilePicker(anchor: HTMLElement, origin: string, drop: HTMLElement): PickedFiles {
  const max = maxFileBytes();
  let files: File[] = [];
  const input = make('input', { type: 'file', multiple: true, hidden: true, id: 'file-input' });
  const add = make('button', { type: 'button', id: 'add-files', textContent: t('files.add') });
  const zone = make('div', { className: 'file-zone', id: 'file-zone' });
  zone.append(add, make('span', { className: 'hint', textContent: t('files.drop') }), input);
  const limit = make('p', {
    className: 'hint',
    id: 'files-limit',
    textContent: t('files.limit', { max: formatSize(max) }),
  });
  add.setAttribute('aria-describedby', limit.id);
  const list = make('ul', { className: 'file-list', id: 'file-list' });
  list.setAttribute('aria-label', t('files.list-label'));
  const problemLine = make('p', { className: 'field-problem', id: 'files-problem', hidden: true });
  const progress = progressBar('files.upload-label', 'files.uploading');
  const box = make('div', { className: 'files', id: 'files' });
  box.append(zone, limit, list, problemLine, progress.element);
  anchor.after(box);

  const problem = () => {
    if (files.length > MAX_FILES) return t('files.too-many', { max: MAX_FILES });
    const total = files.reduce((sum, file) => sum + file.size, 0);
    return total > max ? t('files.too-large', { total: formatSize(total), max: formatSize(max) }) : undefined;
  };
  const render = () => {
    list.replaceChildren(
      ...files.map((file, index) => {
        const remove = make('button', { type: 'button', textContent: t('files.remove') });
        remove.setAttribute('aria-label', t('files.remove-named', { name: file.name }));
        remove.addEventListener('click', () => {
          files = files.filter((_, i) => i !== index);
          render();
          add.focus();
        });
        const item = make('li');
        item.append(
          make('span', { className: 'file-name', textContent: file.name }),
          ' ',
          make('span', { className: 'hint', textContent: formatSize(file.size) }),
          remove,
        );
        return item;
      }),
    );
    const message = problem();
    problemLine.textContent = message ?? '';
    problemLine.hidden = message === undefined;
  };
  const take = (picked: FileList | null | undefined) => {
    if (!picked || picked.length === 0) return;
    files = [...files, ...Array.from(picked)];
    render();
  };

  add.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    take(input.files);
    input.value = '';
  });
  drop.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    zone.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    zone.classList.remove('dragging');
    take(event.dataTransfer.files);
  });

  return {
    count: () => files.length,
    problem,
    async seal(key, text) {
      const chosen = [...files];
      const entries: FileEntry[] = chosen.map((file) => ({
        name: [...file.name].slice(0, MAX_NAME_CHARS).join('') || 'file',
        type: file.type,
        size: file.size,
      }));
      const sealed = encryptFiles(
        key,
        chosen.map((file) => ({ bytes: file.size, source: fromReadableStream(file.stream()) })),
      );
      // While they are sent the list cannot change: what is uploaded is what the list shows.
      const controls = [...box.querySelectorAll('button')];
      for (const control of controls) control.disabled = true;
      try {
        const upload = await createFileApi(origin).upload(
          sealed,
          storedBytesOf(entries.map((e) => e.size)),
          progress.set,
        );
        return { secret: await sealContent(key, { ...(text !== '' && { text }), files: entries }), upload };
      } finally {
        progress.hide();
        for (const control of controls) control.disabled = false;
      }
    },
    reset() {
      files = [];
      render();
      progress.hide();
    },
  };
}
