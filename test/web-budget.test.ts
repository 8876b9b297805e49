import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebPage } from './helpers/web-page.js';

const BUDGET_BYTES = 50 * 1024;

/** The page as `npm run build` makes it, built into a temporary folder from the current sources. */
describe('web page build', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'hush-web-'));
    await buildWebPage(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const assets = () => readdirSync(path.join(out, 'assets'));

  it(`keeps all of its JavaScript within ${BUDGET_BYTES / 1024} KB gzipped`, () => {
    const scripts = assets().filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce(
      (sum, name) => sum + gzipSync(readFileSync(path.join(out, 'assets', name))).length,
      0,
    );
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('loads the QR code library on demand: its own chunk, which the first load does not fetch', () => {
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    const chunk = assets().find((name) => /^qr-matrix-.*\.js$/.test(name));
    expect(chunk).toBeDefined();
    expect(html).not.toContain('qr-matrix');
    const entries = [...html.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((match) => match[1] ?? '');
    expect(entries).toHaveLength(1);
    const entry = readFileSync(path.join(out, 'assets', entries[0] ?? ''), 'utf8');
    // Only a dynamic import names the chunk; a static one would load it with the page.
    expect(entry).toMatch(new RegExp(`import\\([\`'"]\\./${chunk}[\`'"]\\)`));
    expect(entry).not.toMatch(/(?:from|import)\s*[`'"]\.\/qr-matrix-/);
    // The library's code (a name of its internals) is in the chunk, not in the entry.
    expect(readFileSync(path.join(out, 'assets', chunk ?? ''), 'utf8')).toContain('getBCHTypeInfo');
    expect(entry).not.toContain('getBCHTypeInfo');
  });

  it('is built from the page and the shared client alone: API schemas come in as types only', () => {
    const { inputs } = JSON.parse(readFileSync(path.join(out, '.build-inputs.json'), 'utf8')) as {
      inputs: string[];
    };
    expect(inputs.filter((file) => !/^src\/(web|client)\//.test(file))).toEqual([]);
    // TypeBox marks every schema it builds with '~kind'; none of its code may reach the page.
    for (const name of assets().filter((file) => file.endsWith('.js'))) {
      expect(readFileSync(path.join(out, 'assets', name), 'utf8')).not.toContain('~kind');
    }
  });

  it('emits content-hashed asset names only', () => {
    for (const name of assets()) expect(name).toMatch(/^[A-Za-z0-9_-]+-[A-Za-z0-9_-]{8}\.(js|css)$/);
  });

  it('has no inline script or style and loads nothing from another origin', () => {
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBe(1);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handlers
    expect(html).not.toMatch(/(?:src|href)\s*=\s*"(?:[a-z]+:)?\/\//i); // no external or protocol-relative URL
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('puts no external URL, font or eval into the emitted code', () => {
    for (const name of assets()) {
      const text = readFileSync(path.join(out, 'assets', name), 'utf8');
      expect(text).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
      expect(text).not.toMatch(/@import|@font-face/i);
      if (name.endsWith('.js')) expect(text).not.toMatch(/\beval\(|new Function\(/);
    }
  });
});
