import { describe, expect, it } from 'vitest';
import { CliError } from './cli-errors.js';
import { settingsOf } from './secret-metadata-command.js';
import { versionTable } from './secret-versions-command.js';
import { printable, textTable } from './text-table.js';

describe('textTable', () => {
  it('aligns columns two spaces apart and pads no last column', () => {
    expect(
      textTable(
        ['KEY', 'VALUE'],
        [
          ['password', 'x'],
          ['u', 'longer value'],
        ],
      ),
    ).toBe('KEY       VALUE\npassword  x\nu         longer value\n');
  });

  it('shows text that could drive the terminal JSON-quoted, and plain text as it is', () => {
    for (const text of ['a\nb', 'tab\there', 'esc\u001b[2J', 'bell\u0007', 'c1\u009b31m']) {
      expect(printable(text)).toBe(JSON.stringify(text));
    }
    // Separators and bidi controls, which JSON leaves raw, are escaped too: nothing reorders the line.
    expect(printable('ls\u2028')).toBe('"ls\\u2028"');
    expect(printable('invoice\u202efdp.exe')).toBe('"invoice\\u202efdp.exe"');
    expect(printable('x\u2066y')).toBe('"x\\u2066y"');
    for (const text of ['plain', 'ünïcödé', 'with "quotes"', '']) expect(printable(text)).toBe(text);
    expect(textTable(['K', 'V'], [['k', 'two\nlines']])).toBe('K  V\nk  "two\\nlines"\n');
  });
});

describe('versionTable', () => {
  const version = (n: number, deleted: string | null = null, destroyed = false) => ({
    version: n,
    created_at: `2026-01-0${n}T00:00:00.000Z`,
    deleted_at: deleted,
    destroyed,
  });
  it('names each state, a deletion still to come included, and marks the current version', () => {
    const now = Date.parse('2026-06-01T00:00:00.000Z');
    const table = versionTable(
      {
        current_version: 4,
        versions: [
          version(1, null, true),
          version(2, '2026-02-01T00:00:00.000Z'),
          version(3),
          version(4, '2026-07-01T00:00:00.000Z'),
        ],
      } as unknown as Parameters<typeof versionTable>[0],
      now,
    );
    expect(table.split('\n')).toEqual([
      'VERSION  CREATED                   STATE',
      '1        2026-01-01T00:00:00.000Z  destroyed',
      '2        2026-01-02T00:00:00.000Z  deleted 2026-02-01T00:00:00.000Z',
      '3        2026-01-03T00:00:00.000Z  live',
      '4        2026-01-04T00:00:00.000Z  live, deleted at 2026-07-01T00:00:00.000Z (current)',
      '',
    ]);
  });
});

describe('hush secret metadata flags', () => {
  it('changes only what is given; nothing given only shows', () => {
    expect(settingsOf({ json: false, help: false })).toBeUndefined();
    expect(settingsOf({ json: false, help: false, 'no-cas-required': true, 'delete-after': '0' })).toEqual({
      cas_required: false,
      delete_version_after_seconds: 0,
    });
    expect(
      settingsOf({ json: false, help: false, 'max-versions': '0', custom: ['a=1', 'b=x=y', 'empty='] }),
    ).toEqual({ max_versions: 0, custom_metadata: { a: '1', b: 'x=y', empty: '' } });
    expect(() => settingsOf({ json: false, help: false, custom: ['a=1', 'a=2'] })).toThrow(CliError);
    expect(() => settingsOf({ json: false, help: false, 'delete-after': 'never' })).toThrow(CliError);
  });
});
