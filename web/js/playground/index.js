// The training playground: wires the state (../state.js), the run (./run.js) and the views. One render
// loop: each animation frame trains for a time budget, then redraws only what changed (dirty flags), with
// the heatmap's resolution adapted so that a frame stays within budget.
import '../../css/playground.css';
import {
  SPEEDS, changeKind, dataShape, fromQuery, toConfig, toQuery, withActivation, withCustomPoints, withLayerCount,
  withValue,
} from '../state.js';
import { errorMessage } from '../engine/local.js';
import { onThemeChange } from '../palette.js';
import { h, select } from '../shell/dom.js';
import { themeColors } from '../shell/colors.js';
import { count, fmt, percent } from '../shell/format.js';
import { Run } from '../engine/run.js';
import { OutputView } from './output-view.js';
import { NetworkView } from './network-view.js';
import { LineChart } from '../shell/charts.js';
import { DiagnosticsView } from './diagnostics-view.js';
import { Controls } from './controls.js';
import { CsvDialog } from './csv-dialog.js';
import { datasetPoints } from './thumbnails.js';
import { ExperimentError, buildExperiment, parseExperiment, runsFromExperiment } from '../experiment.js';
import { canvasBlob, copyText, csvText, download, filePicker, stamp } from '../share.js';

const FRAME_TARGET_MS = 14;     // training + drawing per frame, under 60 fps's 16.7 ms when the machine allows
const HEAT_BUDGET_MS = 4;       // the output map's share while training
const REST_BUDGET_MS = 60;      // a map's budget when paused: as sharp as the network allows, in one frame
const DIAGNOSE_EVERY = 6;       // frames between diagnostics passes while training (at least)
const DIAGNOSE_SHARE = 0.15;    // and at most this share of the time: big networks are diagnosed less often
const SPEED_LABELS = ['1 step per frame', '3 steps per frame', '10 steps per frame', '30 steps per frame', '100 steps per frame', 'As fast as possible'];

/** The core's activation facts the state and views need, asked once. */
function makeCatalog(engine) {
  const activations = engine.activations();
  const infos = new Map(activations.map((a) => [a, engine.activationInfo(a)]));
  const levels = new Map();
  return {
    activations,
    info: (name) => infos.get(name),
    curve: (name, options) => engine.curve(name, options),
    /** The activation's value at each of its kinks, for finding them along a unit's output. */
    kinkLevels(name, layer) {
      const key = `${name}|${layer.alpha}|${layer.beta}`;
      if (!levels.has(key)) {
        const params = { alpha: layer.alpha, beta: layer.beta };
        levels.set(key, engine.kinks(name, params).map((k) => engine.curve(name, { from: k, to: k + 1, n: 2, ...params }).y[0]));
      }
      return levels.get(key);
    },
  };
}

export function mount(section, { engine, router }) {
  const app = new PlaygroundApp(section, engine, router);
  return { show: (query) => app.show(query), hide: () => app.hide() };
}

class PlaygroundApp {
  constructor(section, engine, router) {
    this.section = section;
    this.engine = engine;
    this.router = router;
    this.catalog = makeCatalog(engine);
    this.colors = themeColors();
    this.playing = false;
    this.run = null;
    this.state = null;
    this.dirty = new Set();
    this.raf = 0;
    this.heatRes = 64;
    this.heatPixelMs = 1e-4;   // measured cost of one output-map pixel
    this.unitPixelMs = 1e-5;   // and of one pixel of one unit's map
    this.renderMs = 4;
    this.framesSinceDiag = 0;
    this.framesSinceChart = 0;
    this.frameTimes = [];
    this.addMode = null;
    this.#build();
    onThemeChange(() => {
      this.colors = themeColors();
      this.controls.setColors(this.colors);
      for (const c of [this.lossChart, this.accChart]) c.rebuild(this.colors);
      this.diagnosticsView.rebuild(this.colors);
      this.#markAll();
    });
    this.#exposeTestHook();
  }

  // ---- Layout ----

  #build() {
    const c = this.catalog;
    this.playButton = h('button', { type: 'button', class: 'primary pg-play', onclick: () => this.togglePlay() });
    this.stepButton = h('button', { type: 'button', onclick: () => this.stepOnce(), 'aria-label': 'Train one step' }, 'Step ›');
    this.resetButton = h('button', { type: 'button', onclick: () => this.reset(), 'aria-label': 'Reset the network to its initial weights' }, '⟲ Reset');
    this.speed = select('Speed', SPEED_LABELS.map((t, i) => [String(i + 1), t]), (v) => this.set('speed', Number(v)));
    this.counter = h('p', { class: 'pg-counter', 'aria-live': 'off' });
    this.lossReadout = h('p', { class: 'pg-readout small' });
    this.copyButton = h('button', { type: 'button', onclick: () => this.#copyLink() }, 'Copy link');
    this.importPicker = filePicker('application/json,.json', (text, name) => this.#import(text, name), (m) => this.#message(m, 'error'));
    const share = h('div', { class: 'cluster pg-share', role: 'group', 'aria-label': 'Share and export' },
      this.copyButton,
      h('button', { type: 'button', onclick: () => this.#export(), 'aria-label': 'Export JSON: the settings and trained weights' }, 'Export JSON'),
      h('button', { type: 'button', onclick: () => this.importPicker.open(), 'aria-label': 'Import JSON: an experiment saved by Export JSON' }, 'Import JSON'),
      h('button', { type: 'button', onclick: () => this.#exportCsv(), 'aria-label': 'Metrics CSV: the loss and accuracy history' }, 'Metrics CSV'),
      this.importPicker.input);
    const toolbar = h('div', { class: 'pg-toolbar panel' },
      h('div', { class: 'cluster' }, this.resetButton, this.playButton, this.stepButton),
      h('div', { class: 'pg-toolbar__speed' }, this.speed.field),
      h('div', { class: 'pg-toolbar__status' }, this.counter, this.lossReadout));
    this.messages = h('div', { class: 'pg-messages', role: 'status', 'aria-live': 'polite' });
    this.banner = h('div', { class: 'pg-banner error-message', role: 'alert', hidden: true });

    this.output = new OutputView({ onAddPoint: (a, b) => this.#addPoint(a, b) });
    this.output.onCursor = () => { this.dirty.add('points'); this.#schedule(); };
    this.output.overlay.addEventListener('focus', () => { this.dirty.add('points'); this.#schedule(); });
    this.output.overlay.addEventListener('blur', () => { this.dirty.add('points'); this.#schedule(); });
    this.showTest = h('input', { type: 'checkbox', onchange: () => this.set('showTest', this.showTest.checked) });
    this.discretize = h('input', { type: 'checkbox', onchange: () => this.set('discretize', this.discretize.checked) });
    const outputPanel = h('section', { class: 'panel pg-output', 'aria-labelledby': 'pg-output-title' },
      h('div', { class: 'pg-charts__head' }, h('h2', { id: 'pg-output-title' }, 'Output'),
        h('button', { type: 'button', class: 'small', onclick: () => this.#saveOutput(), 'aria-label': 'PNG of the output map' }, 'PNG')),
      this.output.el,
      h('div', { class: 'cluster' },
        h('label', { class: 'check' }, this.showTest, 'Show test data'),
        h('label', { class: 'check' }, this.discretize, 'Discretise output')));

    this.logScale = h('input', { type: 'checkbox', onchange: () => this.set('logScale', this.logScale.checked) });
    this.lossChart = new LineChart({ title: 'Loss', series: [{ label: 'train' }, { label: 'test', dash: [5, 3] }], saveAs: 'loss' });
    this.accChart = new LineChart({ title: 'Accuracy', series: [{ label: 'train' }, { label: 'test', dash: [5, 3] }], percent: true, height: 140, saveAs: 'accuracy' });
    const chartsPanel = h('section', { class: 'panel pg-charts', 'aria-labelledby': 'pg-charts-title' },
      h('div', { class: 'pg-charts__head' }, this.chartsTitle = h('h2', { id: 'pg-charts-title' }, 'Loss and accuracy'),
        h('label', { class: 'check small' }, this.logScale, 'Log scale')),
      this.chartsEmpty = h('p', { class: 'small muted' }, 'The curves start when training does: press ▶ Train or Step.'),
      this.lossChart.el, this.accChart.el);

    this.network = new NetworkView({
      layers: (n) => this.commit(withLayerCount(this.state, c, n)),
      units: (l, n) => {
        const layers = [...this.state.layers];
        layers[l] = Math.max(1, Math.min(256, n));
        this.commit(withValue(this.state, c, 'layers', layers));
      },
      activation: (l, name) => this.commit(withActivation(this.state, c, l, name)),
      param: (l, which, text, input) => {
        const v = Number(text);
        const [lo, hi] = which === 'alphas' ? [-10, 10] : [0.01, 100];
        if (text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi) {
          this.#message(`${which === 'alphas' ? 'Alpha' : 'Beta'} of layer ${l + 1} must be a number from ${lo} to ${hi}; got "${text}". Kept ${this.state[which][l]}.`, 'error');
          input.value = String(this.state[which][l]);
          return;
        }
        const list = [...this.state[which]];
        list[l] = v;
        this.commit(withValue(this.state, c, which, list));
      },
    }, c);
    const networkPanel = h('section', { class: 'panel pg-network', 'aria-labelledby': 'pg-network-title' },
      h('h2', { id: 'pg-network-title' }, 'Network'),
      h('p', { class: 'small muted' }, 'Each unit shows its output over the input plane. Lines are weights: blue positive, orange negative, thicker is larger. Hover, focus or tap for values. Dead units are crossed out.'),
      this.network.el);

    this.controls = new Controls({
      set: (name, value) => this.set(name, value),
      regenerate: () => this.set('seed', crypto.getRandomValues(new Uint32Array(1))[0]),
      openCsv: () => this.csv.open(this.state.dataset === 'custom' ? this.state.points : null),
      addMode: (mode) => { this.addMode = mode; this.output.setAddMode(mode); this.dirty.add('output'); this.#schedule(); },
      error: (message) => this.#message(message, 'error'),
    }, datasetPoints(this.engine), this.colors);
    this.csv = new CsvDialog((rows, problem) => this.#loadPoints(rows, problem));

    this.diagnosticsView = new DiagnosticsView(c);
    const diagnosticsPanel = h('section', { class: 'panel pg-diagnostics', 'aria-labelledby': 'pg-diag-title' },
      h('h2', { id: 'pg-diag-title' }, 'Diagnostics'),
      h('p', { class: 'small muted' }, 'Measured over the whole training set every few frames: a gradient norm falling towards zero in the first layers means they have stopped learning (vanishing gradients); a unit that outputs 0 for every point is dead.'),
      this.diagnosticsView.el);

    const intro = h('p', { class: 'pg-intro' },
      'Press ', h('strong', {}, '▶ Train'), ' and watch the network learn the data. Then change the data, the layers or their activation and train again: every view below updates live.');

    this.layout = h('div', { class: 'pg-layout' },
      h('div', { class: 'pg-col pg-col--data' }, this.controls.data, this.controls.features),
      h('div', { class: 'pg-col pg-col--net' }, networkPanel, this.controls.training, this.controls.network),
      h('div', { class: 'pg-col pg-col--out' }, outputPanel, chartsPanel));
    this.section.replaceChildren(h('div', { class: 'pg' }, h('h1', { class: 'visually-hidden' }, 'Training playground'),
      intro, toolbar, share, this.messages, this.banner, this.layout, diagnosticsPanel, this.csv.el));

    this.resizeObserver = new ResizeObserver(() => this.#resize());
    this.resizeObserver.observe(this.layout);
    this.#updatePlayButton();
  }

  #resize() {
    const outWidth = this.output.el.clientWidth;
    this.output.resize(outWidth);
    const chartWidth = this.lossChart.el.clientWidth;
    this.lossChart.resize(chartWidth);
    this.accChart.resize(chartWidth);
    this.diagnosticsView.resize(this.diagnosticsView.chartHost.clientWidth);
    const compact = window.innerWidth < 700;
    if (this.run && compact !== this.network.compact) this.network.build(this.state, this.run, dataShape(this.state), compact);
    this.#markAll();
  }

  // ---- Routing ----

  show(query) {
    const text = query.toString();
    if (this.run && text === this.lastQuery) {
      this.#markAll();
      return;
    }
    const { state, errors } = fromQuery(query, this.catalog);
    this.messages.replaceChildren();
    if (errors.length && this.run) {
      // A faulty link opened over a network on screen (pasted, or back/forward) must not cost that work: the
      // network, its settings and its URL stay, and the rest of the link is one click away.
      const open = h('button', { type: 'button', onclick: () => { this.messages.replaceChildren(); this.#open(state); } },
        'Open it anyway, with those settings at their defaults');
      this.#message('This link was not opened: some of its settings are not valid. The network on screen is unchanged.', 'error', errors.map((e) => e.message), open);
      this.#writeUrl();
      return;
    }
    if (errors.length) {
      this.#message('Some settings in this link were not valid; they were left at their defaults and the rest was kept:', 'error', errors.map((e) => e.message));
    }
    this.#open(state);
  }

  #open(state) {
    this.pause();
    if (!this.#startRun(state) && !this.run) {
      // Valid one by one, refused together by the core, and nothing to fall back on: start from the defaults.
      this.#startRun(fromQuery(new URLSearchParams(), this.catalog).state);
    }
    this.#writeUrl();
  }

  hide() {
    this.pause();
  }

  // ---- State changes ----

  set(name, value) {
    this.commit(withValue(this.state, this.catalog, name, value));
  }

  /** Applies a new state: a new run if the data or the architecture changed, a live update otherwise. */
  commit(next) {
    const kind = changeKind(this.state, next);
    if (kind === null) return true;
    if (kind === 'data' || kind === 'net') {
      if (!this.#startRun(next)) {
        this.controls.sync(this.state);
        return false;
      }
    } else {
      if (kind === 'live') {
        try {
          this.run.update(toConfig(next));
        } catch (error) {
          this.#message(`That change was not applied: ${errorMessage(error)}`, 'error');
          this.controls.sync(this.state);
          return false;
        }
        if (this.run.divergence) {
          // A new rate or clipping is what the banner asked for: training may continue from the kept weights.
          this.run.clearDivergence();
          this.#hideBanner();
        }
        this.dirty.add('diag');
      }
      this.state = next;
      this.#syncView();
    }
    this.#writeUrl();
    this.#markAll();
    return true;
  }

  /**
   * A new session for the state; on the core's refusal, shows why and keeps everything as it was.
   * imported: a run made from an imported model, installed as it is instead.
   */
  #startRun(state, imported = null) {
    let run = imported;
    if (!run) {
      try {
        run = new Run(this.engine, toConfig(state));
      } catch (error) {
        this.#message(`That setting was not applied: ${errorMessage(error)}`, 'error');
        return false;
      }
    }
    this.run?.dispose();
    this.run = run;
    this.state = state;
    const shape = dataShape(state);
    // First guesses at the cost of a map pixel (about 1.5 ns per parameter), refined by measurement from
    // the first frame on, so that even the first map of a huge network takes a moment, not seconds.
    const params = run.layers.reduce((n, l) => n + (l.inputs + 1) * l.units, 0);
    const units = Math.max(1, run.layers.slice(0, -1).reduce((n, l) => n + l.units, 0));
    this.heatPixelMs = 2e-5 + params * 1.5e-6;
    this.unitPixelMs = this.heatPixelMs / units;
    this.output.setRun(run, shape, state.head);
    this.network.build(state, run, shape, window.innerWidth < 700);
    this.diagnosticsView.setRun(run, state, this.colors);
    this.accChart.el.hidden = shape.problem !== 'classification';
    this.chartsTitle.textContent = shape.problem === 'classification' ? 'Loss and accuracy' : 'Loss';
    this.lossChart.rebuild(this.colors);
    this.accChart.rebuild(this.colors);
    this.#hideBanner();
    this.#syncView();
    run.diagnose(30);
    this.dirty.add('diag');
    this.#markAll();
    return true;
  }

  #syncView() {
    const s = this.state;
    this.controls.sync(s);
    this.speed.el.value = String(s.speed);
    this.showTest.checked = s.showTest;
    this.discretize.checked = s.discretize;
    this.logScale.checked = s.logScale;
    this.lossChart.setLog(s.logScale);
  }

  #writeUrl() {
    const query = toQuery(this.state, this.catalog);
    this.lastQuery = query.toString();
    this.router.replace('playground', query);
  }

  #loadPoints(rows, problem) {
    const next = withCustomPoints(this.state, rows, problem);
    // Ask the core first, so a refusal reaches the dialog (which names the line) and nothing changes.
    new Run(this.engine, toConfig(next)).dispose();
    this.controls.stopAdding();
    this.commit(next);
  }

  #addPoint(a, b) {
    const shape = dataShape(this.state);
    const round = (v) => Math.round(v * 100) / 100;
    let rows;
    if (this.state.dataset === 'custom') {
      rows = this.state.points;
    } else {
      // The current data becomes the user's own, so the new point joins the points already shown.
      rows = [];
      for (const pts of [this.run.trainPoints, this.run.testPoints]) {
        for (let i = 0; i < pts.length; i += 3) {
          rows.push(shape.dims === 1 ? [round(pts[i]), round(pts[i + 2])] : [round(pts[i]), round(pts[i + 1]), round(pts[i + 2])]);
        }
      }
    }
    const point = shape.dims === 1 ? [round(a), round(b)] : [round(a), round(b), this.addMode.label];
    if (this.commit(withCustomPoints(this.state, [...rows, point], shape.problem))) {
      this.#message(`Added a point at (${fmt(a)}, ${fmt(b)}): ${rows.length + 1} points now.`, 'info');
    }
  }

  // ---- Training ----

  togglePlay() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    if (this.run.divergence) {
      this.run.clearDivergence();
      this.#hideBanner();
    }
    this.playing = true;
    this.#updatePlayButton();
    this.#schedule();
  }

  pause() {
    this.playing = false;
    this.#updatePlayButton();
    this.dirty.add('diag');
    this.#markAll();
  }

  stepOnce() {
    if (this.run.divergence) this.run.clearDivergence();
    const r = this.run.trainSteps(1);
    if (r.diverged) this.#diverged(r.reason);
    this.dirty.add('diag');
    this.#markAll();
  }

  reset() {
    this.#startRun(this.state);
  }

  #diverged(reason) {
    this.playing = false;
    this.#updatePlayButton();
    const lr = this.state.learningRate;
    const lower = Number((lr / 10).toPrecision(3));
    const actions = h('div', { class: 'cluster' },
      h('button', { type: 'button', onclick: () => this.set('learningRate', lower) }, `Lower the learning rate to ${lower}`),
      this.state.clipNorm === 0 ? h('button', { type: 'button', onclick: () => this.set('clipNorm', 1) }, 'Clip gradients at norm 1') : null,
      h('button', { type: 'button', onclick: () => this.reset() }, 'Reset the network'));
    this.banner.replaceChildren(
      h('p', {}, h('strong', {}, 'Training stopped: '), `${reason}. `,
        'The step was too large: the weights overshot and grew without bound. The network is kept as it was before that step, so everything stays usable.'),
      h('p', {}, 'Try a lower learning rate, gradient clipping, or a smaller initialisation, then press Train again.'),
      actions);
    this.banner.hidden = false;
    this.dirty.add('diag');
  }

  #hideBanner() {
    this.banner.hidden = true;
    this.banner.replaceChildren();
  }

  #updatePlayButton() {
    this.playButton.textContent = this.playing ? '❚❚ Pause' : '▶ Train';
    this.playButton.setAttribute('aria-label', this.playing ? 'Pause training' : 'Start training');
    this.playButton.setAttribute('aria-pressed', String(this.playing));
  }

  // ---- The render loop ----

  #markAll() {
    for (const d of ['output', 'points', 'units', 'weights', 'charts', 'counter']) this.dirty.add(d);
    this.#schedule();
  }

  #schedule() {
    if (!this.raf && this.run) this.raf = requestAnimationFrame((t) => this.#frame(t));
  }

  #frame(now) {
    this.raf = 0;
    this.frameTimes.push(now);
    if (this.frameTimes.length > 240) this.frameTimes.shift();
    if (this.playing) {
      const budget = Math.max(2, Math.min(12, FRAME_TARGET_MS - this.renderMs));
      const r = this.run.trainFrame(budget, SPEEDS[this.state.speed - 1]);
      if (r.steps > 0) {
        for (const d of ['output', 'units', 'weights', 'counter']) this.dirty.add(d);
        // The charts at 20 Hz are smooth enough, and leave the frame to the maps.
        if (++this.framesSinceChart >= 3) this.dirty.add('charts');
      }
      const diagEvery = Math.max(DIAGNOSE_EVERY, Math.ceil((this.run.diagnoseMs ?? 0) / (DIAGNOSE_SHARE * FRAME_TARGET_MS)));
      if (++this.framesSinceDiag >= diagEvery) this.dirty.add('diag');
      if (r.diverged) this.#diverged(r.reason);
    }
    const t0 = performance.now();
    this.#render();
    this.renderMs = 0.8 * this.renderMs + 0.2 * (performance.now() - t0);
    if (this.playing || this.dirty.size) this.#schedule();
  }

  #render() {
    const run = this.run;
    const shape = dataShape(this.state);
    const d = this.dirty;
    if (d.has('diag')) {
      try {
        run.diagnose(30);
      } catch (error) {
        this.#message(`Diagnostics failed: ${errorMessage(error)}`, 'error');
      }
      this.framesSinceDiag = 0;
      this.network.setDiagnostics(run.diagnostics);
      this.diagnosticsView.update(run, this.colors);
    }
    if (d.has('output')) {
      // The grid side that costs about the budget at the last measured cost per pixel: bigger networks get
      // coarser maps, sharper ones when paused.
      const side = (budget, lo) => Math.max(lo, Math.min(100, Math.floor(Math.sqrt(budget / this.heatPixelMs) / 4) * 4));
      const res = shape.dims === 1 ? 0 : this.playing ? side(HEAT_BUDGET_MS, 8) : side(REST_BUDGET_MS, 16);
      const coreMs = this.output.draw(this.state, this.colors, res, this.catalog);
      if (res > 0 && coreMs > 0) this.heatPixelMs = 0.5 * this.heatPixelMs + (0.5 * coreMs) / (res * res);
      this.heatRes = res;
    }
    if (d.has('points')) this.output.drawPoints(this.state, this.colors);
    if (d.has('units') || d.has('weights')) {
      const oneD = shape.dims === 1;
      // Like the output map: all the unit maps together cost about 2 ms while training, 8 to 24 pixels a side.
      const units = Math.max(1, run.layers.slice(0, -1).reduce((n, l) => n + l.units, 0));
      const budget = this.playing ? 2 : REST_BUDGET_MS / 2;
      const res = oneD ? 48 : Math.max(4, Math.min(24, Math.floor(Math.sqrt(budget / (this.unitPixelMs * units)))));
      const weights = run.weights();
      const t1 = performance.now();
      const grids = run.layers.length > 1
        ? run.unitHeatmapsView({ width: res, height: oneD ? 1 : res, xMin: -6, xMax: 6, yMin: -6, yMax: 6 })
        : null;
      this.network.draw(weights, grids, res, oneD, this.colors);
      if (!oneD && grids) this.unitPixelMs = 0.5 * this.unitPixelMs + (0.5 * (performance.now() - t1)) / (res * res * units);
    }
    if (d.has('charts')) {
      const hist = run.history;
      this.chartsEmpty.hidden = hist.step.length > 1;
      this.lossChart.setData([hist.step, hist.trainLoss, hist.testLoss]);
      if (shape.problem === 'classification') this.accChart.setData([hist.step, hist.trainAccuracy, hist.testAccuracy]);
      this.framesSinceChart = 0;
    }
    if (d.has('counter')) {
      this.counter.textContent = `Step ${count(run.step)} · Epoch ${count(run.epoch)}`;
      const m = run.latest;
      const acc = shape.problem === 'classification' ? ` · Test accuracy ${percent(m.testAccuracy)}` : '';
      this.lossReadout.textContent = `Test loss ${fmt(m.testLoss)} · Train loss ${fmt(m.trainLoss)}${acc}`;
    }
    d.clear();
  }

  // ---- Messages ----

  /** Adds a message above the views (newest first, at most four), each with its own dismiss button. */
  #message(text, kind = 'info', lines = [], action = null) {
    const item = h('div', { class: kind === 'error' ? 'error-message' : 'note' },
      h('button', { type: 'button', class: 'pg-messages__close', 'aria-label': 'Dismiss this message', onclick: () => item.remove() }, '×'),
      h('p', {}, text),
      lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : null,
      action);
    this.messages.prepend(item);
    while (this.messages.children.length > 4) this.messages.lastElementChild.remove();
  }

  async #copyLink() {
    const how = await copyText(window.location.href, this.messages);
    if (how === 'copied') this.#message('Link copied: it opens this exact setup, seed included (the trained weights travel in Export JSON).', 'info');
  }

  #export() {
    const text = buildExperiment('playground', this.lastQuery, [this.run.exportModel()], [this.run.history]);
    download(new Blob([text], { type: 'application/json' }), `playground-${stamp()}.json`);
    this.#message(`Exported the network at step ${count(this.run.step)}: its settings and trained weights.`, 'info');
  }

  /** Reads an experiment file; anything wrong leaves the current network, settings and URL as they were. */
  #import(text, name) {
    let state;
    let run;
    try {
      const parsed = parseExperiment(text, 'playground');
      const read = fromQuery(parsed.link, this.catalog);
      if (read.errors.length) throw new ExperimentError(`link: ${read.errors.map((e) => e.message).join('; ')}`);
      state = read.state;
      [run] = runsFromExperiment(this.engine, parsed, [toConfig(state)], Run, errorMessage);
    } catch (error) {
      const why = error instanceof ExperimentError ? error.message : errorMessage(error);
      this.#message(`${name} was not imported: ${why}. The network on screen is unchanged.`, 'error');
      return;
    }
    this.pause();
    this.#startRun(state, run);
    this.#writeUrl();
    this.#message(`Imported ${name}: the network at step ${count(run.step)}, ready to continue training.`, 'info');
  }

  #exportCsv() {
    const hist = this.run.history;
    const csv = csvText(['step', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'],
      [hist.step, hist.trainLoss, hist.testLoss, hist.trainAccuracy, hist.testAccuracy]);
    download(new Blob([csv], { type: 'text/csv' }), `playground-metrics-${stamp()}.csv`);
  }

  /** The output map as drawn: the map under the points, the axes and the background. */
  async #saveOutput() {
    const { heat, overlay, plot } = this.output;
    const out = document.createElement('canvas');
    out.width = overlay.width;
    out.height = overlay.height;
    const ratio = overlay.width / Math.max(1, overlay.clientWidth);
    const ctx = out.getContext('2d');
    ctx.fillStyle = this.colors.surface;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.imageSmoothingEnabled = !heat.classList.contains('is-discrete');
    ctx.drawImage(heat, plot.x * ratio, plot.y * ratio, plot.w * ratio, plot.h * ratio);
    ctx.drawImage(overlay, 0, 0);
    try {
      download(await canvasBlob(out), `output-map-${stamp()}.png`);
    } catch (error) {
      this.#message(`The map could not be saved: ${error.message}`, 'error');
    }
  }

  // ---- Test hook: read-only views of what the page holds ----

  #exposeTestHook() {
    const app = this;
    window.__playground = Object.freeze({
      get state() { return structuredClone(app.state); },
      get query() { return app.lastQuery; },
      get playing() { return app.playing; },
      get step() { return app.run?.step ?? 0; },
      get divergence() { return app.run?.divergence ?? ''; },
      get heatRes() { return app.heatRes; },
      /** Milliseconds per frame spent drawing (a moving average) and the last frame's training budget. */
      get renderMs() { return app.renderMs; },
      /** The loss history's first n samples (every step for the first 100 steps). */
      losses(n = Infinity) {
        const h2 = app.run.history;
        const k = Math.min(n, h2.step.length);
        return { step: h2.step.slice(0, k), trainLoss: h2.trainLoss.slice(0, k), testLoss: h2.testLoss.slice(0, k) };
      },
      diagnostics() { return structuredClone(app.run.diagnostics); },
      /** Copies of the network's parameters and its prediction over a grid (for export/import checks). */
      weights() { return Array.from(app.run.weights()); },
      heatmap(grid) { return Array.from(app.run.session.heatmap(grid)); },
      /** Frames per second over the last second of animation frames. */
      fps() {
        const t = app.frameTimes;
        if (t.length < 2) return 0;
        const end = t[t.length - 1];
        const recent = t.filter((x) => x > end - 1000);
        return recent.length > 1 ? ((recent.length - 1) * 1000) / (end - recent[0]) : 0;
      },
    });
  }
}
