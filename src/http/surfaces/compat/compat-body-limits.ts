import { type BodyLimitTable, PASSPHRASE, SHARE } from '../../body-budgets.js';

/** Every compat route that reads a body: the seeds' creates take a share, the rest a passphrase. */
export const COMPAT_BODY_LIMITS: BodyLimitTable = {
  'POST /api/secret': SHARE,
  'DELETE /api/secret/:secretKey': PASSPHRASE,
  'POST /generate': SHARE,
  'POST /secrets/:secretKey': PASSPHRASE,
};
