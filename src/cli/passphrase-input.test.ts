import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError, EXIT } from './cli-errors.js';
import { existingPassphrase, newPassphrase, promptHidden, readPassphraseFile } from './passphrase-input.js';

/**
 * A stand-in for the controlling terminal (/dev/tty): each prompt reads the next answer, typed as
 * the given chunks; what the program shows on it is kept. The real one is tested on a
 * pseudo-terminal in test/cli.test.ts; this covers the line editing key by key.
 */
const terminal = vi.hoisted(() => ({
  present: true,
  answers: [] as (string | string[])[],
  shown: '',
  rawModes: [] as boolean[],
  open: 0,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const [READ_FD, WRITE_FD] = [-100, -101];
  const openSync = ((file: string, flags: string, ...rest: never[]) => {
    if (file !== '/dev/tty') return fs.openSync(file, flags, ...rest);
    if (!terminal.present) throw Object.assign(new Error('no such device'), { code: 'ENXIO' });
    terminal.open += 1;
    return flags === 'r' ? READ_FD : WRITE_FD;
  }) as typeof fs.openSync;
  const writeSync = ((fd: number, text: string, ...rest: never[]) => {
    if (fd !== WRITE_FD) return fs.writeSync(fd, text, ...rest);
    terminal.shown += text;
    return text.length;
  }) as typeof fs.writeSync;
  const closeSync = ((fd: number) => {
    if (fd === WRITE_FD) terminal.open -= 1;
    else fs.closeSync(fd);
  }) as typeof fs.closeSync;
  const mocked = { openSync, writeSync, closeSync };
  return { ...fs, ...mocked, default: { ...fs, ...mocked } };
});

vi.mock('node:tty', async (importOriginal) => {
  const tty = await importOriginal<typeof import('node:tty')>();
  const { EventEmitter } = await import('node:events');
  class FakeTerminalInput extends EventEmitter {
    override on(event: string, listener: (...args: unknown[]) => void): this {
      super.on(event, listener);
      if (event === 'data') {
        const answer = terminal.answers.shift() ?? '\u0004';
        const chunks = typeof answer === 'string' ? [answer] : answer;
        setImmediate(() => {
          for (const chunk of chunks) this.emit('data', chunk);
        });
      }
      return this;
    }
    setRawMode(on: boolean) {
      terminal.rawModes.push(on);
      return this;
    }
    setEncoding() {
      return this;
    }
    destroy() {
      terminal.open -= 1;
      return this;
    }
  }
  return { ...tty, ReadStream: FakeTerminalInput, default: { ...tty, ReadStream: FakeTerminalInput } };
});

const dir = mkdtempSync(path.join(tmpdir(), 'hush-passphrase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  Object.assign(terminal, { present: true, answers: [], shown: '', rawModes: [], open: 0 });
});

const typing = (...answers: (string | string[])[]) => terminal.answers.push(...answers);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('it should have been refused'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(CliError);
      return { code: (error as CliError).exitCode, message: (error as CliError).message };
    },
  );

describe('promptHidden (on a stand-in terminal)', () => {
  it('asks in raw mode without echo, and restores the terminal afterwards', async () => {
    typing('s3cret\r');
    expect(await promptHidden('Passphrase: ', 'hint')).toBe('s3cret');
    expect(terminal.shown).toBe('Passphrase: \n');
    expect(terminal.rawModes).toEqual([true, false]);
    expect(terminal.open).toBe(0);
  });

  it.each([
    ['Backspace and DEL edit the line, by character', 'p4sx\u007fs\bs\r', 'p4ss'],
    ['a wide character is removed whole', 'ä🔑\u007f\r', 'ä'],
    ['arrow keys (CSI) are not text', 'p4s\u001b[D\u001b[Cs\r', 'p4ss'],
    ['SS3 keys (ESC O x) are not text', '\u001bOAab\r', 'ab'],
    ['ESC and the key after it are dropped', 'a\u001bxb\r', 'ab'],
    ['an escape sequence split across reads', ['ab\u001b', '[', '1;5', 'Dc\r'], 'abc'],
    ['control characters are ignored', 'a\tb\u0001c\r', 'abc'],
    ['Ctrl-D inside a line is ignored', 'ab\u0004c\n', 'abc'],
    ['an empty line is empty', '\r', ''],
  ])('%s', async (_name, keys, expected) => {
    typing(keys);
    expect(await promptHidden('Q: ', 'hint')).toBe(expected);
    expect(terminal.shown).toBe('Q: \n');
  });

  it.each([
    ['Ctrl-C', 'abc\u0003'],
    ['Ctrl-D on an empty line', '\u0004'],
  ])('%s cancels (exit 130) and restores the terminal', async (_name, keys) => {
    typing(keys);
    expect(await failure(promptHidden('Q: ', 'hint'))).toEqual({
      code: EXIT.cancelled,
      message: 'cancelled',
    });
    expect(terminal.rawModes).toEqual([true, false]);
    expect(terminal.open).toBe(0);
  });

  it('refuses with the hint when there is no terminal (exit 2)', async () => {
    terminal.present = false;
    expect(await failure(promptHidden('Password: ', 'use --password-file <path>', 'password'))).toEqual({
      code: EXIT.usage,
      message: 'no terminal to ask for the password on: use --password-file <path>',
    });
  });
});

describe('passphrases for new and existing shares', () => {
  it('asks twice for a new share: equal answers give it, different ones are refused', async () => {
    typing('same\r', 'same\r');
    expect(await newPassphrase({ file: undefined, noTerminalHint: 'hint' })).toBe('same');
    expect(terminal.shown).toBe('Passphrase for the secret: \nRepeat the passphrase: \n');

    typing('one\r', 'other\r');
    expect(await failure(newPassphrase({ file: undefined, noTerminalHint: 'hint' }))).toEqual({
      code: EXIT.usage,
      message: 'the passphrases do not match',
    });
    typing('\r');
    expect(await failure(newPassphrase({ file: undefined, noTerminalHint: 'hint' }))).toEqual({
      code: EXIT.usage,
      message: 'no passphrase given',
    });
  });

  it('asks once for an existing share, and never when a file gives it', async () => {
    typing('open sesame\r');
    expect(await existingPassphrase({ file: undefined, noTerminalHint: 'hint' })).toBe('open sesame');
    expect(terminal.shown).toBe('Passphrase: \n');
    typing('\r');
    expect((await failure(existingPassphrase({ file: undefined, noTerminalHint: 'hint' }))).message).toBe(
      'no passphrase given',
    );

    terminal.shown = '';
    const file = path.join(dir, 'pass');
    writeFileSync(file, 'from a file\r\n');
    expect(await existingPassphrase({ file, noTerminalHint: 'hint' })).toBe('from a file');
    expect(await newPassphrase({ file, noTerminalHint: 'hint' })).toBe('from a file');
    expect(terminal.shown).toBe('');
  });

  it('drops one trailing newline of a file, keeps the rest, and names the file when it fails', async () => {
    const file = path.join(dir, 'spaces');
    writeFileSync(file, ' two lines\n\n');
    expect(await readPassphraseFile(file)).toBe(' two lines\n');
    const missing = path.join(dir, 'missing');
    expect(await failure(readPassphraseFile(missing, 'password'))).toEqual({
      code: EXIT.local,
      message: `cannot read the password file ${missing} (ENOENT)`,
    });
  });
});
