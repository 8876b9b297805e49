import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where hush serves the page from (src/http/surfaces/web/web-surface.ts). */
export const WEB_OUT = path.join(ROOT, 'dist', 'web');
const SOURCES = ['src/web', 'src/client', 'vite.config.ts'].map((p) => path.join(ROOT, p));

/** Builds the page with the project's vite.config.ts into `outDir` (the real build, not a copy of it). */
export async function buildWebPage(outDir: string): Promise<void> {
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

function newestChange(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return file.endsWith('.test.ts') ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((name) => newestChange(path.join(file, name))));
}

/**
 * Builds dist/web when it is missing or older than its sources. The build is written beside it and
 * swapped in, so a hush already serving dist/web never reads a half-written page.
 */
export async function ensureWebPage(): Promise<void> {
  const index = path.join(WEB_OUT, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...SOURCES.map(newestChange))) return;
  const staging = `${WEB_OUT}.build-${process.pid}`;
  const old = `${WEB_OUT}.old-${process.pid}`;
  await buildWebPage(staging);
  try {
    if (existsSync(WEB_OUT)) renameSync(WEB_OUT, old);
    renameSync(staging, WEB_OUT);
  } catch {
    // Another run swapped its own fresh build in at the same moment: keep that one.
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}
