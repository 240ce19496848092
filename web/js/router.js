// Hash routes: '#/explorer?query', '#/playground?query', '#/race?query' and '#/lessons/3'. The query part carries a view's
// whole state, so a link reproduces what its sender saw. Views rewrite the query with replace(), which does not add a
// history entry and does not fire 'hashchange' (so a view is not re-applied from its own update).
// Two page options ride along in every link (shell/page-options.js): the '#/embed/' prefix (the tool alone, for an
// <iframe>) and the 'hide' key (controls hidden); views never see them in their queries.
export const ROUTES = ['explorer', 'playground', 'lessons', 'race'];
export const DEFAULT_ROUTE = 'explorer';
const EMBED = 'embed';
const HIDE_KEY = 'hide';

/**
 * '#/playground?v=1&seed=3' -> { route: 'playground', query: URLSearchParams, known: true, path: '', embed: false,
 * hide: null }; what follows the route's name is its path: '#/lessons/3' -> { route: 'lessons', path: '3', ... };
 * '#/embed/lessons/3?hide=companion' -> the same with embed: true and hide: 'companion' (null: no hide key).
 */
export function parseHash(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = text.indexOf('?');
  let full = (q < 0 ? text : text.slice(0, q)).replace(/^\/+|\/+$/g, '');
  const embed = full === EMBED || full.startsWith(`${EMBED}/`);
  if (embed) full = full.slice(EMBED.length + 1);
  const slash = full.indexOf('/');
  const head = slash < 0 ? full : full.slice(0, slash);
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const hide = query.get(HIDE_KEY);
  query.delete(HIDE_KEY);
  const known = ROUTES.includes(head);
  const path = known && slash >= 0 ? full.slice(slash + 1) : '';
  return { route: known ? head : DEFAULT_ROUTE, query, known: known || full === '', path, embed, hide };
}

/**
 * The hash for a route (with its path, e.g. 'lessons/3') and a query (URLSearchParams or a plain object of strings);
 * options: { embed, hide } (hide: the names, comma-separated) as the page shows them.
 */
export function hashFor(route, query, { embed = false, hide = '' } = {}) {
  const params = new URLSearchParams(query instanceof URLSearchParams ? query : (query ?? {}));
  if (hide) params.set(HIDE_KEY, hide);
  // Commas stay readable ('fn=relu,silu'): they are legal in a fragment and URLSearchParams reads them back.
  const text = params.toString().replace(/%2C/gi, ',');
  return `#/${embed ? `${EMBED}/` : ''}${route}${text ? `?${text}` : ''}`;
}

export class Router {
  #listeners = [];
  #last = new Map(); // route -> its last query string, so the nav links return to where a view was
  current = parseHash(window.location.hash);
  // The page options of the first link: an embedded page stays embedded whatever link is followed inside it,
  // and hidden controls stay hidden until a link names others.
  options = { embed: this.current.embed, hide: this.current.hide ?? '' };

  constructor() {
    window.addEventListener('hashchange', () => this.#changed());
  }

  /** Hides other controls (a list of names, checked by the caller); the address bar says so at once. */
  setHidden(names) {
    this.options.hide = names.join(',');
    this.replace(this.current.path ? `${this.current.route}/${this.current.path}` : this.current.route, this.current.query);
    for (const fn of this.#listeners) fn(this.current, { optionsOnly: true });
  }

  /** The link to a route and query with this page's options (what a link inside an embedded view points to). */
  hashFor(route, query) {
    return hashFor(route, query, this.options);
  }

  /** Calls fn({ route, query, known }) now and on every navigation (links, back/forward, a pasted URL). */
  listen(fn) {
    this.#listeners.push(fn);
    fn(this.current);
  }

  /** Rewrites the current route's query in the address bar, without a history entry or a hashchange. */
  replace(route, query) {
    const hash = hashFor(route, query, this.options);
    if (hash === window.location.hash) return;
    const url = new URL(window.location.href);
    url.hash = hash;
    window.history.replaceState(window.history.state, '', url);
    this.current = parseHash(hash);
    this.#last.set(this.current.route, this.current.query.toString());
  }

  /** Navigates (adds a history entry; listeners run through hashchange). */
  go(route, query) {
    window.location.hash = hashFor(route, query, this.options);
  }

  #changed() {
    this.current = parseHash(window.location.hash);
    if (this.current.hide !== null) this.options.hide = this.current.hide;
    if ((this.options.embed && !this.current.embed) || (this.options.hide && this.current.hide === null)) {
      // A plain link followed inside the page (a nav link, a lesson's experiment): keep the page's options.
      const url = new URL(window.location.href);
      const route = this.current.path ? `${this.current.route}/${this.current.path}` : this.current.route;
      url.hash = hashFor(route, this.current.query, this.options);
      window.history.replaceState(window.history.state, '', url);
      this.current = parseHash(url.hash);
    }
    // A bare '#/route' (the nav links) returns to that view's last state rather than its defaults.
    const last = this.#last.get(this.current.route);
    if (this.current.query.toString() === '' && last) {
      const url = new URL(window.location.href);
      url.hash = hashFor(this.current.route, new URLSearchParams(last), this.options);
      window.history.replaceState(window.history.state, '', url);
      this.current = parseHash(url.hash);
    }
    for (const fn of this.#listeners) fn(this.current);
  }
}
