import type { Catalogue } from './en.js';
import { ruRequests } from './ru-requests.js';

/**
 * The page in Russian, the seeds' own language: the same keys as the English catalogue, and the
 * plural messages in Russian's four forms (one: 1, 21, 31…; few: 2–4, 22–24…; many: 5–20, 25–30…;
 * other: fractions).
 */
export const ru: Catalogue<'one' | 'few' | 'many' | 'other'> = {
  'language.name': 'Русский',

  // Languages (src/web/language-switch.ts): the page, its header and the switch on every view.
  'page.title': 'hush — поделиться секретом',
  'page.language': 'Язык',

  // Problems and errors (src/web/dom.ts): states the visitor cannot fix, and the alert region.
  'problem.title': 'Эту страницу нельзя показать',
  'problem.back': 'Поделиться своим секретом',
  'problem.gone-title': 'Этого секрета больше нет',
  'problem.gone-text':
    'Его уже открыли, уничтожили, или истёк его срок, поэтому показать его снова нельзя. Если он всё ещё нужен, попросите у отправителя новую ссылку.',
  'problem.broken-title': 'Ссылка неполная',
  'problem.broken-text':
    'Часть ссылки потерялась или изменилась по дороге (некоторые почтовые программы и мессенджеры обрезают длинные ссылки). Ничего не потрачено: попросите отправителя прислать ссылку ещё раз целиком, скопировав её одним куском.',
  'problem.not-found-title': 'Здесь ничего нет',
  'problem.not-found-text':
    'Такой страницы в hush нет. Проверьте адрес на опечатки или попросите того, кто его прислал, отправить ссылку ещё раз.',
  'error.network': 'Не удаётся связаться с hush. Проверьте подключение и попробуйте ещё раз.',
  'error.rate_limited': 'Слишком много запросов отсюда. Подождите минуту и попробуйте снова.',
  'error.passphrase_invalid': 'Неверный пароль. Ничего не потрачено: попробуйте ещё раз.',
  'error.passphrase_required': 'Этот секрет защищён паролем: сначала введите его.',
  'error.not_found': 'Этого секрета больше нет: его открыли, уничтожили или истёк его срок.',
  'error.secret_too_large': 'Секрет слишком большой для этого сервера.',
  'error.ttl_out_of_range': 'Этот сервер не разрешает такой срок.',
  'error.max_views_out_of_range': 'Этот сервер не разрешает такое число просмотров.',
  'error.https_required': 'Этот сервер отвечает только по HTTPS.',
  'error.sign_in_required':
    'Этот сервер принимает новые секреты только от вошедших пользователей, а эта страница входить не умеет. Поделитесь секретом через командную строку hush после hush login.',
  'error.refused':
    'Сервер отклонил запрос ({code}). Попробуйте ещё раз или обратитесь к тому, кто обслуживает этот сервер.',
  'error.crypto': 'Ключ из ссылки не подходит к этому секрету: ссылка повреждена или не та.',
  'error.unknown': 'Что-то пошло не так. Попробуйте ещё раз.',
  'error.no-crypto':
    'Эта страница шифрует прямо в браузере, а браузеры разрешают это только при защищённом соединении. Откройте её по адресу, который начинается с https://.',

  // Copy buttons (src/web/copy.ts).
  'copy.label': 'Копировать',
  'copy.done': 'Скопировано',
  'copy.status-done': 'Скопировано в буфер обмена.',
  'copy.status-failed': 'Скопировать не вышло: текст выделен, скопируйте его вручную.',

  // Create view (src/web/create-view.ts).
  'create.title': 'Поделиться секретом',
  'create.lead':
    'Секрет шифруется в этом браузере ещё до отправки. Ключ остаётся в ссылке, и открыть секрет можно только по ней.',
  'create.secret': 'Секрет',
  'create.passphrase': 'Пароль',
  'create.passphrase-hint': '(необязательно, передайте его другим путём)',
  'create.generate': 'Придумать',
  'create.generated': 'В поле новый пароль: скопируйте его и передайте другим путём.',
  'create.ttl': 'Срок хранения',
  'create.views': 'Сколько раз можно открыть',
  'create.submit': 'Создать ссылку',
  'create.shortcut': 'Ctrl+Enter (⌘+Enter на Mac) в поле секрета тоже создаёт ссылку.',
  'create.secret-missing': 'Сначала напишите секрет.',
  'create.views-invalid': 'Число просмотров должно быть целым, от 1 до {max}.',

  // Result view (src/web/result-view.ts, src/web/qr-view.ts).
  'result.title': 'Ссылка готова',
  'result.summary.one':
    'Ссылку можно открыть {count} раз, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary.few':
    'Ссылку можно открыть {count} раза, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary.many':
    'Ссылку можно открыть {count} раз, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary.other':
    'Ссылку можно открыть {count} раза, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary-passphrase.one':
    'Ссылку можно открыть {count} раз с паролем, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary-passphrase.few':
    'Ссылку можно открыть {count} раза с паролем, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary-passphrase.many':
    'Ссылку можно открыть {count} раз с паролем, до {until} ({relative}). После этого секрет исчезнет.',
  'result.summary-passphrase.other':
    'Ссылку можно открыть {count} раза с паролем, до {until} ({relative}). После этого секрет исчезнет.',
  'result.link': 'Ссылка для получателя',
  'result.show-qr': 'Показать QR-код',
  'result.hide-qr': 'Скрыть QR-код',
  'result.qr-label': 'QR-код ссылки',
  'result.qr-hint':
    'Отсканируйте его телефоном, чтобы открыть ссылку там. В нём вся ссылка вместе с ключом: показывайте его только тому, кому он предназначен.',
  'result.receipt': 'Ссылка на квитанцию',
  'result.receipt-hint': '(оставьте её себе)',
  'result.receipt-before': 'Квитанция покажет, когда секрет откроют, и позволит его уничтожить:',
  'result.receipt-open': 'открыть квитанцию',
  'result.receipt-after': '. Обе ссылки показываются только здесь и только один раз.',
  'result.new': 'Поделиться другим секретом',
  'result.leave-share':
    'Вы ещё не скопировали ссылку для получателя. Она показывается только здесь: если уйти, её уже не показать. Всё равно перейти к новому секрету?',
  'result.leave-receipt':
    'Вы ещё не скопировали ссылку на квитанцию. Она показывается только здесь: если уйти, её уже не показать. Всё равно перейти к новому секрету?',
  'result.leave-both':
    'Вы ещё не скопировали ни ссылку для получателя, ни ссылку на квитанцию. Они показываются только здесь: если уйти, их уже не показать. Всё равно перейти к новому секрету?',
  'result.leave-confirm': 'Да, к новому секрету',
  'result.leave-cancel': 'Остаться',

  // Reveal view (src/web/reveal-view.ts).
  'reveal.title': 'С вами поделились секретом',
  'reveal.checking': 'Проверяем ссылку…',
  'reveal.passphrase': 'Пароль',
  'reveal.nothing-used': 'Пока вы не нажмёте кнопку, ничего не тратится.',
  'reveal.submit': 'Показать секрет',
  'reveal.secret': 'Секрет',
  'reveal.views-left': 'Осталось просмотров:',
  'reveal.opens.one': 'Секрет можно открыть ещё {count} раз, до {until} ({relative}).',
  'reveal.opens.few': 'Секрет можно открыть ещё {count} раза, до {until} ({relative}).',
  'reveal.opens.many': 'Секрет можно открыть ещё {count} раз, до {until} ({relative}).',
  'reveal.opens.other': 'Секрет можно открыть ещё {count} раза, до {until} ({relative}).',
  'reveal.guarded': 'Он защищён паролем.',
  'reveal.keyless':
    'В этой ссылке нет ключа после #: если секрет создан в браузере или в командной строке, попросите всю ссылку целиком, прежде чем открывать.',
  'reveal.passphrase-missing': 'Сначала введите пароль.',
  'reveal.destroyed': 'Этот секрет уничтожен',
  'reveal.revealed': 'Секрет открыт.',
  'reveal.revealed-last': 'Секрет открыт. На сервере его больше нет.',
  'reveal.hint-more':
    'Скопируйте секрет сейчас. Пока просмотры остаются, ключ остаётся в ссылке: каждое новое открытие тратит один просмотр.',
  'reveal.hint-last':
    'Это был последний просмотр, так что секрета уже нет и уничтожать нечего. Ключ убран из адресной строки. Скопируйте секрет сейчас: эта страница больше его не покажет.',
  'reveal.burn-hint':
    'Прочитали? Уничтожьте его сейчас, чтобы оставшимися просмотрами по этой ссылке никто не воспользовался.',
  'reveal.burn-now': 'Уничтожить сейчас',
  'reveal.burned': 'Уничтожен. На сервере его больше нет.',
  'reveal.burned-hint':
    'Ключ убран из адресной строки. Скопируйте секрет сейчас: эта страница больше его не покажет.',
  'reveal.burned-status': 'Секрета больше нет: по этой ссылке его не откроет никто, даже вы.',
  'refusal.passphrase': 'Неверный пароль; ничего не потрачено: попробуйте ещё раз.',
  'refusal.passphrase-last':
    'Неверный пароль; ничего не потрачено. Осталась 1 попытка: ещё один неверный пароль уничтожит секрет.',
  'refusal.passphrase-left.one': 'Неверный пароль; ничего не потрачено: осталась {count} попытка.',
  'refusal.passphrase-left.few': 'Неверный пароль; ничего не потрачено: осталось {count} попытки.',
  'refusal.passphrase-left.many': 'Неверный пароль; ничего не потрачено: осталось {count} попыток.',
  'refusal.passphrase-left.other': 'Неверный пароль; ничего не потрачено: осталось {count} попытки.',
  'refusal.link-damaged':
    'Ссылка повреждена или неполная: попросите у отправителя всю ссылку целиком; ничего не потрачено.',
  'refusal.link-damaged-last':
    'Ссылка повреждена или неполная: попросите у отправителя всю ссылку целиком; ничего не потрачено (ещё одна неудачная попытка — и секрет будет уничтожен).',
  'refusal.link-keyless':
    'В ссылке нет ключа (части после #): попросите у отправителя всю ссылку целиком; ничего не потрачено.',
  'refusal.exhausted':
    'Слишком много неудачных попыток: секрет уничтожен и больше не откроется; попросите отправителя поделиться им заново.',

  // Receipt view (src/web/receipt-view.ts, src/web/receipt-text.ts).
  'receipt.title': 'Квитанция',
  'receipt.lead':
    'Что стало с секретом, которым вы поделились. Сам секрет эта страница не показывает никогда.',
  'receipt.status': 'Состояние',
  'receipt.views': 'Просмотры',
  'receipt.attempts': 'Неудачные попытки',
  'receipt.expires': 'Истекает',
  'receipt.ended': 'Завершён',
  'receipt.timeline': 'История',
  'receipt.live': 'Пока секрет можно открыть, страница сама проверяет, нет ли новостей.',
  'receipt.refresh': 'Обновить',
  'receipt.burn': 'Уничтожить секрет',
  'receipt.burn-question': 'Уничтожить его сейчас? После этого его не сможет открыть никто.',
  'receipt.burn-confirm': 'Да, уничтожить',
  'receipt.burn-cancel': 'Оставить',
  'receipt.none-title': 'Квитанции здесь нет',
  'receipt.none-text':
    'Ссылка на квитанцию неверна, или секрет завершился так давно, что запись о нём уже удалена.',
  'receipt.broken-text':
    'Часть ссылки на квитанцию потерялась или изменилась по дороге. Скопируйте её ещё раз оттуда, где сохранили, одним куском.',
  'receipt.state-live.one': 'Можно открыть ещё {count} раз',
  'receipt.state-live.few': 'Можно открыть ещё {count} раза',
  'receipt.state-live.many': 'Можно открыть ещё {count} раз',
  'receipt.state-live.other': 'Можно открыть ещё {count} раза',
  'receipt.state-ended': 'Завершён: {ending}',
  'receipt.opened.one': 'Открыт {used} из {count}',
  'receipt.opened.few': 'Открыт {used} из {count}',
  'receipt.opened.many': 'Открыт {used} из {count}',
  'receipt.opened.other': 'Открыт {used} из {count}',
  'receipt.wrong-passphrases.one': '{count} неверный пароль',
  'receipt.wrong-passphrases.few': '{count} неверных пароля',
  'receipt.wrong-passphrases.many': '{count} неверных паролей',
  'receipt.wrong-passphrases.other': '{count} неверного пароля',
  'receipt.damaged-links.one': '{count} попытка с повреждённой ссылкой',
  'receipt.damaged-links.few': '{count} попытки с повреждённой ссылкой',
  'receipt.damaged-links.many': '{count} попыток с повреждённой ссылкой',
  'receipt.damaged-links.other': '{count} попытки с повреждённой ссылкой',
  'receipt.tries-both': '{passphrases} и {links}',
  'receipt.end-viewed': 'открыт столько раз, сколько было разрешено',
  'receipt.end-burned-by-sender': 'уничтожен отправителем',
  'receipt.end-burned-by-link': 'уничтожен кем-то, у кого была ссылка',
  'receipt.end-burned': 'уничтожен',
  'receipt.end-expired': 'истёк срок',
  'receipt.end-expired-unopened': 'истёк срок, а его так и не открыли',
  'receipt.end-limit-passphrases': 'уничтожен после слишком многих неверных паролей',
  'receipt.end-limit-links': 'уничтожен после слишком многих попыток с повреждённой ссылкой',
  'receipt.end-limit-both': 'уничтожен после слишком многих неверных паролей и повреждённых ссылок',
  'receipt.end-other': 'завершён ({state})',
  'receipt.event-created': 'Создан',
  'receipt.event-opened': 'Открыт',
  'receipt.event-passphrase-failed': 'Введён неверный пароль',
  'receipt.event-link-key-failed': 'Попытка с повреждённой ссылкой (ничего не показано)',
  'receipt.event-expired': 'Истёк срок',
  'receipt.event-burned': 'Уничтожен',
  'receipt.event-other': 'Событие: {type}',
  ...ruRequests,

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
