import { describe, expect, it } from 'vitest';
import { ApiError } from '../client/share-api.js';
import { CliError, EXIT, toCliError } from './cli-errors.js';

/** The mapping itself; each class is also seen end to end in client-commands.test.ts. */
describe('toCliError', () => {
  it.each(['TimeoutError', 'AbortError'])('a %s (no answer in time) is a network failure, exit 3', (name) => {
    const error = Object.assign(new Error('The operation timed out.'), { name });
    expect(toCliError(error)).toEqual(new CliError(EXIT.network, 'the server did not answer in time'));
  });

  it('keeps a CliError, and calls anything unknown unexpected (exit 1) with its message only', () => {
    const own = new CliError(EXIT.local, 'kept');
    expect(toCliError(own)).toBe(own);
    const bug = toCliError(new TypeError('x is not a function'));
    expect(bug).toMatchObject({ exitCode: EXIT.refused, message: 'unexpected error: x is not a function' });
    expect(toCliError('a string').message).toBe('unexpected error: a string');
  });

  it('words a 404 per command, and names the server code otherwise', () => {
    const notFound = new ApiError(404, 'not_found', 'Not found.');
    expect(toCliError(notFound, { notFound: 'no such thing' })).toMatchObject({
      exitCode: 1,
      message: 'no such thing',
    });
    expect(toCliError(notFound).message).toBe('Not found (not_found)');
    expect(toCliError(new ApiError(504, 'http_504', 'HTTP 504')).exitCode).toBe(EXIT.network);
  });
});
