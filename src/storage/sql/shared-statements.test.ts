import { describe, expect, it } from 'vitest';
import { KEYRING_SQL } from './keyring-statements.js';
import { META_SQL } from './meta-statements.js';
import { OAUTH_STATE_SQL } from './oauth-state-statements.js';
import { POLICY_SQL } from './policy-statements.js';
import { SECRET_SQL } from './secret-statements.js';
import { SHARE_SQL } from './share-statements.js';
import { TOKEN_SQL } from './token-statements.js';
import { USER_SQL } from './user-statements.js';

const TABLES = {
  KEYRING_SQL,
  META_SQL,
  OAUTH_STATE_SQL,
  POLICY_SQL,
  SECRET_SQL,
  SHARE_SQL,
  TOKEN_SQL,
  USER_SQL,
};
const all = Object.values(TABLES).flatMap((table) => Object.values(table));

describe('the shared statements', () => {
  it('have names of their own: PostgreSQL prepares each under hush_<name> on a connection', () => {
    const names = all.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('compile on both dialects, placeholders and all', () => {
    for (const s of all) {
      expect(s.compiled('sqlite').sql).not.toMatch(/\$\d/);
      expect(s.compiled('postgres').sql).not.toContain('?');
    }
  });

  it('read named columns, never `select *` (a prepared one fails once a migration adds a column)', () => {
    for (const s of all) expect(s.compiled('postgres').sql).not.toMatch(/select \*|returning \*/);
  });
});
