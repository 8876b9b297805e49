import { type BodyLimitTable, EMPTY, PASSPHRASE, SHARE } from '../../body-budgets.js';

/** Every onetimesecret route that reads a body, below `/api/v1`: its clients POST even the reads. */
export const OTS_BODY_LIMITS: BodyLimitTable = {
  'POST /share': SHARE,
  'POST /create': SHARE,
  'POST /generate': PASSPHRASE,
  'POST /secret/:key': PASSPHRASE,
  'POST /private/:key': EMPTY,
  'POST /metadata/:key': EMPTY,
  'POST /receipt/:key': EMPTY,
  'POST /private/:key/burn': PASSPHRASE,
  'POST /metadata/:key/burn': PASSPHRASE,
  'POST /receipt/:key/burn': PASSPHRASE,
};
