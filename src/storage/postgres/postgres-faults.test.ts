import { describe, expect, it } from 'vitest';
import { isPostgresFault } from './postgres-faults.js';

/** An error as pg or Node raise it: a message and, often, a code. */
const failure = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('isPostgresFault', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])(
    'counts the socket error %s',
    (code) => expect(isPostgresFault(failure(`connect ${code}`, code))).toBe(true),
  );

  it.each([
    ['08000', 'connection exception'],
    ['08006', 'connection failure'],
    ['08P01', 'protocol violation'],
    ['57P01', 'admin shutdown'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'cannot connect now'],
    ['53300', 'too many connections'],
    ['57014', 'statement timeout'],
  ])('counts SQLSTATE %s (%s)', (code, message) =>
    expect(isPostgresFault(failure(message, code))).toBe(true),
  );

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Client has encountered a connection error and is not queryable',
  ])('counts the driver error "%s"', (message) => expect(isPostgresFault(new Error(message))).toBe(true));

  it('follows the cause of a wrapped error', () => {
    const wrapped = new Error('could not connect', {
      cause: failure('connect ECONNREFUSED', 'ECONNREFUSED'),
    });
    expect(isPostgresFault(wrapped)).toBe(true);
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['42P01', 'relation "shares" does not exist'],
    ['42601', 'syntax error'],
    ['28P01', 'password authentication failed'],
    ['22P02', 'invalid input syntax'],
  ])('passes SQLSTATE %s (%s) through', (code, message) =>
    expect(isPostgresFault(failure(message, code))).toBe(false),
  );

  it.each([
    new Error('The server does not support SSL connections'),
    new Error('Cannot use a pool after calling end on the pool'),
    new TypeError('x is not a function'),
    'Connection terminated',
    undefined,
    null,
    { code: 42 },
  ])('passes %s through', (error) => expect(isPostgresFault(error)).toBe(false));
});
