import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { preparedStatements } from './sqlite-prepared.js';

describe('preparedStatements', () => {
  it('prepares on first use (after migrations), once', () => {
    const database = new Database(':memory:');
    // Built before the table exists, as the stores are: preparing now would throw "no such table".
    const stmt = preparedStatements(database, {
      insert: 'insert into t (v) values (?)',
      count: 'select count(*) as n from t',
    });
    database.exec('create table t (v integer)');
    stmt('insert').run(1);
    expect(stmt('insert')).toBe(stmt('insert'));
    expect(stmt('count').get()).toEqual({ n: 1 });
    database.close();
  });
});
