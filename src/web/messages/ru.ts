import type { MessageKey } from './en.js';

/** The page in Russian, the seeds' own language: the same keys as the English catalogue. */
export const ru: Record<MessageKey, string> = {
  'language.name': 'Русский',

  // Файлы (issue 15, пункт 1, files-client): выбор файлов в форме и их сохранение после открытия.
  'files.add': 'Добавить файлы',
  'files.drop': 'или перетащите их сюда',
  'files.limit': 'Файлы: всего до {max}. Их имена и содержимое тоже шифруются здесь.',
  'files.list-label': 'Файлы для отправки',
  'files.remove': 'Убрать',
  'files.remove-named': 'Убрать {name}',
  'files.too-large': 'Вместе файлы занимают {total}, а этот сервер принимает не больше {max}: уберите часть.',
  'files.too-many': 'В одном секрете может быть не больше {max} файлов.',
  'files.uploading': 'Файлы шифруются и загружаются: {percent}%',
  'files.upload-label': 'Шифрование и загрузка',
  'files.title': 'Файлы',
  'files.downloading': 'Файлы скачиваются и расшифровываются: {percent}%',
  'files.download-label': 'Скачивание и расшифровка',
  'files.ready': 'Файлы готовы. Сохраните каждый сейчас: эта страница не сможет получить их снова.',
  'files.failed': 'Не удалось открыть файлы: {reason}',
  'files.save': 'Сохранить',
  'files.save-named': 'Сохранить {name}',
  'files.bytes': '{n} Б',
  'files.kilobytes': '{n} КБ',
  'files.megabytes': '{n} МБ',
  'files.gigabytes': '{n} ГБ',
};
