import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { redact } from './redact.js';

describe('log redaction', () => {
  it('censors sensitive keys at the top and nested levels, in any letter case', () => {
    expect(
      redact({
        secret: 's',
        Passphrase: 'p',
        ok: 1,
        req: { headers: { Authorization: 'Bearer x', cookie: 'c', accept: 'a' } },
        body: { secret_key: 'k', nested: { token: 't' } },
        list: [{ secret: 'kept: arrays are not walked' }],
      }),
    ).toEqual({
      secret: '[redacted]',
      Passphrase: '[redacted]',
      ok: 1,
      req: { headers: { Authorization: '[redacted]', cookie: '[redacted]', accept: 'a' } },
      body: { secret_key: '[redacted]', nested: { token: '[redacted]' } },
      list: [{ secret: 'kept: arrays are not walked' }],
    });
  });

  it('never mutates the logged object and returns it as is when clean', () => {
    const headers = { authorization: 'Bearer x' };
    const input = { headers };
    const out = redact(input);
    expect(headers.authorization).toBe('Bearer x');
    expect(out.headers).not.toBe(headers);
    const clean = { route: '/x', status: 200 };
    expect(redact(clean)).toBe(clean);
    expect(redact('text')).toBe('text');
  });

  it('applies to every line the logger writes', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    logger.info({ passphrase: 'canary-pass', headers: { authorization: 'Bearer canary-token' } }, 'hello');
    logger.child({ reqId: 'r1' }).warn({ masterKey: 'canary-key' }, 'child');
    expect(lines.join('')).not.toMatch(/canary/);
    expect(lines.join('')).toContain('[redacted]');
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({
      reqId: 'r1',
      masterKey: '[redacted]',
      msg: 'child',
    });
  });
});
