import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web page: src/web builds to dist/web (hashed names under assets/), which
 * src/http/routes/web.ts serves. The page's CSP allows no inline script or style and no data:
 * assets, so the preload polyfill (an inline script) and asset inlining are off.
 */
export default defineConfig({
  root: here('./src/web'),
  base: '/',
  publicDir: false,
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
