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

  it("says a duration flag's bounds in words, from this server or an older one, and names --max-ttl apart", () => {
    const range = (message: string, code = 'ttl_out_of_range') =>
      toCliError(new ApiError(400, code, message)).message;
    expect(range('ttl_seconds must be between 60 (1 minute) and 2592000 (30 days).')).toBe(
      '--ttl is outside what this server allows: it must be between 1 minute and 30 days',
    );
    expect(range('ttl_seconds must be between 60 and 5400.')).toBe(
      '--ttl is outside what this server allows: it must be between 1 minute and 1 hour 30 minutes',
    );
    expect(range('body/ttl_seconds must be <= 31536000', 'bad_request')).toBe(
      '--ttl is outside what this server allows: it must be at most 365 days',
    );
    expect(range('body/max_ttl_seconds must be >= 60', 'bad_request')).toBe(
      '--max-ttl is outside what this server allows: it must be at least 1 minute',
    );
    expect(range('max_views must be between 1 and 100.', 'max_views_out_of_range')).toBe(
      '--views is outside what this server allows: max_views must be between 1 and 100',
    );
  });
});
