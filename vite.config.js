// The site: web/ is the root, dist/ the output. base './' makes every URL in the built files relative, so
// dist/ works from any static host and under any sub-path (https://host/some/path/).
import { defineConfig } from 'vite';
import { offline } from './scripts/vite-offline.js';

// KaTeX's CSS lists each font as woff2, woff and ttf. Every browser that runs WebAssembly reads woff2, so
// the other two would only add ~700 kB of files to dist/ that no one downloads: keep woff2 alone.
const katexWoff2Only = {
  name: 'katex-woff2-only',
  enforce: 'pre',
  transform(code, id) {
    if (!/katex(\.min)?\.css$/.test(id.split('?')[0])) return null;
    const out = code.replace(/,\s*url\([^)]*\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, '');
    if (out === code) throw new Error('katex-woff2-only: the KaTeX CSS font list changed; update vite.config.js');
    return { code: out, map: null };
  },
};

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: false,
  plugins: [katexWoff2Only, offline()],
  // The training engine runs in a module worker (web/js/engine/worker.js) that imports the core's ES module.
  worker: { format: 'es' },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // The core's .wasm is imported with ?url (web/js/engine.js); never inline it as base64. Fonts stay files
    // too: the content policy's font-src is 'self' alone, and a data: font would be refused.
    assetsInlineLimit: (file) => (/\.(wasm|woff2?)$/.test(file) ? false : undefined),
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
