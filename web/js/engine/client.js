// The page's side of the training engine: a pool of module workers (engine/worker.js), each answering
// requests in order. request() returns a promise of the reply; a refusal rejects with a PlaygroundError
// carrying the core's own words. A worker that dies (an uncaught error, or no reply long after one was due)
// is reported once through onDeath, and every request waiting on it is rejected with an EngineDeadError.
import { PlaygroundError } from '../../generated/playground.mjs';

/** A worker stopped answering: training on it is lost from its last snapshot on. */
export class EngineDeadError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EngineDeadError';
  }
}

// A reply is due within the request's own budget plus one step and one grid; the watchdog allows far more
// (a slow machine, a huge network's diagnostics) and also scales with the slowest reply seen so far.
const MIN_DEADLINE_MS = 8000;
const SLOWEST_FACTOR = 10;
// Before the worker says its module is loaded (a download and a compile, slow on a busy machine).
const STARTUP_DEADLINE_MS = 60000;

class EngineWorker {
  #worker;
  #pending = new Map(); // id -> { resolve, reject, sent }
  #nextId = 1;
  #slowestMs = 0;
  #timer = 0;
  dead = null; // the reason, once dead
  ready = false; // the worker's module has loaded

  constructor(index, onDeath) {
    this.index = index;
    this.onDeath = onDeath;
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: `training-engine-${index}` });
    this.#worker.addEventListener('message', ({ data }) => this.#reply(data));
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      this.#die(`the training engine failed: ${event.message || 'its worker could not run'}`);
    });
    this.#worker.addEventListener('messageerror', () => this.#die('the training engine sent a reply the page could not read'));
  }

  get busy() {
    return this.#pending.size > 0;
  }

  request(message, transfer = []) {
    if (this.dead) return Promise.reject(new EngineDeadError(this.dead));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, sent: performance.now() });
      this.#worker.postMessage({ ...message, id }, transfer);
      this.#watch();
    });
  }

  #reply({ id, result, error, known, fatal, ready }) {
    if (ready) {
      // Requests sent while the module loaded have waited for that, not for a hung worker.
      this.ready = true;
      const now = performance.now();
      for (const p of this.#pending.values()) p.sent = now;
      this.#watch();
      return;
    }
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    this.#slowestMs = Math.max(this.#slowestMs, performance.now() - p.sent);
    if (fatal) {
      p.reject(new PlaygroundError(error));
      this.#die(error);
    } else if (error !== undefined) {
      p.reject(known ? new PlaygroundError(error) : new Error(error));
    } else {
      p.resolve(result);
    }
    this.#watch();
  }

  /** Checks the oldest request against its deadline, while any is waiting. */
  #watch() {
    clearTimeout(this.#timer);
    if (!this.#pending.size || this.dead) return;
    const oldest = Math.min(...[...this.#pending.values()].map((p) => p.sent));
    const deadline = this.ready
      ? Math.max(MIN_DEADLINE_MS * (globalThis.__engineDeadlineScale ?? 1), SLOWEST_FACTOR * this.#slowestMs)
      : STARTUP_DEADLINE_MS;
    const left = oldest + deadline - performance.now();
    if (left <= 0) {
      this.#die(`the training engine stopped answering (no reply in ${Math.round(deadline / 1000)} s)`);
      return;
    }
    this.#timer = setTimeout(() => this.#watch(), left + 10);
  }

  #die(reason) {
    if (this.dead) return;
    this.dead = reason;
    clearTimeout(this.#timer);
    this.#worker.terminate();
    for (const p of this.#pending.values()) p.reject(new EngineDeadError(reason));
    this.#pending.clear();
    this.onDeath(this, reason);
  }

  /** Stops the worker the way a crash would: the page only learns of it by the missing replies. */
  crash() {
    this.#worker.terminate();
  }

  terminate() {
    this.dead ??= 'terminated';
    clearTimeout(this.#timer);
    this.#worker.terminate();
  }
}

/**
 * The workers the page trains on. Worker k is made on first use; a dead one is replaced by a new one when
 * it is next asked for. The playground trains on worker 0; a race spreads its networks over
 * raceWorkers() of them, one per core the browser reports, less one for the page.
 */
export class EnginePool {
  #workers = [];
  #listeners = new Set();

  worker(k = 0) {
    const w = this.#workers[k];
    if (w && !w.dead) return w;
    const made = new EngineWorker(k, (dead, reason) => {
      for (const fn of this.#listeners) fn(dead.index, reason);
    });
    this.#workers[k] = made;
    return made;
  }

  /** How many workers a race of n networks uses. */
  raceWorkers(n) {
    const cores = navigator.hardwareConcurrency || 2;
    return Math.max(1, Math.min(n, cores - 1));
  }

  /** fn(index, reason) when a worker dies. Returns a function that removes it. */
  onDeath(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** For the tests: worker k stops as if it crashed. */
  crash(k = 0) {
    this.#workers[k]?.crash();
  }

  get size() {
    return this.#workers.filter((w) => w && !w.dead).length;
  }
}
