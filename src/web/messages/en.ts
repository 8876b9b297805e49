/**
 * The page's English catalogue: every string the page shows, by key. `{name}` marks a value the
 * page fills in. Other catalogues must have exactly these keys (test/web-catalogues.test.ts).
 */
export const en = {
  'language.name': 'English',

  // Files (issue 15 point 1, files-client): the create form's picker, the reveal's saving.
  'files.add': 'Add files',
  'files.drop': 'or drop them here',
  'files.limit': 'Files: up to {max} in all. Their names and contents are encrypted here too.',
  'files.list-label': 'Files to share',
  'files.remove': 'Remove',
  'files.remove-named': 'Remove {name}',
  'files.too-large':
    'Together the files come to {total}, more than this server takes ({max}): remove some first.',
  'files.too-many': 'One share holds at most {max} files.',
  'files.uploading': 'Encrypting and uploading the files: {percent}%',
  'files.upload-label': 'Encrypting and uploading',
  'files.title': 'Files',
  'files.downloading': 'Downloading and decrypting the files: {percent}%',
  'files.download-label': 'Downloading and decrypting',
  'files.ready': 'The files are ready. Save each one now: this page cannot get them again.',
  'files.failed': 'The files could not be opened: {reason}',
  'files.save': 'Save',
  'files.save-named': 'Save {name}',
  'files.bytes': '{n} B',
  'files.kilobytes': '{n} KB',
  'files.megabytes': '{n} MB',
  'files.gigabytes': '{n} GB',
} as const;

export type MessageKey = keyof typeof en;
