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
  'files.listLabel': 'Files to share',
  'files.remove': 'Remove',
  'files.removeNamed': 'Remove {name}',
  'files.tooLarge':
    'Together the files come to {total}, more than this server takes ({max}): remove some first.',
  'files.tooMany': 'One share holds at most {max} files.',
  'files.needSomething': 'Write the secret or add files first.',
  'files.uploading': 'Encrypting and uploading the files: {percent}%',
  'files.uploadLabel': 'Encrypting and uploading',
  'files.title': 'Files',
  'files.downloading': 'Downloading and decrypting the files: {percent}%',
  'files.downloadLabel': 'Downloading and decrypting',
  'files.ready': 'The files are ready. Save each one now: this page cannot get them again.',
  'files.failed': 'The files could not be opened: {reason}',
  'files.save': 'Save',
  'files.saveNamed': 'Save {name}',
  'files.bytes': '{n} B',
  'files.kilobytes': '{n} KB',
  'files.megabytes': '{n} MB',
  'files.gigabytes': '{n} GB',
} as const;

export type MessageKey = keyof typeof en;
