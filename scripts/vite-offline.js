// Vite plugin: the offline part of the build. After dist/ is written, lists every file in it, hashes
// them into a version, and writes dist/sw.js (web/offline/service-worker.js with the list and version
// filled in), the web app manifest and its icon, so the site installs and works with no network.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../web/offline');

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

export function offline() {
  let outDir;
  return {
    name: 'activation-playground-offline',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    // Vite does not rewrite tags added here: the manifest keeps its plain name next to index.html.
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'link', attrs: { rel: 'manifest', href: './manifest.webmanifest' }, injectTo: 'head' },
        { tag: 'link', attrs: { rel: 'apple-touch-icon', href: './icon-192.png' }, injectTo: 'head' },
      ],
    },
    async writeBundle() {
      for (const name of ['manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png'])
        await writeFile(join(outDir, name), await readFile(join(WEB, name)));
      const files = (await filesUnder(outDir)).filter((f) => !f.endsWith('sw.js')).sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(relative(outDir, f)).update(await readFile(f));
      const names = files.map((f) => `./${relative(outDir, f).split('\\').join('/')}`);
      const source = await readFile(join(WEB, 'service-worker.js'), 'utf8');
      const sw = source
        .replace("'unbuilt'; // __VERSION__", `${JSON.stringify(hash.digest('hex').slice(0, 12))};`)
        .replace('[]; // __FILES__', `${JSON.stringify(names)};`);
      if (sw.includes('__VERSION__') || sw.includes('__FILES__'))
        throw new Error("vite-offline: the service worker's placeholders changed");
      await writeFile(join(outDir, 'sw.js'), sw);
    },
  };
}
