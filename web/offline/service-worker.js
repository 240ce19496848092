// The site's service worker: after a first visit every route works with no network. The build
// (scripts/vite-offline.js) writes this file to dist/sw.js with VERSION (a hash of every built file) and
// FILES (every file of dist/, relative to it) filled in. Built assets have content hashes in their names,
// so a new build is a new VERSION and a new cache; the old one is dropped once the new worker takes over,
// which is on the next visit (the page says so), never under a page that is running.
const VERSION = 'unbuilt'; // __VERSION__
const FILES = []; // __FILES__
const CACHE = `activation-playground-${VERSION}`;

// Hashed files (assets/) never change under their name, so the browser's HTTP cache may answer for them
// (the page has usually just fetched them); the others (index.html, the manifest) are fetched afresh.
self.addEventListener('install', (event) => {
  const request = (f) => new Request(f, { cache: f.startsWith('./assets/') ? 'default' : 'reload' });
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES.map(request))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('activation-playground-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The site's own files from the cache (a navigation is the page, index.html: routes are hashes); anything
// else, and a file missing from the cache, from the network.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const scope = self.registration.scope;
  const key = request.mode === 'navigate' ? new URL('index.html', scope).href : request.url;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: true }))
      .then((hit) => hit ?? fetch(request)),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'version') event.source?.postMessage({ version: VERSION });
});
