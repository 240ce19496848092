// Offline: registers the service worker the build writes (dist/sw.js, see web/offline/service-worker.js),
// so every route works with no network after a first visit, and tells the user when a new version arrived:
// downloaded now, in use from the next visit (a running page keeps the files it started with).
const SEEN = 'activation-playground-version';

/** say(text): where the page shows a short note. Does nothing where service workers cannot run. */
export async function workOffline(say) {
  // Not under Vite's dev server (no sw.js there) or file:// (no service workers).
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  let registration;
  try {
    registration = await navigator.serviceWorker.register('./sw.js');
  } catch {
    return; // a host that cannot serve it: the page works online as before
  }
  // A worker installed next to the one in control is a new version, waiting for this page to close.
  const downloaded = () => {
    if (navigator.serviceWorker.controller)
      say('A new version of Activation Playground has been downloaded: it will be used the next time you open this page.');
  };
  const watch = (incoming) =>
    incoming?.addEventListener('statechange', () => {
      if (incoming.state === 'installed') downloaded();
    });
  if (registration.waiting) downloaded();
  else watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  if (navigator.serviceWorker.controller) {
    await remember(navigator.serviceWorker.controller, say);
  } else {
    // A first visit: the worker takes control once installed; its version is the one this visit saw.
    navigator.serviceWorker.addEventListener('controllerchange', () => remember(navigator.serviceWorker.controller, () => {}), {
      once: true,
    });
  }
}

/** Notes the version in control, and says so when it is not the one the last visit ran. */
async function remember(worker, say) {
  const version = await versionOf(worker);
  if (!version) return;
  const seen = localStorage.getItem(SEEN);
  if (seen && seen !== version) say(`Activation Playground was updated since your last visit (version ${version}).`);
  localStorage.setItem(SEEN, version);
}

function versionOf(worker) {
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (version) => {
      navigator.serviceWorker.removeEventListener('message', answer);
      resolve(version);
    };
    const answer = (event) => {
      if (event.data?.version) done(event.data.version);
    };
    navigator.serviceWorker.addEventListener('message', answer);
    worker.postMessage('version');
    // A service worker that was stopped starts again to answer; on a busy machine that takes seconds.
    setTimeout(() => done(null), 15000);
  });
}
