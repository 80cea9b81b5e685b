// Vite build of the web console into dist/console, which the service serves at `/`.
// `npx vite --config console/vite.config.mjs` runs a dev server that forwards API calls to a
// service on DH_PORT (default 8080).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const service = `http://127.0.0.1:${process.env.DH_PORT || 8080}`;

export default defineConfig({
  root: here,
  base: '/',
  publicDir: path.join(here, 'public'),
  logLevel: 'warn',
  build: {
    outDir: path.join(here, '..', 'dist', 'console'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // No inline scripts or styles: the service sends a Content-Security-Policy of 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/files', '/healthz', '/openapi.json', '/docs'].map((p) => [p, service])),
  },
});
