import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';

const PAGE = readFileSync(path.resolve(import.meta.dirname, '../docs/configuration.md'), 'utf8');

/** Every HUSH_* name loadConfig reads, found by handing it an environment that records each read. */
function settingsRead(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(target, name) {
      if (typeof name === 'string' && name.startsWith('HUSH_')) read.add(name);
      return Reflect.get(target, name);
    },
  });
  loadConfig(env);
  return read;
}

/** The names in the first column of the page's settings table. */
function settingsDocumented(): Set<string> {
  const names = new Set<string>();
  for (const line of PAGE.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const match of firstCell.matchAll(/`(HUSH_[A-Z0-9_]+)`/g)) if (match[1]) names.add(match[1]);
  }
  return names;
}

/** Read only to refuse it with a hint: named in the page's text, not in its table. */
const REFUSED = ['HUSH_ADMIN_TOKEN'];

describe('docs/configuration.md', () => {
  it('lists every setting the server reads, and none it does not', () => {
    const read = settingsRead();
    expect(read.size).toBeGreaterThan(40);
    const expected = [...read].filter((name) => !REFUSED.includes(name)).sort();
    expect([...settingsDocumented()].sort()).toEqual(expected);
  });

  it('names the refused and the client-only settings in its text', () => {
    for (const name of [...REFUSED, 'HUSH_URL', 'HUSH_TOKEN']) expect(PAGE).toContain(`\`${name}\``);
  });
});
