import { describe, expect, it } from 'vitest';
import { statement } from './sql-statement.js';

describe('statement', () => {
  const find = statement<{ id: string; limit: number }>()('test_find', (db, p) =>
    db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', p('id'))
      .where('role', '=', 'admin')
      .limit(p('limit')),
  );

  it('compiles once per dialect with that dialect’s placeholders', () => {
    expect(find.compiled('sqlite').sql).toBe(
      'select "id", "username" from "users" where "id" = ? and "role" = ? limit ?',
    );
    expect(find.compiled('postgres').sql).toBe(
      'select "id", "username" from "users" where "id" = $1 and "role" = $2 limit $3',
    );
    expect(find.compiled('sqlite')).toBe(find.compiled('sqlite'));
  });

  it('binds named values in the order the compiler placed them, keeping literals', () => {
    expect(find.compiled('postgres').bind({ id: 'u1', limit: 5 })).toEqual(['u1', 'admin', 5]);
  });

  it('binds a name used twice at each of its places', () => {
    const twice = statement<{ at: number }>()('test_twice', (db, p) =>
      db
        .selectFrom('shares')
        .select('id')
        .where('created_at', '<', p('at'))
        .where('expires_at', '>', p('at')),
    );
    expect(twice.compiled('sqlite').bind({ at: 7 })).toEqual([7, 7]);
  });
});
