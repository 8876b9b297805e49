import { createFileApi } from '../client/file-api.js';
import { decryptFiles } from '../client/file-crypto.js';
import { type FileEntry, openContent } from '../client/file-manifest.js';
import type { RevealedShare } from '../client/share-api.js';
import { describeError } from './dom.js';
import { formatSize, progressBar } from './file-progress.js';
import { t } from './i18n.js';

/** Blob parts are merged every this many bytes, so a large file is not thousands of small parts. */
const MERGE_BYTES = 8 * 1024 * 1024;

const make = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Readonly<Record<string, string | number | boolean>> = {},
): HTMLElementTagNameMap[K] => Object.assign(document.createElement(tag), props);

/**
 * A revealed share with files (loaded on demand, reveal-view.ts): opens its manifest with the
 * link's key, lists each file with its name and size, and downloads them at once (the view's
 * download is single use and must start within minutes), decrypting as they arrive, with progress.
 * Each file's Save button works once the whole download has been read and verified. Shown in
 * `box` before its first child; answers the share's text ('' when it has none).
 */
export async function showSharedFiles(
  origin: string,
  contentKey: Uint8Array,
  revealed: RevealedShare,
  box: HTMLElement,
): Promise<string> {
  const content = await openContent(contentKey, revealed.secret);
  const grant = revealed.files;
  if (content.files.length === 0) return content.text ?? '';
  const section = make('div', { className: 'files', id: 'shared-files' });
  const title = make('h2', { id: 'shared-files-title', textContent: t('files.title'), tabIndex: -1 });
  const list = make('ul', { className: 'file-list', id: 'shared-file-list' });
  list.setAttribute('aria-labelledby', title.id);
  const progress = progressBar('files.download-label', 'files.downloading');
  const status = make('p', { className: 'status', id: 'shared-files-status' });
  status.setAttribute('aria-live', 'polite');
  const buttons = content.files.map((file) => {
    const button = make('button', { type: 'button', textContent: t('files.save'), disabled: true });
    button.setAttribute('aria-label', t('files.save-named', { name: file.name }));
    const item = make('li');
    item.append(
      make('span', { className: 'file-name', textContent: file.name }),
      ' ',
      make('span', { className: 'hint', textContent: formatSize(file.size) }),
      button,
    );
    list.append(item);
    return button;
  });
  section.append(title, progress.element, list, status);
  box.prepend(section);
  // A share of files alone has no text to show: its text box stays out of the way.
  if (content.text === undefined || content.text === '') {
    for (const id of ['revealed', 'copy-secret']) box.querySelector(`#${id}`)?.setAttribute('hidden', '');
    box.querySelector('label[for="revealed"]')?.setAttribute('hidden', '');
    requestAnimationFrame(() => title.focus());
  }
  if (!grant) {
    status.textContent = t('files.failed', { reason: describeError(new Error()) });
    return content.text ?? '';
  }
  progress.set(0, grant.bytes);
  void download(origin, contentKey, content.files, grant.downloadKey, grant.bytes, progress.set).then(
    (blobs) => {
      progress.hide();
      status.textContent = t('files.ready');
      blobs.forEach((blob, index) => {
        const button = buttons[index] as HTMLButtonElement;
        const name = content.files[index]?.name ?? 'file';
        button.disabled = false;
        button.addEventListener('click', () => save(blob, name));
      });
    },
    (error: unknown) => {
      progress.hide();
      status.textContent = t('files.failed', { reason: describeError(error) });
    },
  );
  return content.text ?? '';
}

async function download(
  origin: string,
  key: Uint8Array,
  files: readonly FileEntry[],
  downloadKey: string,
  bytes: number,
  onProgress: (done: number, total: number) => void,
): Promise<Blob[]> {
  const stream = await createFileApi(origin).download(downloadKey, bytes, onProgress);
  const parts: BlobPart[][] = files.map(() => []);
  const pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  const flush = (file: number) => {
    parts[file]?.push(new Blob(pending.splice(0)));
    pendingBytes = 0;
  };
  for await (const piece of decryptFiles(
    key,
    files.map((f) => f.size),
    stream,
  )) {
    pending.push(piece.bytes);
    pendingBytes += piece.bytes.length;
    if (piece.end || pendingBytes >= MERGE_BYTES) flush(piece.file);
  }
  // Only now, with the whole stream read and verified, do the files become savable.
  return files.map(
    (file, index) => new Blob(parts[index], { type: file.type || 'application/octet-stream' }),
  );
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = make('a', { href: url, download: name });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file; the address is kept a minute for slow save dialogs.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
