// What the playground and the race share as views that train: the messages and the banner above them,
// opening a link without losing the work on screen, the share bar, the play/pause state, and one frame loop
// that keeps the engine's worker busy while the page draws.
//
// The loop: while playing, one round of requests to the engine is always under way (advance()); when it
// comes back, the next starts at once and the page draws the result at the next animation frame (render()
// with the dirty set). The worker trains while the page draws, so neither waits for the other. A subclass
// supplies:
//   parseLink(query) -> { value, errors }     read a link (errors: [{ message }])
//   open(value)                               show what a link describes (a new network or race)
//   hasWork()                                 whether something on screen would be lost by open()
//   writeUrl()                                the address bar follows the view's state
//   advance(budgetMs) -> Promise              one round of training and what it brings back
//   render(dirty)                             draw what is marked dirty
//   restart() -> Promise                      the work on screen again on a new worker, after one died
//
// What each frame draws is PartScheduler's choice (part-scheduler.js): a subclass gives it the parts' rates.
// Rounds start at most every roundEveryMs while playing: the rate at which the view draws their results.
import { h } from './dom.js';
import { themeColors } from './colors.js';
import { coreCatalog } from '../catalog.js';
import { onThemeChange } from '../palette.js';
import { copyText, download, filePicker, stamp } from '../share.js';
import { EmbedDialog } from './embed-dialog.js';
import { PartScheduler } from './part-scheduler.js';
import { EngineDeadError } from '../engine/client.js';
import { errorMessage } from '../engine/local.js';
import { ExperimentError, buildExperiment, parseExperiment, runsFromExperiment } from '../experiment.js';

const MAX_MESSAGES = 4;
const FRAME_MS = 1000 / 60;
// A round's training budget: about one display frame less what its grids cost, between these bounds.
const MIN_BUDGET_MS = 2;
const MAX_BUDGET_MS = 40;

export class ToolView {
  constructor({ section, engine, pool, router, route, workName }) {
    this.section = section;
    this.engine = engine; // the page's own core, for catalogs and curves; training is the pool's
    this.catalog = coreCatalog(engine);
    this.colors = themeColors();
    this.workName = workName;
    this.pool = pool;
    this.router = router;
    this.route = route;
    this.playing = false;
    this.dirty = new Set();
    this.parts = new PartScheduler(); // a subclass gives it its parts' rates
    // The least ms between rounds while playing: by default one a display frame, as no view draws faster.
    this.roundEveryMs = FRAME_MS;
    this.roundStartedAt = -Infinity;
    this.timeTravel = true; // whether its runs keep snapshots to show earlier steps (the race's do not)
    this.roundTimer = 0;
    this.raf = 0;
    this.inFlight = null;
    this.frameTimes = []; // when each fresh result was drawn: the frame rate a viewer sees
    this.rafTimes = [];
    this.frameWork = []; // milliseconds of script per animation frame (the page's drawing)
    this.overheads = []; // the last rounds' time beyond their training budget (grids, copies, messages)
    this.messages = h('div', { class: 'pg-messages', role: 'status', 'aria-live': 'polite' });
    this.banner = h('div', { class: 'pg-banner error-message', role: 'alert', hidden: true });
    this.stopDeathWatch = pool.onDeath((index, reason) => this.#engineDied(index, reason));
    onThemeChange(() => {
      this.colors = themeColors();
      this.themeChanged();
      this.markAll();
    });
  }

  /** The colours changed (light or dark): rebuild what caches them. */
  themeChanged() {}

  // ---- Messages ----

  /** Adds a message above the views (newest first, at most four), each with its own dismiss button. */
  message(text, kind = 'info', lines = [], action = null) {
    const item = h(
      'div',
      { class: kind === 'error' ? 'error-message' : 'note' },
      h('button', { type: 'button', class: 'pg-messages__close', 'aria-label': 'Dismiss this message', onclick: () => item.remove() }, '×'),
      h('p', {}, text),
      lines.length
        ? h(
            'ul',
            {},
            lines.map((l) => h('li', {}, l)),
          )
        : null,
      action,
    );
    this.messages.prepend(item);
    while (this.messages.children.length > MAX_MESSAGES) this.messages.lastElementChild.remove();
  }

  clearMessages() {
    this.messages.replaceChildren();
  }

  /** The banner: what stopped and what to do about it (paragraphs, then action buttons). */
  showBanner(...children) {
    this.banner.replaceChildren(...children);
    this.banner.hidden = false;
  }

  hideBanner() {
    this.banner.hidden = true;
    delete this.banner.dataset.kind;
    this.banner.replaceChildren();
  }

  /** The message for anything a request threw; a dead engine is the banner's business, not a message. */
  failed(what, error) {
    if (error instanceof EngineDeadError) return;
    this.message(`${what}: ${errorMessage(error)}`, 'error');
  }

  // ---- Links ----

  /**
   * A link opened (a first load, a pasted URL, back/forward). A faulty link over work on screen must not cost
   * that work: the work, its settings and its URL stay, and the rest of the link is one click away.
   */
  async show(query) {
    const text = query.toString();
    if (this.hasWork() && text === this.lastQuery) {
      this.markAll();
      return;
    }
    const { value, errors } = this.parseLink(query);
    this.clearMessages();
    const lines = errors.map((e) => e.message);
    if (errors.length && this.hasWork()) {
      const open = h(
        'button',
        {
          type: 'button',
          onclick: () => {
            this.clearMessages();
            this.open(value);
          },
        },
        'Open it anyway, with those settings at their defaults',
      );
      this.message(
        `This link was not opened: some of its settings are not valid. The ${this.workName} on screen is unchanged.`,
        'error',
        lines,
        open,
      );
      this.writeUrl();
      return;
    }
    if (errors.length)
      this.message('Some settings in this link were not valid; they were left at their defaults and the rest was kept:', 'error', lines);
    await this.open(value);
  }

  hide() {
    this.pause();
  }

  // ---- Share bar ----

  /**
   * Copy link, Export JSON, Import JSON and Metrics CSV, with what each exports in its accessible name; with
   * onExportCode(target), also an "Export code" menu offering 'pytorch' and 'numpy' (the playground's).
   */
  shareBar({ className, exportLabel, importLabel, csvLabel, onExport, onImport, onCsv, onExportCode, copied }) {
    const picker = filePicker('application/json,.json', onImport, (m) => this.message(m, 'error'));
    const copy = async () => {
      const how = await copyText(window.location.href, this.messages);
      if (how === 'copied') this.message(copied, 'info');
    };
    return h(
      'div',
      { class: `cluster ${className}`, role: 'group', 'aria-label': 'Share and export', 'data-control': 'share' },
      h('button', { type: 'button', onclick: copy }, 'Copy link'),
      h('button', { type: 'button', onclick: onExport, 'aria-label': `Export JSON: ${exportLabel}` }, 'Export JSON'),
      h('button', { type: 'button', onclick: () => picker.open(), 'aria-label': `Import JSON: ${importLabel}` }, 'Import JSON'),
      h('button', { type: 'button', onclick: onCsv, 'aria-label': `Metrics CSV: ${csvLabel}` }, 'Metrics CSV'),
      onExportCode ? exportCodeMenu(onExportCode) : null,
      h('button', { type: 'button', onclick: () => this.#openEmbed() }, 'Embed…'),
      picker.input,
    );
  }

  /** The embed-or-customise dialog, made when first asked for. */
  #openEmbed() {
    this.embedDialog ??= new EmbedDialog(this.router, this.messages);
    this.embedDialog.open();
  }

  // ---- Experiment files ----

  /** Saves the runs (settings, trained state, history) as an experiment file; done: the message after. */
  async exportExperiment(runs, done) {
    try {
      const models = await Promise.all(runs.map((r) => r.exportModel()));
      const text = buildExperiment(
        this.route,
        this.lastQuery,
        models,
        runs.map((r) => r.history),
      );
      download(new Blob([text], { type: 'application/json' }), `${this.route}-${stamp()}.json`);
      this.message(done, 'info');
    } catch (error) {
      this.failed(`The ${this.workName} could not be exported`, error);
    }
  }

  /**
   * Reads an experiment file into new runs; anything wrong leaves the work on screen, its settings and URL
   * as they were, and says why. read(parsed) -> { value, configs, workers } gives what the file's link
   * describes, the core config of each run and the worker each goes to (it throws ExperimentError).
   * Resolves { value, runs }, or null when the file was refused.
   */
  async importExperiment(text, name, read) {
    try {
      const parsed = parseExperiment(text, this.route);
      const { value, configs, workers } = read(parsed);
      const runs = await runsFromExperiment(this.pool, workers, parsed, configs, errorMessage, { timeTravel: this.timeTravel });
      this.pause();
      return { value, runs };
    } catch (error) {
      const why = error instanceof ExperimentError ? error.message : errorMessage(error);
      this.message(`${name} was not imported: ${why}. The ${this.workName} on screen is unchanged.`, 'error');
      return null;
    }
  }

  // ---- Playing ----

  togglePlay() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    this.playing = true;
    this.updatePlayButton();
    this.pump(true);
    this.schedule();
  }

  pause() {
    this.playing = false;
    this.updatePlayButton();
    this.markAll();
  }

  updatePlayButton() {}

  // ---- The frame loop ----

  markAll(parts = this.allParts) {
    for (const d of parts) this.dirty.add(d);
    this.schedule();
  }

  schedule() {
    if (!this.raf) this.raf = requestAnimationFrame((t) => this.#frame(t));
  }

  /**
   * The training budget of the next round: a display frame (or the interval at which the view draws a
   * round's result, if longer: more rounds would only be more messages), less what the last round spent on
   * the rest.
   */
  get budgetMs() {
    const t = this.rafTimes;
    const measured = t.length > 8 ? Math.min(50, (t.at(-1) - t.at(-9)) / 8) : FRAME_MS;
    const frame = Math.max(measured, this.roundEveryMs);
    return Math.max(MIN_BUDGET_MS, Math.min(MAX_BUDGET_MS, frame - this.overheadMs - 1));
  }

  /** The median of the last rounds' overheads: one round slowed by another program does not halve the next. */
  get overheadMs() {
    const o = [...this.overheads].sort((a, b) => a - b);
    return o.length ? o[Math.floor(o.length / 2)] : 0;
  }

  /**
   * Starts a round with the engine unless one is under way: while playing, or once when something on screen
   * wants a result the last round did not bring (a paused view's sharper map, a changed setting).
   */
  pump(force = false) {
    if (this.inFlight || this.engineDown) return;
    if (force) this.halted = false;
    // After a failed round, nothing starts by itself again: the next user action (play, a change) does.
    if (this.halted || (!this.playing && !force && !this.wantsRefresh())) return;
    const t0 = performance.now();
    // While playing, rounds start at most every roundEveryMs: a round that trained its paced steps early
    // would otherwise be followed at once by another, a message each, faster than the view draws them.
    const wait = this.playing && !force ? this.roundStartedAt + this.roundEveryMs - t0 : 0;
    if (wait > 1) {
      this.roundTimer ||= setTimeout(() => {
        this.roundTimer = 0;
        this.pump();
      }, wait);
      return;
    }
    this.roundStartedAt = t0;
    const budget = this.playing ? this.budgetMs : 0;
    this.inFlight = this.advance(budget)
      .then(
        () => {
          if (budget > 0) {
            this.overheads.push(Math.max(0, performance.now() - t0 - budget));
            if (this.overheads.length > 9) this.overheads.shift();
          }
          this.fresh = true;
        },
        (error) => {
          this.failed('Training failed', error);
          this.halted = true;
          this.playing = false;
          this.updatePlayButton();
        },
      )
      .finally(() => {
        this.inFlight = null;
        this.schedule();
        this.pump();
      });
  }

  /** Runs a user action that waits on the engine (a step, a change, a new network), counted for settled. */
  async act(fn) {
    this.actions = (this.actions ?? 0) + 1;
    try {
      return await fn();
    } finally {
      this.actions -= 1;
      this.schedule();
    }
  }

  /** Whether a view wants a result the engine has not sent (a subclass knows). */
  wantsRefresh() {
    return false;
  }

  #frame(now) {
    this.raf = 0;
    this.rafTimes.push(now);
    if (this.rafTimes.length > 60) this.rafTimes.shift();
    if (this.fresh) {
      this.fresh = false;
      this.frameTimes.push(now);
      if (this.frameTimes.length > 240) this.frameTimes.shift();
    }
    if (this.playing) this.parts.followFrames(this.rafTimes);
    const t0 = performance.now();
    if (this.dirty.size && this.hasWork()) this.#drawParts(now);
    else this.dirty.clear();
    const spent = performance.now() - t0;
    this.renderMs = 0.8 * (this.renderMs ?? 4) + 0.2 * spent;
    this.frameWork.push(spent);
    if (this.frameWork.length > 240) this.frameWork.shift();
    this.pump();
    if (this.playing || this.inFlight || this.dirty.size) this.schedule();
  }

  /** Draws this frame's share of the dirty parts (PartScheduler), each timed on its own. */
  #drawParts(now) {
    for (const part of this.parts.choose(this.dirty, now, this.playing)) {
      this.dirty.delete(part);
      const t0 = performance.now();
      this.render(new Set([part]));
      this.parts.drawn(part, performance.now() - t0, now);
    }
  }

  /**
   * Whether what is on screen is the whole story: no round under way or wanted, nothing left to draw, not
   * playing. Tests wait for it after an action instead of guessing how long the worker takes.
   */
  get settled() {
    return this.hasWork() && !this.actions && !this.playing && !this.inFlight && !this.wantsRefresh() && this.dirty.size === 0 && !this.raf;
  }

  /** Frames per second over the last second: how often a fresh result reached the screen. */
  fps() {
    const t = this.frameTimes;
    if (t.length < 2) return 0;
    const end = t[t.length - 1];
    const recent = t.filter((x) => x > end - 1000);
    return recent.length > 1 ? ((recent.length - 1) * 1000) / (end - recent[0]) : 0;
  }

  // ---- Test hook ----

  /**
   * Puts window[name]: a read-only view of what the page holds, for the tests. What every training view has
   * (query, playing, settled, renderMs, engineDown, fps, crashEngine) comes from here; `own` adds the view's
   * (its getters stay getters).
   */
  exposeTestHook(name, own) {
    const app = this;
    const common = {
      get query() {
        return app.lastQuery;
      },
      get playing() {
        return app.playing;
      },
      /** Paused, with every round back and drawn: what is on screen is the latest state. */
      get settled() {
        return app.settled;
      },
      /** Nothing owed to the user: no action under way (a change, a step, a new network) and, when paused, no round. */
      get idle() {
        return app.hasWork() && !app.actions && (app.playing || (!app.inFlight && !app.wantsRefresh()));
      },
      /** The median milliseconds of script per frame over the last frames (drawing; training is the worker's). */
      frameWorkMs() {
        const w = [...app.frameWork].sort((a, b) => a - b);
        return w.length ? w[Math.floor(w.length / 2)] : 0;
      },
      /** Each part's recent drawing cost in ms, and how long ago it was drawn: what the frame loop schedules by. */
      partCosts() {
        const p = app.parts;
        const now = performance.now();
        return Object.fromEntries(
          [...p.costMs].map(([part, ms]) => [part, { ms, ago: now - p.drawnAt.get(part), draws: p.draws.get(part) }]),
        );
      },
      /** How much the parts' intervals are stretched because the frames fell behind the display (1: not). */
      get slowdown() {
        return app.parts.slowdown;
      },
      /** Milliseconds per frame spent drawing (a moving average). */
      get renderMs() {
        return app.renderMs;
      },
      /** Whether an engine worker this view uses is down (a crash the page noticed). */
      get engineDown() {
        return Boolean(app.engineDown);
      },
      /** Frames per second over the last second: how often a fresh result reached the screen. */
      fps: () => app.fps(),
      /** Engine worker k stops as if it crashed. */
      crashEngine: (k = 0) => app.pool.crash(k),
    };
    const descriptors = { ...Object.getOwnPropertyDescriptors(common), ...Object.getOwnPropertyDescriptors(own) };
    window[name] = Object.freeze(Object.defineProperties({}, descriptors));
  }

  // ---- A worker that died ----

  #engineDied(index, reason) {
    if (!this.usesWorker(index)) return;
    this.engineDown = true;
    const wasPlaying = this.playing;
    this.playing = false;
    this.updatePlayButton();
    const restart = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        onclick: async () => {
          restart.disabled = true;
          try {
            const step = await this.restart();
            this.engineDown = false;
            this.hideBanner();
            this.message(
              `The training engine was restarted; the ${this.workName} continues from step ${step.toLocaleString('en-US')}.`,
              'info',
            );
            this.markAll();
            this.pump(true);
            if (wasPlaying) this.play();
          } catch (error) {
            restart.disabled = false;
            this.message(`The restart failed: ${errorMessage(error)}`, 'error');
          }
        },
      },
      'Restart from the last snapshot',
    );
    this.showBanner(
      h(
        'p',
        {},
        h('strong', {}, 'Training stopped: '),
        `${reason}. `,
        `What is on screen is kept: the settings, the data and the ${this.workName} as of its last snapshot.`,
      ),
      h('div', { class: 'cluster' }, restart),
    );
  }

  /** Whether this view trains on worker k (a subclass with several workers says otherwise). */
  usesWorker(k) {
    return k === 0;
  }
}

/** "Export code": a disclosure with one download per framework; choosing one closes it. */
function exportCodeMenu(onExportCode) {
  const menu = h('details', { class: 'share-code', 'data-control': 'export-code' });
  const item = (target, text, label) =>
    h(
      'button',
      {
        type: 'button',
        'aria-label': label,
        onclick: () => {
          menu.open = false;
          onExportCode(target);
        },
      },
      text,
    );
  menu.append(
    h('summary', { 'aria-label': 'Export code: the network as a Python script' }, 'Export code'),
    h(
      'div',
      { class: 'share-code__menu', role: 'group', 'aria-label': 'Export code as' },
      item('pytorch', 'PyTorch (.py)', 'PyTorch script (.py): the network, its weights and optimizer, trains on'),
      item('numpy', 'NumPy (.py)', 'NumPy script (.py): the network and its weights, predictions only'),
    ),
  );
  return menu;
}
