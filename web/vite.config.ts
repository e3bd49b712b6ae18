// Builds the web page (web/) into static files the service serves at /app (src/web/public, committed: see README).
// Fixed file names and no source maps, so the same sources always give the same bytes (test/slow/web-build.test.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  publicDir: false,
  logLevel: 'warn',
  css: { preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import'] } } },
  build: {
    outDir: fileURLToPath(new URL('../src/web/public/', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // lightningcss rejects a media query GOV.UK Frontend's Sass writes: the CSS is left unminified (gzip does the rest).
    cssMinify: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      output: { entryFileNames: 'assets/app.js', chunkFileNames: 'assets/[name].js', assetFileNames: 'assets/[name][extname]' },
    },
  },
});
