// Hash routes: '#/explorer?query', '#/playground?query', '#/race?query' and '#/lessons/3'. The query part carries a view's
// whole state, so a link reproduces what its sender saw. Views rewrite the query with replace(), which does not add a
// history entry and does not fire 'hashchange' (so a view is not re-applied from its own update).
export const ROUTES = ['explorer', 'playground', 'lessons', 'race'];
export const DEFAULT_ROUTE = 'explorer';

/**
 * '#/playground?v=1&seed=3' -> { route: 'playground', query: URLSearchParams, known: true, path: '' };
 * what follows the route's name is its path: '#/lessons/3' -> { route: 'lessons', path: '3', ... }.
 */
export function parseHash(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = text.indexOf('?');
  const full = (q < 0 ? text : text.slice(0, q)).replace(/^\/+|\/+$/g, '');
  const slash = full.indexOf('/');
  const head = slash < 0 ? full : full.slice(0, slash);
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const known = ROUTES.includes(head);
  const path = known && slash >= 0 ? full.slice(slash + 1) : '';
  return { route: known ? head : DEFAULT_ROUTE, query, known: known || full === '', path };
}

/** The hash for a route (with its path, e.g. 'lessons/3') and a query (URLSearchParams or a plain object of strings). */
export function hashFor(route, query) {
  const params = query instanceof URLSearchParams ? query : new URLSearchParams(query ?? {});
  // Commas stay readable ('fn=relu,silu'): they are legal in a fragment and URLSearchParams reads them back.
  const text = params.toString().replace(/%2C/gi, ',');
  return `#/${route}${text ? `?${text}` : ''}`;
}

export class Router {
  #listeners = [];
  #last = new Map(); // route -> its last query string, so the nav links return to where a view was
  current = parseHash(window.location.hash);

  constructor() {
    window.addEventListener('hashchange', () => this.#changed());
  }

  /** Calls fn({ route, query, known }) now and on every navigation (links, back/forward, a pasted URL). */
  listen(fn) {
    this.#listeners.push(fn);
    fn(this.current);
  }

  /** Rewrites the current route's query in the address bar, without a history entry or a hashchange. */
  replace(route, query) {
    const hash = hashFor(route, query);
    if (hash === window.location.hash) return;
    const url = new URL(window.location.href);
    url.hash = hash;
    window.history.replaceState(window.history.state, '', url);
    this.current = parseHash(hash);
    this.#last.set(this.current.route, this.current.query.toString());
  }

  /** Navigates (adds a history entry; listeners run through hashchange). */
  go(route, query) {
    window.location.hash = hashFor(route, query);
  }

  #changed() {
    this.current = parseHash(window.location.hash);
    // A bare '#/route' (the nav links) returns to that view's last state rather than its defaults.
    const last = this.#last.get(this.current.route);
    if (this.current.query.toString() === '' && last) {
      const url = new URL(window.location.href);
      url.hash = hashFor(this.current.route, new URLSearchParams(last));
      window.history.replaceState(window.history.state, '', url);
      this.current = parseHash(url.hash);
    }
    for (const fn of this.#listeners) fn(this.current);
  }
}
