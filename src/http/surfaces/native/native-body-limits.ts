import {
  type BodyLimitTable,
  EMPTY,
  PASSPHRASE,
  POLICY,
  SECRET,
  SETTING,
  SHARE,
  SIGN_IN,
} from '../../body-budgets.js';

/** Every native route that reads a body, below `/api/v1`. */
export const NATIVE_BODY_LIMITS: BodyLimitTable = {
  'POST /shares': SHARE,
  'POST /shares/:secretKey/reveal': PASSPHRASE,
  'DELETE /shares/:secretKey': PASSPHRASE,
  'POST /receipts/:receiptKey/burn': EMPTY,
  'POST /token/create': SIGN_IN,
  'POST /token/renew': SIGN_IN,
  'POST /token/revoke': SIGN_IN,
  'POST /token/sessions/:session_id/revoke': EMPTY,
  'POST /auth/github/exchange': SIGN_IN,
  'POST /users/create': SIGN_IN,
  'POST /users/:username/delete': EMPTY,
  'POST /secrets/create': SECRET,
  'POST /secrets/:secret_id/update': SECRET,
  'DELETE /secrets/:secret_id': EMPTY,
  'POST /secrets/:secret_id/delete': EMPTY,
  'POST /sys/policies': POLICY,
  'DELETE /sys/policies/:policy_id': EMPTY,
  'POST /sys/policies/:policy_id/delete': EMPTY,
  'POST /sys/setting': SETTING,
  'POST /sys/setting/:setting_key/reset': EMPTY,
};
