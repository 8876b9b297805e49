import { describe, expect, it } from 'vitest';
import { distinctNames, numberedName, safeFileName } from './file-names.js';

describe('file names from a manifest', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['отчёт 2026.txt', 'отчёт 2026.txt'],
    ['../../etc/passwd', '______etc_passwd'],
    ['a..b.txt', 'a__b.txt'],
    ['..', '__'],
    ['.', '_'],
    ['.bashrc', '_bashrc'],
    ['a/b\\c', 'a_b_c'],
    ['evil\u0007\u001b[31mred\r\n.txt', 'evil__[31mred__.txt'],
    ['cod\u202Etxt.exe', 'cod_txt.exe'],
    ['trailing. ', 'trailing__'],
    ['', 'file'],
    ['/', '_'],
  ])('%j → %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });

  it('keeps a name within 255 bytes, and numbers twins before the extension', () => {
    expect(new TextEncoder().encode(safeFileName('я'.repeat(300))).length).toBeLessThanOrEqual(255);
    expect(numberedName('report.pdf', 2)).toBe('report (2).pdf');
    expect(numberedName('_bashrc', 3)).toBe('_bashrc (3)');
    expect(new TextEncoder().encode(numberedName('x'.repeat(255), 2)).length).toBe(255);
    expect(distinctNames(['a.txt', 'A.txt', 'a.txt', '../a.txt'])).toEqual([
      'a.txt',
      'A (2).txt',
      'a (3).txt',
      '___a.txt',
    ]);
  });
});
