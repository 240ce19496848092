// The site: web/ is the root, dist/ the output. base './' makes every URL in the built files relative, so
// dist/ works from any static host and under any sub-path (https://host/some/path/).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: false,
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // The core's .wasm is imported with ?url (web/js/engine.js); never inline it as base64.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    strictPort: false,
  },
  preview: {
    host: '127.0.0.1',
  },
});
