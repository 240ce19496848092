// Wires the page: loads the core, follows the hash route, and mounts each view into its <section> the first
// time it is shown. A view module (web/js/<route>/index.js) exports
//   mount(section, { engine, router, pool }) -> { show(query, path), hide() }
// engine: the core on this thread, for small synchronous figures (curves); pool: the training engine's workers.
// show(query, path) runs when the route becomes active and on every navigation to it (query: URLSearchParams
// from the hash; path: what follows the route's name, '3' in '#/lessons/3'); hide() when another route takes
// over. Views write their state back with router.replace('<route>', query).
import '../css/base.css';
import { loadEngine, errorMessage } from './engine/local.js';
import { EnginePool } from './engine/client.js';
import { coreCatalog } from './catalog.js';
import { Router, hashFor } from './router.js';
import { applyHidden, readHidden } from './shell/page-options.js';
import { workOffline } from './offline.js';

// Each view is its own chunk: the explorer does not wait for the playground's code, and the other way round.
const VIEW_MODULES = import.meta.glob(['./explorer/index.js', './playground/index.js', './lessons/index.js', './race/index.js']);

const status = document.getElementById('app-status');
const router = new Router();
// The training engine: workers that train and compute grids, made when a view first trains.
const pool = new EnginePool();
const views = new Map(); // route -> Promise<view>
let active = null;

function setStatus(text, kind = 'info') {
  status.textContent = text;
  status.dataset.kind = kind;
  status.hidden = text === '';
}

function sectionOf(route) {
  return document.getElementById(route);
}

function viewFor(route, engine) {
  if (!views.has(route)) {
    const load = VIEW_MODULES[`./${route}/index.js`];
    const section = sectionOf(route);
    views.set(
      route,
      load
        ? load().then((module) => module.mount(section, { engine, router, pool }))
        : Promise.reject(new Error(`the ${route} view is missing from this build`)),
    );
  }
  return views.get(route);
}

function markNav(route) {
  for (const link of document.querySelectorAll('[data-route]')) {
    if (link.dataset.route === route) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function start() {
  let engine;
  try {
    engine = await loadEngine();
  } catch (error) {
    setStatus(`The computation core could not be loaded, so nothing can be plotted or trained: ${errorMessage(error)}`, 'error');
    return;
  }
  // The core's names, menus and ranges, before any view reads the property table.
  coreCatalog(engine);
  setStatus('');
  router.listen(async ({ route, query, known, path }, { optionsOnly = false } = {}) => {
    if (optionsOnly) {
      showPageOptions(route, query, path);
      return;
    }
    markNav(route);
    // Tool views (the playground, the race) get a compact header and the full width of the screen.
    document.body.dataset.view = route; // the tool views' compact header (base.css); not data-route, which marks nav links
    for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== route;
    if (!known) setStatus(`There is no page at "${window.location.hash}"; showing the ${route} instead.`, 'warning');
    else if (status.dataset.kind === 'warning') setStatus('');
    showPageOptions(route, query, path);
    if (active && active.route !== route) {
      const previous = active;
      views.get(previous.route)?.then(
        (view) => view.hide(),
        () => {},
      );
    }
    active = { route };
    try {
      const view = await viewFor(route, engine);
      if (active.route === route) view.show(query, path);
    } catch (error) {
      setStatus(`The ${route} could not be shown: ${errorMessage(error)}`, 'error');
      console.error(error);
    }
  });
}

/** The link's page options: embedded (just the tool, and a way out to the full site) and hidden controls. */
function showPageOptions(route, query, path) {
  const problems = [];
  const hidden = readHidden(router.options.hide, problems);
  applyHidden(hidden);
  if (problems.length) setStatus(problems.join(' '), 'warning');
  document.body.toggleAttribute('data-embed', router.options.embed);
  const out = document.getElementById('embed-out');
  out.hidden = !router.options.embed;
  // The full site at the same view and state, in a new tab: the embedding page keeps its place.
  const full = new URL(window.location.href);
  full.hash = hashFor(path ? `${route}/${path}` : route, query);
  out.href = full.href;
}

// Test hook: the training engine's pool, and one run trained for exactly n steps on a worker (for parity
// checks of the worker path against the core in Node and natively).
window.__engine = Object.freeze({
  get workers() {
    return pool.size;
  },
  async train(config, steps, workerIndex = 0) {
    const { RemoteRun } = await import('./engine/remote-run.js');
    const run = await RemoteRun.create(pool, workerIndex, config);
    try {
      await run.frame({ steps });
      return { step: run.step, history: run.history, weights: Array.from(run.weights()), model: await run.exportModel() };
    } finally {
      run.dispose();
    }
  },
});

// The skip link must not change the hash (that is the router's): it moves focus instead.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});

// The service worker after the core: its cache is filled from what the page has just fetched.
start().then(() =>
  workOffline((text) => {
    // The core's own messages (a failed load) come first; an update note waits for an empty status line.
    if (status.hidden) setStatus(text, 'info');
  }),
);
