import { UPLOAD_PART_BYTES } from '../../../client/file-format.js';
import { MAX_POLICY_PATH } from '../../../secrets/policy-glob.js';
import {
  type BodyLimit,
  type BodyLimitTable,
  EMPTY,
  PASSPHRASE,
  POLICY,
  SECRET,
  SECRET_SETTINGS,
  SETTING,
  SHARE,
  SIGN_IN,
  VERSIONS,
} from '../../body-budgets.js';
import { MAX_MACHINE_POLICIES } from '../../schemas/machine-schemas.js';

/** A machine: its settings, up to 2 × 16 networks and MAX_MACHINE_POLICIES rules (paths escaped). */
const MACHINE: BodyLimit = {
  bytes: 16 * 1024 + MAX_MACHINE_POLICIES * (MAX_POLICY_PATH * 6 + 256),
  values: 96 + MAX_MACHINE_POLICIES * 12,
};
/** A secret_id's options: networks and up to 32 metadata labels. */
const SECRET_ID: BodyLimit = { bytes: 16 * 1024 + 32 * (64 + 512) * 6, values: 160 };

/** Every native route that reads a body, below `/api/v1`. */
export const NATIVE_BODY_LIMITS: BodyLimitTable = {
  'POST /shares': SHARE,
  'POST /shares/:secretKey/reveal': PASSPHRASE,
  'DELETE /shares/:secretKey': PASSPHRASE,
  'POST /receipts/:receiptKey/burn': EMPTY,
  'POST /uploads': EMPTY,
  // Raw bytes, no JSON values: one part of at most part_bytes.
  'PUT /uploads/:upload_id/parts/:n': { bytes: UPLOAD_PART_BYTES, values: 1 },
  'POST /downloads/:download_key': EMPTY,
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
  'PUT /kv/data/*': SECRET,
  'POST /kv/data/*': SECRET,
  'PATCH /kv/data/*': SECRET,
  'DELETE /kv/data/*': EMPTY,
  'POST /kv/delete/*': VERSIONS,
  'POST /kv/undelete/*': VERSIONS,
  'POST /kv/destroy/*': VERSIONS,
  'POST /kv/metadata/*': SECRET_SETTINGS,
  'PATCH /kv/metadata/*': SECRET_SETTINGS,
  'DELETE /kv/metadata/*': EMPTY,
  'POST /machines/login': SIGN_IN,
  'POST /machines': MACHINE,
  'POST /machines/:name': MACHINE,
  'DELETE /machines/:name': EMPTY,
  'POST /machines/:name/secret-ids': SECRET_ID,
  'DELETE /machines/:name/secret-ids/:accessor': EMPTY,
  'POST /sys/policies': POLICY,
  'DELETE /sys/policies/:policy_id': EMPTY,
  'POST /sys/policies/:policy_id/delete': EMPTY,
  'POST /sys/setting': SETTING,
  'POST /sys/setting/:setting_key/reset': EMPTY,
};
