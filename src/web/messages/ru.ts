import type { MessageKey } from './en.js';

/** The page in Russian, the seeds' own language: the same keys as the English catalogue. */
export const ru: Record<MessageKey, string> = {
  'language.name': 'Русский',
  // Secret requests (requests helper): /request, /request/<key>, /respond/<key>.
  'request.ask_link': 'Попросить у кого-то секрет',
  'request.create.title': 'Попросить у кого-то секрет',
  'request.create.lead':
    'Вы получите две ссылки. Одну отправьте тому, у кого есть секрет: он введёт его на странице, и секрет зашифруется в его браузере так, что открыть его сможет только ваша вторая ссылка. Даже сервер не сможет его прочитать.',
  'request.create.note': 'Записка для него',
  'request.create.note_hint': '(необязательно: её увидят, поэтому не пишите сюда секретов)',
  'request.create.note_too_long': 'В записке может быть не больше {max} символов.',
  'request.create.expiry': 'Открыт',
  'request.create.submit': 'Создать ссылки',
  'request.create.shortcut': 'Ctrl+Enter (⌘+Enter на Mac) в записке тоже создаёт ссылки.',
  'request.made.title': 'Запрос готов',
  'request.made.summary': 'Ответить можно до {date}. Обе ссылки показываются только здесь, один раз.',
  'request.made.send_label': '1. Ссылка, которую нужно отправить тому, у кого есть секрет',
  'request.made.send_hint': 'Отправьте эту. По ней можно один раз ответить, но нельзя прочитать ответ.',
  'request.made.keep_label': '2. Ссылка, которую нужно оставить себе',
  'request.made.keep_hint':
    'Сохраните эту и никому не отправляйте: только она открывает ответ, один раз. Если вы её потеряете, ответ не прочитает никто.',
  'request.made.open_keep': 'Открыть ссылку для себя',
  'request.made.another': 'Попросить ещё один секрет',
  'request.copy': 'Копировать',
  'request.respond.title': 'Вас просят прислать секрет',
  'request.respond.checking': 'Проверяем ссылку…',
  'request.respond.note_label': 'Их записка',
  'request.respond.no_note': 'Записки нет.',
  'request.respond.until': 'Ответить можно один раз, до {date}.',
  'request.respond.answer': 'Ваш ответ',
  'request.respond.hint':
    'Он шифруется в этом браузере перед отправкой: прочитать его сможет только тот, кто просил, и только один раз. Ctrl+Enter (⌘+Enter на Mac) отправляет.',
  'request.respond.send': 'Отправить',
  'request.respond.empty': 'Сначала напишите ответ.',
  'request.respond.too_large': 'Ответ слишком большой для этого сервера.',
  'request.respond.sent_title': 'Отправлено',
  'request.respond.sent':
    'Прочитать ответ может только тот, кто просил: он зашифрован в этом браузере, и сервер не может его открыть. Эту страницу можно закрыть.',
  'request.closed.title': 'Этот запрос закрыт',
  'request.closed.text':
    'На него уже ответили, его отменили или срок истёк. Если секрет ещё нужен, попросите новую ссылку.',
  'request.broken.title': 'Ссылка неполная',
  'request.broken.text':
    'Часть ссылки потерялась или изменилась по дороге (некоторые почтовые программы и мессенджеры обрезают длинные ссылки). Ничего не отправлено: попросите прислать ссылку целиком, скопировав её за один раз.',
  'request.view.title': 'Ваш запрос секрета',
  'request.view.state': 'Состояние',
  'request.view.note': 'Записка',
  'request.view.expires': 'Открыт до',
  'request.view.answered_at': 'Ответ получен',
  'request.view.not_yet': 'пока нет',
  'request.state.open': 'Ждёт ответа',
  'request.state.answered': 'Есть ответ',
  'request.state.revealed': 'Ответ прочитан',
  'request.state.burned': 'Отменён',
  'request.state.expired': 'Срок истёк',
  'request.view.open_text': 'Пока никто не ответил. Откройте эту ссылку позже или проверьте ещё раз сейчас.',
  'request.view.answered_text':
    'Ответ пришёл. Его можно открыть один раз: после этого он исчезнет с сервера.',
  'request.view.revealed_text':
    'Ответ уже открыли. Его можно прочитать только один раз, поэтому показать его снова нельзя.',
  'request.view.burned_text': 'Запрос отменён: на него больше нельзя ответить, и прочитать ничего нельзя.',
  'request.view.expired_text': 'Срок запроса истёк. Ответ, если он был, стёрт.',
  'request.view.refresh': 'Проверить ещё раз',
  'request.view.reveal': 'Открыть ответ',
  'request.view.answer': 'Ответ',
  'request.view.revealed_hint':
    'Скопируйте его сейчас: эта страница не сможет показать его снова. Ключ убран из адресной строки.',
  'request.view.burn': 'Отменить запрос',
  'request.view.burned_now': 'Отменено: ссылка для ответа больше не работает, а ответ, если он был, стёрт.',
  'request.gone.title': 'Этого запроса больше нет',
  'request.gone.text': 'Его уже не существует: он завершился некоторое время назад, или ссылка неверна.',
  'request.error.network': 'Не удаётся связаться с hush. Проверьте подключение и попробуйте ещё раз.',
  'request.error.rate_limited': 'Слишком много запросов отсюда. Подождите минуту и попробуйте снова.',
  'request.error.ttl': 'Этот сервер не разрешает такой срок.',
  'request.error.crypto': 'Ключ в этой ссылке не открывает ответ: ссылка повреждена или ответ был изменён.',
  'request.error.no_crypto':
    'Эта страница шифрует в браузере, а браузеры разрешают это только по защищённому соединению. Откройте её по адресу, который начинается с https://.',
  'request.error.other': 'Что-то пошло не так. Попробуйте ещё раз.',
};
