import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Writes `.build-inputs.json` into the output directory after a build: the files the page was built
 * from and when the build started. scripts/build-web-if-stale.mjs (run by `npm start`) skips
 * `vite build` while none of them changed. Only index.html and assets/ are served, never this file.
 */
function recordInputs(): Plugin {
  let outDir = '';
  let startedAt = 0;
  return {
    name: 'hush-record-inputs',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    buildStart() {
      startedAt = Date.now();
    },
    writeBundle() {
      const root = here('.');
      const inputs = [...this.getModuleIds()]
        .filter((id) => path.isAbsolute(id) && !id.includes('\0') && !id.includes('/node_modules/'))
        .map((id) => path.relative(root, id.replace(/[?#].*$/, '')))
        .sort();
      const record = `${JSON.stringify({ startedAt, inputs }, null, 1)}\n`;
      writeFileSync(path.join(outDir, '.build-inputs.json'), record);
    },
  };
}

/**
 * The web page: src/web builds to dist/web (hashed names under assets/), which
 * src/http/routes/web.ts serves. The page's CSP allows no inline script or style and no data:
 * assets, so the preload polyfill (an inline script) and asset inlining are off.
 */
export default defineConfig({
  root: here('./src/web'),
  base: '/',
  publicDir: false,
  plugins: [recordInputs()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  // `npx vite` serves the page with hot reload; the API comes from `npm run dev` on :8080.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
