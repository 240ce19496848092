// The training playground: wires the state (../state.js), the run (./run.js) and the views. One render
// loop: each animation frame trains for a time budget, then redraws only what changed (dirty flags), with
// the heatmap's resolution adapted so that a frame stays within budget.
import '../../css/playground.css';
import {
  SPEEDS,
  changeKind,
  dataShape,
  fromQuery,
  hiddenPick,
  liveChanges,
  toConfig,
  withLiveConfig,
  toQuery,
  withActivation,
  withFormula,
  withCustomPoints,
  withLayerCount,
  withValue,
} from '../state.js';
import { RemoteRun } from '../engine/remote-run.js';
import { plotBounds } from '../catalog.js';
import { h, select, setOptions, setPhrases } from '../shell/dom.js';
import { count, featureLabel, fmt, percent } from '../shell/format.js';
import { LineChart } from '../shell/charts.js';
import { ToolView } from '../shell/tool-view.js';
import { PartScheduler } from '../shell/part-scheduler.js';
import { stepsOwed } from '../shell/pace.js';
import { OutputView } from './output-view.js';
import { regionLayerLimit, regionLayerOptions } from './regions.js';
import { NetworkView, featureGrid } from './network-view.js';
import { TracePanel } from './trace-view.js';
import { prefersReducedMotion } from '../palette.js';
import { DiagnosticsView } from './diagnostics-view.js';
import { TimeView } from './time-view.js';
import { Controls } from './controls.js';
import { CsvDialog } from './csv-dialog.js';
import { datasetPoints } from './thumbnails.js';
import { ExperimentError } from '../experiment.js';
import { canvasBlob, csvText, download, stamp } from '../share.js';
import { pytorchScript } from '../export/pytorch.js';
import { numpyScript } from '../export/numpy.js';
import { ExportError } from '../export/model.js';

const HEAT_BUDGET_MS = 4; // the output map's share of a round while training (worker time)
const REST_BUDGET_MS = 60; // a map's budget when paused: as sharp as the network allows, in one round
const DIAGNOSE_EVERY = 6; // rounds between diagnostics passes while training (at least)
const DIAGNOSE_SHARE = 0.15;
const HIDDEN_EVERY = 6; // the hidden space at most every 6x its cost while training (~15% of the worker's time) // and at most this share of the worker's time: big networks less often
const SNAPSHOT_EVERY_MS = 2000; // how often a restart point (the model JSON) comes back while training
// Short, so the toolbar keeps one row at 1280 px.
const SPEED_LABELS = ['60 steps/s', '180 steps/s', '600 steps/s', '1,800 steps/s', '6,000 steps/s', 'Fastest'];
// Failures the page explains. A collapse: within COLLAPSE_WINDOW steps of a live change, the training loss
// ten times what it was, or the accuracy halved (or down to chance from well above it). A stall: from
// STALL_MIN_STEPS on, the loss no better than STALL_GAIN over the second half of the run while the fit is
// still far from the data.
const COLLAPSE_WINDOW = 3000;
const STALL_MIN_STEPS = 3000;
const STALL_GAIN = 0.02;

const LIVE_NAMES = {
  learningRate: 'learning rate',
  batchSize: 'batch size',
  optimizer: 'optimizer',
  regularization: 'regularisation',
  clipNorm: 'gradient clipping',
  optimizerParam: 'optimizer setting',
  activationParams: 'activation parameter',
  reluGradAtZero: 'ReLU slope at 0',
};
const SHOWN_VALUES = {
  learningRate: 'learning rate',
  batchSize: 'batch size',
  clipNorm: 'clipping',
  regRate: 'regularisation rate',
  optimizer: 'optimizer',
};

/** "the learning rate from 0.03 to 3": the settings that differ between two states, in words. */
function describeChange(a, b) {
  return Object.entries(SHOWN_VALUES)
    .filter(([k]) => a[k] !== b[k])
    .map(([k, name]) => `the ${name} from ${a[k]} to ${b[k]}`)
    .join(' and ');
}

/** A trace (RemoteRun.trace) with plain arrays instead of typed ones, for the test hook. */
function plainTrace(t) {
  const keys = ['z', 'a', 'slope', 'on', 'dA', 'dZ', 'dB', 'dW'];
  return {
    point: { ...t.point },
    step: t.step,
    loss: t.loss,
    features: Array.from(t.features),
    prediction: Array.from(t.prediction),
    layers: t.layers.map((l) => ({
      inputs: l.inputs,
      units: l.units,
      activation: l.activation,
      ...Object.fromEntries(keys.map((k) => [k, Array.from(l[k])])),
    })),
  };
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

export function mount(section, { engine, router, pool }) {
  const app = new PlaygroundApp(section, engine, router, pool);
  return { show: (query) => app.show(query), hide: () => app.hide() };
}

class PlaygroundApp extends ToolView {
  constructor(section, engine, router, pool) {
    super({ section, engine, pool, router, route: 'playground', workName: 'network' });
    this.allParts = ['output', 'points', 'network', 'charts', 'time', 'counter'];
    // While training: the map and the diagram at 30 Hz, the charts and the text at 10 Hz, the time line
    // at 4 Hz (the frame loop spreads them over frames; see shell/part-scheduler.js). A round of training brings
    // the next map, so rounds come at the map's rate: at 60 Hz, twice the messages for frames that add
    // little to what a learner sees, and a slow device spends its frames on them.
    const everyMs = { output: 33, network: 33, charts: 100, counter: 100, time: 250 };
    this.parts = new PartScheduler({ everyMs, mainPart: 'output' });
    this.roundEveryMs = everyMs.output;
    this.run = null;
    this.state = null;
    this.heatRes = 64;
    this.heatPixelMs = 1e-4; // measured cost of one output-map pixel, in the worker
    this.unitPixelMs = 1e-5; // and of one pixel of one unit's map
    this.roundsSinceDiag = 0;
    this.lastSnapshotAt = 0;
    this.opening = 0; // counts requests for a new run: only the latest one is installed
    this.addMode = null;
    this.undoStack = []; // { kind: 'parameter', index, value, what, label } or { kind: 'state', state, label }
    this.collapseWatch = null;
    this.#build();
    this.#exposeTestHook();
  }

  themeChanged() {
    this.controls.setColors(this.colors);
    for (const c of [this.lossChart, this.accChart]) c.rebuild(this.colors);
    this.diagnosticsView.rebuild(this.colors);
  }

  // ---- Layout ----

  #build() {
    const c = this.catalog;
    this.playButton = h('button', { type: 'button', class: 'primary pg-play', onclick: () => this.togglePlay() });
    this.stepButton = h('button', { type: 'button', onclick: () => this.stepOnce(), 'aria-label': 'Train one step' }, 'Step ›');
    this.resetButton = h(
      'button',
      { type: 'button', onclick: () => this.reset(), 'aria-label': 'Reset the network to its initial weights' },
      '⟲ Reset',
    );
    this.speed = select(
      'Speed',
      SPEED_LABELS.map((t, i) => [String(i + 1), t]),
      (v) => this.set('speed', Number(v)),
    );
    this.counter = h('p', { class: 'pg-counter', 'aria-live': 'off' });
    this.lossReadout = h('p', { class: 'pg-readout small' });
    const share = this.shareBar({
      className: 'pg-share',
      exportLabel: 'the settings and trained weights',
      importLabel: 'an experiment saved by Export JSON',
      csvLabel: 'the loss and accuracy history',
      onExport: () => this.#export(),
      onImport: (text, name) => this.#import(text, name),
      onCsv: () => this.#exportCsv(),
      onExportCode: (target) => this.#exportCode(target),
      copied: 'Link copied: it opens this exact setup, seed included (the trained weights travel in Export JSON).',
    });
    this.undoButton = h('button', { type: 'button', class: 'pg-undo', disabled: true, onclick: () => this.undo() }, '↶ Undo');
    this.resetButton.dataset.control = 'reset';
    this.stepButton.dataset.control = 'step';
    this.undoButton.dataset.control = 'undo';
    this.speed.field.dataset.control = 'speed';
    const toolbar = h(
      'div',
      { class: 'pg-toolbar panel', 'data-control': 'toolbar' },
      h('div', { class: 'cluster' }, this.resetButton, this.playButton, this.stepButton, this.undoButton),
      h('div', { class: 'pg-toolbar__speed' }, this.speed.field),
      h('div', { class: 'pg-toolbar__status' }, this.counter, this.lossReadout),
      share,
    );

    this.output = new OutputView({
      onAddPoint: (a, b) => this.#addPoint(a, b),
      onErase: (a, b) => this.#erasePoint(a, b),
      onPick: (point) => this.#trace(point, { keyboard: this.output.picking }),
    });
    // Escape while picking: focus goes back to the button that started it (the map's tab stop goes).
    this.output.onPickEnd = () => this.traceButton.focus();
    this.output.onCursor = () => {
      this.traceButton.setAttribute('aria-pressed', String(this.output.picking));
      this.markAll(['points']);
    };
    this.traceButton = h(
      'button',
      {
        type: 'button',
        'aria-pressed': 'false',
        class: 'small pg-trace-pick',
        'data-control': 'trace',
        title: 'Or click a data point on the map',
        onclick: () => {
          this.output.setPicking(!this.output.picking);
          this.output.onCursor();
        },
      },
      'Trace a point',
    );
    this.tracePanel = new TracePanel(
      {
        stage: (view) => this.network.setTrace(view),
        retrace: () => this.traced && this.#trace(this.traced.point),
        close: () => this.#closeTrace(true),
      },
      { reducedMotion: prefersReducedMotion },
    );
    this.output.overlay.addEventListener('focus', () => this.markAll(['points']));
    this.output.overlay.addEventListener('blur', () => this.markAll(['points']));
    this.showTest = h('input', { type: 'checkbox', onchange: () => this.set('showTest', this.showTest.checked) });
    this.discretize = h('input', { type: 'checkbox', onchange: () => this.set('discretize', this.discretize.checked) });
    this.regionsOn = h('input', {
      type: 'checkbox',
      onchange: () => this.set('outputMode', this.regionsOn.checked ? 'regions' : 'prediction'),
    });
    this.regionLayers = select('Regions of', regionLayerOptions(1), (v) => this.set('regionLayers', Number(v)), { class: 'small' });
    this.regionLayers.field.classList.add('pg-out__layers');
    // The hidden space: the data in two units' coordinates, and which layer and units.
    this.hiddenOn = h('input', {
      type: 'checkbox',
      onchange: () => this.set('outputMode', this.hiddenOn.checked ? 'hidden' : 'prediction'),
    });
    this.hiddenLayer = select('Layer', [['1', '1']], (v) => this.#pickHidden({ hiddenLayer: Number(v) }), { class: 'small' });
    this.hiddenX = select('Across', [['1', '1']], (v) => this.#pickHidden({ hiddenX: Number(v) }), { class: 'small' });
    this.hiddenY = select('Up', [['2', '2']], (v) => this.#pickHidden({ hiddenY: Number(v) }), { class: 'small' });
    this.hiddenPicks = h(
      'div',
      { class: 'cluster pg-out__hidden', 'data-control': 'hidden-options' },
      this.hiddenLayer.field,
      this.hiddenX.field,
      this.hiddenY.field,
    );
    const outputPanel = (this.outputPanel = h(
      'section',
      { class: 'panel pg-output', 'aria-labelledby': 'pg-output-title', 'data-control': 'output' },
      h(
        'div',
        { class: 'pg-charts__head' },
        h('h2', { id: 'pg-output-title' }, 'Output'),
        h('button', { type: 'button', class: 'small', onclick: () => this.#saveOutput(), 'aria-label': 'PNG of the output map' }, 'PNG'),
      ),
      this.output.el,
      h(
        'div',
        { class: 'cluster pg-out__options', 'data-control': 'output-options' },
        h('label', { class: 'check small' }, this.showTest, 'Show test data'),
        (this.discretizeField = h('label', { class: 'check small' }, this.discretize, 'Discretise output')),
        h('label', { class: 'check small' }, this.regionsOn, 'Linear regions'),
        this.regionLayers.field,
        this.traceButton,
        h('label', { class: 'check small' }, this.hiddenOn, 'Hidden space'),
      ),
      this.hiddenPicks,
    ));

    this.logScale = h('input', { type: 'checkbox', onchange: () => this.set('logScale', this.logScale.checked) });
    this.lossChart = new LineChart({
      title: 'Loss',
      series: [{ label: 'train' }, { label: 'test', dash: [5, 3] }],
      height: 120,
      saveAs: 'loss',
    });
    this.accChart = new LineChart({
      title: 'Accuracy',
      series: [{ label: 'train' }, { label: 'test', dash: [5, 3] }],
      percent: true,
      height: 110,
      saveAs: 'accuracy',
    });
    this.time = new TimeView({ seek: (step) => this.scrubTo(step) });
    const chartsPanel = (this.chartsPanel = h(
      'section',
      { class: 'panel pg-charts', 'aria-labelledby': 'pg-charts-title', 'data-control': 'charts' },
      (this.chartsTitle = h('h2', { id: 'pg-charts-title', class: 'visually-hidden' }, 'Loss and accuracy')),
      (this.chartsEmpty = h('p', { class: 'small muted' }, 'Press ▶ Train: the curves start with it.')),
      this.lossChart.el,
      this.time.el,
      this.accChart.el,
    ));
    this.lossChart.saveButton.before(h('label', { class: 'check small pg-chart__log' }, this.logScale, 'Log scale'));

    this.network = new NetworkView(
      {
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
            this.message(
              `${which === 'alphas' ? 'Alpha' : 'Beta'} of layer ${l + 1} must be a number from ${lo} to ${hi}; got "${text}". Kept ${this.state[which][l]}.`,
              'error',
            );
            input.value = String(this.state[which][l]);
            return;
          }
          const list = [...this.state[which]];
          list[l] = v;
          this.commit(withValue(this.state, c, which, list));
        },
        // A formula layer's text: the core checks it; a refused one stays in the field with the message, and
        // the network (and everything else) keeps the last good formula.
        formula: (l, text, input, error) => {
          const problem = c.validateFormula(text);
          input.setAttribute('aria-invalid', String(problem !== ''));
          error.textContent = problem ? `Not applied: ${problem}.` : '';
          if (!problem) this.commit(withFormula(this.state, c, l, { text }));
        },
        formulaParam: (l, key, text, input) => {
          const v = Number(text);
          const { min, max } = c.ranges.formulaParam;
          if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
            const kept = this.state[key === 'a' ? 'formulaAs' : 'formulaBs'][l];
            this.message(
              `${key} of layer ${l + 1}'s formula must be a number from ${min} to ${max}; got "${text}". Kept ${kept}.`,
              'error',
            );
            input.value = String(kept);
            return;
          }
          this.commit(withFormula(this.state, c, l, { [key]: v }));
        },
        features: (codes) => this.set('features', codes),
        editParameter: (index, value, what, old) => this.#editParameter(index, value, what, old),
        focus: (target) => this.#focusOn(target),
        sharedScale: (on) => this.set('sharedScale', on),
        error: (m) => this.message(m, 'error'),
      },
      c,
    );
    this.diagnosticsView = new DiagnosticsView(c);

    // The centre panel: the network, and one click away, the diagnostics (tabs, arrow keys between them).
    const tab = (id, text, panelId) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id,
          class: 'pg-tab',
          'aria-controls': panelId,
          onclick: () => this.#showTab(id),
          onkeydown: (e) => this.#tabKey(e),
        },
        text,
      );
    this.tabs = [tab('pg-tab-net', 'Network', 'pg-panel-net'), tab('pg-tab-diag', 'Diagnostics', 'pg-panel-diag')];
    this.tabs[1].dataset.control = 'diagnostics';
    this.netTabPanel = h(
      'div',
      { role: 'tabpanel', id: 'pg-panel-net', 'aria-labelledby': 'pg-tab-net', class: 'pg-tabpanel' },
      h('h2', { class: 'visually-hidden', id: 'pg-network-title' }, 'Network'),
      this.tracePanel.el,
      this.network.el,
      h(
        'p',
        { class: 'small muted pg-net__hint' },
        'Click a weight, a bias (the small squares) or an input to change it; hover or focus a unit to see its map large in the Output panel. Dead units are crossed out. Click a data point on the map to trace it through the network.',
      ),
    );
    this.diagTabPanel = h(
      'div',
      { role: 'tabpanel', id: 'pg-panel-diag', 'aria-labelledby': 'pg-tab-diag', class: 'pg-tabpanel pg-diagnostics', hidden: true },
      h('h2', { class: 'visually-hidden', id: 'pg-diag-title' }, 'Diagnostics'),
      h(
        'p',
        { class: 'small muted' },
        'Measured over the whole training set every few frames: a gradient norm falling towards zero in the first layers means they have stopped learning (vanishing gradients); a unit that outputs 0 for every point is dead.',
      ),
      this.diagnosticsView.el,
    );
    const networkPanel = h(
      'section',
      { class: 'panel pg-network', 'aria-label': 'Network and diagnostics' },
      h('div', { class: 'pg-tabs', role: 'tablist', 'aria-label': 'Network or diagnostics' }, this.tabs),
      this.netTabPanel,
      this.diagTabPanel,
    );
    this.#showTab('pg-tab-net', false);

    this.controls = new Controls(
      {
        set: (name, value) => this.set(name, value),
        regenerate: () => this.set('seed', crypto.getRandomValues(new Uint32Array(1))[0]),
        openCsv: () => this.csv.open(this.state.dataset === 'custom' ? this.state.points : null),
        addMode: (mode) => {
          this.addMode = mode;
          this.output.setAddMode(mode);
          this.markAll(['output']);
        },
        error: (message) => this.message(message, 'error'),
      },
      datasetPoints(this.engine),
      this.colors,
      this.catalog,
    );
    this.csv = new CsvDialog((rows, problem) => this.#loadPoints(rows, problem));

    this.layout = h(
      'div',
      { class: 'pg-layout' },
      h('div', { class: 'pg-col pg-col--data' }, this.controls.data, this.controls.training, this.controls.network),
      h('div', { class: 'pg-col pg-col--net' }, networkPanel),
      h('div', { class: 'pg-col pg-col--out' }, outputPanel, chartsPanel),
    );
    this.section.replaceChildren(
      h(
        'div',
        { class: 'pg' },
        h('h1', { class: 'visually-hidden' }, 'Training playground'),
        toolbar,
        this.messages,
        this.banner,
        this.layout,
        this.csv.el,
      ),
    );

    this.resizeObserver = new ResizeObserver(() => this.#resize());
    this.resizeObserver.observe(this.layout);
    this.updatePlayButton();
  }

  #resize() {
    this.output.resize(this.output.el.clientWidth, this.#mapRoom());
    const chartWidth = this.lossChart.el.clientWidth;
    if (this.lossChart.height !== this.#lossHeight()) {
      this.lossChart.height = this.#lossHeight();
      this.lossChart.rebuild(this.colors);
    }
    this.lossChart.resize(chartWidth);
    this.accChart.resize(chartWidth);
    if (!this.diagTabPanel.hidden) this.diagnosticsView.resize(this.diagnosticsView.chartHost.clientWidth);
    const room = this.#netRoom();
    const old = this.network.room;
    if (this.run && (!old || room.width !== old.width || Math.abs(room.height - old.height) > 8))
      this.network.build(this.state, this.run, dataShape(this.state), room);
    this.markAll();
  }

  /** The diagram's room: the panel's width, and the first screen's height below the diagram's top. */
  #netRoom() {
    const width = this.network.scroll.clientWidth || this.netTabPanel.clientWidth || 600;
    const top = this.network.scroll.getBoundingClientRect().top + window.scrollY;
    const below = window.innerHeight - top - 84;
    const height = top > window.innerHeight * 0.6 ? window.innerHeight * 0.7 : Math.max(300, Math.min(900, below));
    return { width, height: Math.round(height) };
  }

  /**
   * The output map's largest side: what leaves the loss curve on the first screen too. Measured from the
   * layout (the map's top, what sits under it in its panel, the loss chart's height), so a control added to
   * the output panel or a toolbar that wraps takes its room from the map, not the chart.
   */
  #mapRoom() {
    if (window.innerWidth < 760) return 420;
    const stack = this.output.stack.getBoundingClientRect();
    const panel = this.outputPanel.getBoundingClientRect();
    const charts = this.chartsPanel.getBoundingClientRect();
    const loss = this.lossChart.el.getBoundingClientRect();
    if (stack.height === 0) return Math.max(220, window.innerHeight - 338 - this.#lossHeight());
    const top = stack.top + window.scrollY;
    const under = panel.bottom - stack.bottom; // the legend, the options, the panel's padding
    const toLossEnd = loss.bottom - charts.top + (charts.top - panel.bottom); // the gap, the charts' head, the loss chart
    return Math.max(220, Math.floor(window.innerHeight - top - under - toLossEnd - 8));
  }

  #lossHeight() {
    return window.innerHeight < 800 ? 90 : 130;
  }

  // ---- Tabs: the network or the diagnostics ----

  #showTab(id, focus = false) {
    for (const t of this.tabs) {
      const on = t.id === id;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls'))?.toggleAttribute('hidden', !on);
      if (on && focus) t.focus();
    }
    this.netTabPanel.hidden = id !== 'pg-tab-net';
    this.diagTabPanel.hidden = id !== 'pg-tab-diag';
    if (id === 'pg-tab-diag') {
      requestAnimationFrame(() => {
        this.diagnosticsView.resize(this.diagnosticsView.chartHost.clientWidth);
        this.wantDiag = true;
        this.dirty.add('diagnostics');
        this.drawnDiagnostics = null;
        this.markAll(['diagnostics']);
        this.pump(true);
      });
    } else this.markAll(['network']);
  }

  #tabKey(e) {
    const i = this.tabs.indexOf(e.currentTarget);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: this.tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.#showTab(this.tabs[(next + this.tabs.length) % this.tabs.length].id, true);
  }

  // ---- Tracing one point ----

  /**
   * Traces a point (its forward pass and one backward step, by the engine) on the weights as they are now,
   * and shows it in the diagram. From the keyboard, focus moves to the trace's controls.
   */
  async #trace(point, { keyboard = false } = {}) {
    const run = this.run;
    if (!point || !run) return;
    try {
      const trace = await run.trace(point);
      if (run !== this.run) return;
      this.traced = { point, trace };
      this.output.setTraced(point);
      if (this.netTabPanel.hidden) this.#showTab('pg-tab-net');
      const shape = dataShape(this.state);
      this.tracePanel.show(trace, {
        features: shape.dims === 1 ? [] : this.state.features,
        problem: shape.problem,
        oneD: shape.dims === 1,
      });
      this.tracePanel.setNow(run.step);
      if (keyboard) {
        this.output.setPicking(false);
        this.output.onCursor();
        this.tracePanel.play.focus();
      } else {
        const r = this.tracePanel.el.getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight) {
          this.tracePanel.el.scrollIntoView({ block: 'start', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
        }
      }
      this.markAll(['points']);
    } catch (error) {
      this.failed('The point could not be traced', error);
    }
  }

  #closeTrace(refocus) {
    if (!this.traced && !this.tracePanel.open) return;
    this.traced = null;
    this.tracePanel.hide();
    this.network.setTrace(null);
    this.output.setTraced(null);
    this.markAll(['points']);
    if (refocus) this.traceButton.focus();
  }

  // ---- Touching the network ----

  /** Hover or focus on a unit or an input: its map large in the output panel until it is left. */
  #focusOn(target) {
    this.focusTarget = target;
    this.#updateFocus();
    this.markAll(['output']);
  }

  #updateFocus() {
    const t = this.focusTarget;
    const run = this.run;
    if (!t || !run) {
      this.output.setFocus(null, this.colors);
      return;
    }
    const oneD = dataShape(this.state).dims === 1;
    if (t.kind === 'input') {
      if (oneD) {
        const data = Float32Array.from({ length: 96 }, (_, i) => -6 + ((i + 0.5) / 96) * 12);
        this.output.setFocus({ title: 'the input x', data, res: 96, oneD, scale: 6 }, this.colors);
        return;
      }
      const res = 64;
      const data = featureGrid(t.code, res);
      let hi = 0;
      for (const v of data) hi = Math.max(hi, Math.abs(v));
      this.output.setFocus({ title: `the input ${featureLabel(t.code)}`, data, res, oneD, scale: hi || 1 }, this.colors);
      return;
    }
    const res = this.#unitRes(run);
    const grids = run.unitGrid(res, oneD ? 1 : res, plotBounds());
    if (!grids) return;
    const size = grids.width * (oneD ? 1 : grids.width);
    const hidden = run.layers.slice(0, -1);
    const u = hidden.slice(0, t.layer).reduce((n, l) => n + l.units, 0) + t.unit;
    const data = grids.data.subarray(u * size, (u + 1) * size);
    let hi = 0;
    for (const v of data) hi = Math.max(hi, Math.abs(v));
    const scale = this.state.sharedScale ? NetworkView.sharedScaleOf(grids.data, size, hidden) : hi || 1;
    const dead = this.run.diagnostics?.layers[t.layer]?.dead[t.unit] ? ' (dead)' : '';
    this.output.setFocus(
      { title: `layer ${t.layer + 1}, unit ${t.unit + 1}${dead}`, data, res: grids.width, oneD, scale, shared: this.state.sharedScale },
      this.colors,
    );
  }

  /** One weight or bias set in the core; training goes on from it, and Undo puts the old value back. */
  async #editParameter(index, value, what, old, { undoing = false } = {}) {
    const run = this.run;
    try {
      await run.set('parameter', { index, value });
    } catch (error) {
      this.failed(`The ${what} was not changed`, error);
      return false;
    }
    if (run !== this.run) return false;
    this.network.setParameter(index, value);
    this.tracePanel.weightsEdited();
    if (!undoing) {
      this.#pushUndo({ kind: 'parameter', index, value: old, what, label: `the ${what} back to ${fmt(old, 4)}` });
      this.message(
        `Set the ${what} to ${fmt(value, 4)} (it was ${fmt(old, 4)}). Training continues from the new value; Undo puts it back.`,
        'info',
      );
      this.#watchCollapse(`you set the ${what} to ${fmt(value, 4)}`);
    }
    this.wantDiag = true;
    this.markAll();
    this.pump(true);
    return true;
  }

  #pushUndo(entry) {
    this.undoStack.push(entry);
    if (this.undoStack.length > 50) this.undoStack.shift();
    this.#syncUndo();
  }

  #syncUndo() {
    const top = this.undoStack.at(-1);
    this.undoButton.disabled = !top;
    this.undoButton.setAttribute('aria-label', top ? `Undo: set ${top.label}` : 'Undo (nothing to undo)');
  }

  /** Undoes the last weight edit or live setting change. */
  async undo() {
    const entry = this.undoStack.pop();
    this.#syncUndo();
    if (!entry) return false;
    this.collapseWatch = null;
    this.changedAt = { run: this.run, step: this.run?.step ?? 0 };
    let ok;
    if (entry.kind === 'parameter') {
      ok = await this.#editParameter(entry.index, entry.value, entry.what, null, { undoing: true });
    } else if (entry.model && entry.model && this.run) {
      // The settings and the weights as they were: the saved network again, with its history to that step.
      const hist = this.run.history;
      const n = hist.step.findLastIndex((x) => x <= entry.step) + 1;
      const history = Object.fromEntries(Object.entries(hist).map(([k, col]) => [k, col.slice(0, n)]));
      try {
        const restored = await RemoteRun.fromModel(this.pool, 0, entry.model, history);
        ok = await this.#startRun(entry.state, restored);
        if (ok) this.writeUrl();
      } catch (error) {
        this.failed('The change could not be undone', error);
        ok = false;
      }
    } else {
      ok = await this.commit(entry.state, { undoing: true });
    }
    if (ok) this.message(`Undone: set ${entry.label}.`, 'info');
    return ok;
  }

  // ---- Links (ToolView) ----

  parseLink(query) {
    const { state, errors } = fromQuery(query, this.catalog);
    return { value: state, errors };
  }

  hasWork() {
    return this.run !== null;
  }

  open(state) {
    return this.act(() => this.#openState(state));
  }

  async #openState(state) {
    this.pause();
    if (!(await this.#startRun(state)) && !this.run) {
      // Valid one by one, refused together by the core, and nothing to fall back on: start from the defaults.
      await this.#startRun(fromQuery(new URLSearchParams(), this.catalog).state);
    } else if (state.at > 0 && this.run) {
      await this.#trainTo(state.at);
    }
    this.writeUrl();
  }

  writeUrl() {
    if (!this.state) return;
    const query = toQuery(this.state, this.catalog);
    this.lastQuery = query.toString();
    // A change that finishes after the user went to another view (the engine replies late) must not take
    // the address bar back.
    if (this.router.current.route === this.route) this.router.replace('playground', query);
  }

  // ---- State changes ----

  set(name, value) {
    return this.commit(withValue(this.state, this.catalog, name, value));
  }

  /**
   * Applies a new state: a new run if the data or the architecture changed; otherwise each live setting
   * that changed goes to the engine as one typed request (no config round trip, no evaluation).
   */
  commit(next, options = {}) {
    return this.act(() => this.#commit(next, options));
  }

  async #commit(next, { undoing = false } = {}) {
    const kind = changeKind(this.state, next);
    if (kind === null) return true;
    const before = this.state;
    if (kind === 'data' || kind === 'net') {
      if (!(await this.#startRun(next))) {
        this.controls.sync(this.state);
        return false;
      }
    } else {
      if (kind === 'live') {
        const run = this.run;
        // A new rate or clipping is what the divergence banner asked for: training may continue.
        const clearDivergence = Boolean(run.divergence);
        // The network as it is before the change, so that Undo can bring back the weights too (a rate too
        // large can kill units that a smaller rate never revives).
        let model = null;
        if (!undoing && run.step > 0 && !clearDivergence) model = await run.exportModel().catch(() => null);
        const atStep = run.step;
        this.#branchNote();
        next = { ...next, at: 0 };
        try {
          for (const { name, value } of liveChanges(this.state, next)) await run.set(name, value, { clearDivergence });
        } catch (error) {
          this.failed('That change was not applied', error);
          this.controls.sync(this.state);
          return false;
        }
        if (clearDivergence) this.hideBanner();
        if (!undoing) {
          const what = liveChanges(before, next)
            .map(({ name }) => LIVE_NAMES[name] ?? name)
            .join(' and ');
          this.#pushUndo({
            kind: 'state',
            state: before,
            model,
            step: atStep,
            label: `the ${what} back${model ? ` and the network as it was at step ${count(atStep)}` : ''}`,
          });
          this.#watchCollapse(`you changed ${describeChange(before, next) || `the ${what}`}`);
        }
        this.wantDiag = true;
        this.pump(true);
      }
      this.state = next;
      this.#syncView();
    }
    this.writeUrl();
    this.markAll();
    return true;
  }

  /**
   * A new run for the state, on the engine's worker; on the core's refusal, shows why and keeps everything
   * as it was. imported: a run made from an imported model, installed as it is instead.
   */
  async #startRun(state, imported = null) {
    const ticket = ++this.opening;
    let run = imported;
    if (!run) {
      try {
        run = await RemoteRun.create(this.pool, 0, toConfig(state));
      } catch (error) {
        this.failed('That setting was not applied', error);
        return false;
      }
    }
    if (ticket !== this.opening) {
      // A later request overtook this one while the engine was making it.
      run.dispose();
      return false;
    }
    this.run?.dispose();
    this.#install(run, state);
    return true;
  }

  #install(run, state) {
    this.run = run;
    this.state = state.at ? { ...state, at: 0 } : state;
    const shape = dataShape(state);
    // First guesses at the cost of a map pixel (about 1.5 ns per parameter), refined by measurement from
    // the first round on, so that even the first map of a huge network takes a moment, not seconds.
    const units = Math.max(
      1,
      run.layers.slice(0, -1).reduce((n, l) => n + l.units, 0),
    );
    this.heatPixelMs = 2e-5 + run.params * 1.5e-6;
    this.unitPixelMs = this.heatPixelMs / units;
    this.output.setRun(run, shape, state.head);
    this.#closeTrace(false);
    this.network.build(state, run, shape, this.#netRoom());
    this.focusTarget = null;
    this.output.setFocus(null, this.colors);
    this.collapseWatch = null;
    this.diagnosticsView.setRun(run, state, this.colors);
    this.accChart.el.hidden = shape.problem !== 'classification';
    this.chartsTitle.textContent = shape.problem === 'classification' ? 'Loss and accuracy' : 'Loss';
    this.lossChart.rebuild(this.colors);
    this.accChart.rebuild(this.colors);
    this.hideBanner();
    this.#syncView();
    this.wantDiag = true;
    this.markAll();
    this.pump(true);
    if (this.playWhenReady) {
      this.playWhenReady = false;
      this.play();
    }
  }

  #syncView() {
    const s = this.state;
    this.controls.sync(s);
    this.speed.el.value = String(s.speed);
    this.showTest.checked = s.showTest;
    this.discretize.checked = s.discretize;
    // Only the 2-D prediction map has classes to discretise: not the 1-D fit, the regions or the hidden space.
    this.discretizeField.hidden = s.outputMode !== 'prediction' || dataShape(s).dims === 1;
    this.regionsOn.checked = s.outputMode === 'regions';
    // The layer menu only where it means something: the regions shown, of a network with 2+ hidden layers.
    const hidden = this.run ? this.run.layers.length - 1 : s.layers.length;
    setOptions(this.regionLayers.el, regionLayerOptions(hidden), String(regionLayerLimit(s.regionLayers, hidden)));
    this.regionLayers.field.hidden = s.outputMode !== 'regions' || hidden < 2;
    // 1-D data: the fit's ▲ kinks already mark where its linear pieces meet.
    this.regionsOn.parentElement.hidden = dataShape(s).dims === 1;
    this.#syncHidden();
    this.logScale.checked = s.logScale;
    this.lossChart.setLog(s.logScale);
    if (this.network.sharedScale !== s.sharedScale) {
      this.network.setSharedScale(s.sharedScale);
      this.#focusOn(this.focusTarget);
      this.markAll(['network']);
    }
  }

  // The hidden space's menus: the network's hidden layers, and the chosen layer's units (the selection as
  // hiddenPick reads it, so a menu never shows a unit the layer lacks).
  #syncHidden() {
    const s = this.state;
    this.hiddenOn.checked = s.outputMode === 'hidden';
    const units = this.run ? this.run.layers.slice(0, -1).map((l) => l.units) : s.layers;
    this.hiddenPicks.hidden = s.outputMode !== 'hidden' || units.length === 0;
    if (this.hiddenPicks.hidden) return;
    const pick = hiddenPick({ ...s, layers: units });
    const layer = pick.error ? Math.min(s.hiddenLayer, units.length) : pick.layer + 1;
    setOptions(
      this.hiddenLayer.el,
      units.map((_, i) => [String(i + 1), String(i + 1)]),
      String(layer),
    );
    const unitOptions = Array.from({ length: units[layer - 1] }, (_, j) => [String(j + 1), String(j + 1)]);
    const oneUnit = unitOptions.length < 2;
    this.hiddenX.field.hidden = oneUnit;
    this.hiddenY.field.hidden = oneUnit;
    if (oneUnit) return;
    setOptions(this.hiddenX.el, unitOptions, String(pick.x + 1));
    setOptions(this.hiddenY.el, unitOptions, String(pick.y + 1));
  }

  /** A new hidden-space selection: picking one axis's unit as the other's swaps them; a new layer starts at units 1 and 2. */
  #pickHidden(change) {
    const s = this.state;
    const next = { ...structuredClone(s), ...change };
    if ('hiddenLayer' in change) [next.hiddenX, next.hiddenY] = [1, 2];
    if ('hiddenX' in change && change.hiddenX === s.hiddenY) next.hiddenY = s.hiddenX;
    if ('hiddenY' in change && change.hiddenY === s.hiddenX) next.hiddenX = s.hiddenY;
    return this.commit(next);
  }

  async #loadPoints(rows, problem) {
    const next = withCustomPoints(this.state, rows, problem);
    // Ask the core first, so a refusal reaches the dialog (which names the line) and nothing changes.
    await this.pool.worker(0).request({ op: 'probe', config: toConfig(next) });
    this.controls.stopAdding();
    await this.commit(next);
  }

  /** The points on screen as rows of the user's own data (the current data set becomes theirs). */
  #currentRows() {
    if (this.state.dataset === 'custom') return this.state.points;
    const shape = dataShape(this.state);
    const round = (v) => Math.round(v * 100) / 100;
    const rows = [];
    for (const pts of [this.run.trainPoints, this.run.testPoints]) {
      for (let i = 0; i < pts.length; i += 3) {
        rows.push(shape.dims === 1 ? [round(pts[i]), round(pts[i + 2])] : [round(pts[i]), round(pts[i + 1]), round(pts[i + 2])]);
      }
    }
    return rows;
  }

  async #addPoint(a, b) {
    const shape = dataShape(this.state);
    const round = (v) => Math.round(v * 100) / 100;
    const rows = this.#currentRows();
    const point = shape.dims === 1 ? [round(a), round(b)] : [round(a), round(b), this.addMode.label];
    if (await this.commit(withCustomPoints(this.state, [...rows, point], shape.problem))) {
      this.message(`Added a point at (${fmt(a)}, ${fmt(b)}): ${rows.length + 1} points now.`, 'info');
    }
  }

  /** The eraser: removes the point nearest (a, b), if one is within reach. */
  async #erasePoint(a, b) {
    const shape = dataShape(this.state);
    const rows = this.#currentRows();
    // Distances in plot units: for 1-D data the value axis is scaled to the plot's 12 units of x.
    const [lo, hi] = this.output.yRange ?? [-6, 6];
    const ys = shape.dims === 1 ? 12 / (hi - lo || 1) : 1;
    let best = -1;
    let bestD = 0.5;
    rows.forEach((r, i) => {
      const y = shape.dims === 1 ? r[1] : r[1];
      const d = Math.hypot(r[0] - a, (y - b) * ys);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    if (best < 0) {
      this.message(`No point within reach of (${fmt(a)}, ${fmt(b)}): move closer to one.`, 'info');
      return;
    }
    const gone = rows[best];
    const next = rows.filter((_, i) => i !== best);
    if (await this.commit(withCustomPoints(this.state, next, shape.problem))) {
      this.message(`Erased the point at (${fmt(gone[0])}, ${fmt(gone[1])}): ${next.length} points now.`, 'info');
    }
  }

  // ---- Training ----

  play() {
    if (!this.run) {
      // Train pressed while the first network is still being made: it starts as soon as it is there.
      this.playWhenReady = true;
      return;
    }
    if (this.run.divergence) {
      this.run.clearDivergence().catch((error) => this.failed('Training could not continue', error));
    }
    if (['stall', 'collapse', 'diverged'].includes(this.banner.dataset.kind)) this.hideBanner();
    this.#branchNote();
    this.pace = null; // the speed's clock starts now
    super.play();
  }

  /** Before training or a change at a step sought back to: say that the later history goes (a new branch). */
  #branchNote() {
    const run = this.run;
    this.scrubTarget = undefined;
    if (run?.behind > 0) {
      this.message(`Continuing from step ${count(run.step)}: the later ${count(run.behind)} steps are dropped.`, 'info');
    }
    if (this.state?.at) {
      this.state = { ...this.state, at: 0 };
      this.writeUrl();
    }
  }

  // ---- Time travel ----

  /**
   * Shows step `step` exactly: pauses training, and the core recomputes the step from its nearest snapshot.
   * Moves faster than the engine replies are coalesced: only the latest step asked for is sought next.
   */
  scrubTo(step) {
    if (!this.run) return Promise.resolve(false);
    if (this.playing) super.pause();
    this.scrubTarget = step;
    this.scrubbing ??= this.#scrub();
    return this.scrubbing;
  }

  async #scrub() {
    let ok = true;
    while (this.scrubTarget !== undefined && this.run) {
      const run = this.run;
      const step = this.scrubTarget;
      this.scrubTarget = undefined;
      try {
        await run.seek(step, { diagnostics: 30 });
      } catch (error) {
        this.failed(`Step ${count(step)} could not be shown`, error);
        ok = false;
        continue;
      }
      if (run !== this.run) break;
      if (!run.divergence && this.banner.dataset.kind === 'diverged') this.hideBanner();
      // The settings that step trained with (a later change of rate is not in force there).
      this.state = { ...withLiveConfig(this.state, run.config), at: step };
      this.controls.sync(this.state);
      this.writeUrl();
      this.#afterRound(true);
      this.markAll();
    }
    this.scrubbing = null; // no await since the loop's test: a move made after it starts a new loop
    return ok;
  }

  /** Trains to step n exactly, as fast as the engine goes (a link's at=n), then shows it as scrubbed there. */
  async #trainTo(n) {
    const run = this.run;
    while (run === this.run && run.step < n && !run.divergence) {
      const r = await run.frame({ budgetMs: 200, maxSteps: n - run.step });
      this.#afterRound(true);
      this.markAll();
      if (r.diverged) {
        this.#diverged(r.reason);
        break;
      }
      if (r.steps === 0) break;
    }
    if (run !== this.run) return;
    if (run.step < n) this.message(`The link asks for step ${count(n)}; training stopped at step ${count(run.step)}.`, 'error');
    this.state = { ...this.state, at: run.step };
    this.writeUrl();
  }

  pause() {
    const was = this.playing;
    super.pause();
    if (was) {
      // A last round with diagnostics and a restart point, for the state training stopped in.
      this.wantDiag = true;
      this.wantSnapshot = true;
      this.pump(true);
    }
  }

  stepOnce() {
    return this.act(() => this.#stepOnce());
  }

  async #stepOnce() {
    if (!this.run || this.engineDown) return;
    const run = this.run;
    this.#branchNote();
    try {
      if (run.divergence) await run.clearDivergence();
      const r = await run.frame({ steps: 1, diagnostics: 30, model: true });
      if (r.diverged) this.#diverged(r.reason);
    } catch (error) {
      this.failed('That step failed', error);
    }
    if (run !== this.run) return;
    this.#afterRound(true);
    this.markAll();
  }

  reset() {
    return this.act(() => this.#startRun(this.state));
  }

  /** The engine's round: train (while playing), then bring back what the views draw. */
  async advance(budgetMs) {
    const run = this.run;
    if (!run) return;
    const diagEvery = Math.max(DIAGNOSE_EVERY, Math.ceil((run.diagnoseMs ?? 0) / (DIAGNOSE_SHARE * Math.max(1, budgetMs))));
    const diagnose = this.wantDiag || (this.playing && ++this.roundsSinceDiag >= diagEvery);
    const now = performance.now();
    const snapshotEvery = Math.max(SNAPSHOT_EVERY_MS, 50 * (run.modelMs ?? 0));
    const model = this.wantSnapshot || (this.playing && now - this.lastSnapshotAt > snapshotEvery);
    this.#wantGrids(run);
    const cap = this.playing ? this.#stepCap(run) : 0;
    const r = await run.frame({
      budgetMs: cap !== 0 ? Math.max(1, budgetMs - this.#gridMs(run)) : 0,
      maxSteps: cap ?? 0,
      diagnostics: diagnose ? 30 : 0,
      model,
    });
    if (run !== this.run) return;
    if (diagnose) {
      this.roundsSinceDiag = 0;
      this.wantDiag = false;
    }
    if (model) {
      this.lastSnapshotAt = now;
      this.wantSnapshot = false;
    }
    this.#afterRound(r.steps > 0 || diagnose);
    if (r.diverged) this.#diverged(r.reason);
    if (this.playing && run.step >= (this.pauseAtStep ?? Infinity)) {
      this.pauseAtStep = undefined;
      this.pause();
    }
  }

  /**
   * Steps this round may train: those the speed's pace owes (0: none yet), no further than a requested stop;
   * null: as many as the round's time budget allows (the fastest speed).
   */
  #stepCap(run) {
    const owed = stepsOwed(this, SPEEDS[this.state.speed - 1], run.step);
    if (this.pauseAtStep === undefined) return owed;
    const left = Math.max(1, this.pauseAtStep - run.step);
    return owed === null ? left : Math.min(owed, left);
  }

  /** The grids this round brings back: asked of the run now, at the sizes the views will draw. */
  /** The output map's finest side: a grid pixel per CSS pixel of the plot (at least 100, the core's limit at most). */
  #mapSideCap() {
    const plot = Math.floor((this.output.plot?.w ?? 100) / 4) * 4;
    return Math.min(this.catalog.limits.maxGridSide, Math.max(100, plot));
  }

  #wantGrids(run) {
    const shape = dataShape(this.state);
    const hiddenMode = this.state.outputMode === 'hidden';
    if (hiddenMode) {
      const pick = hiddenPick({ ...this.state, layers: run.layers.slice(0, -1).map((l) => l.units) });
      if (!pick.error && this.output.visible) this.#wantHidden(run, pick);
    } else if (shape.dims === 2 && this.state.outputMode === 'regions')
      run.regionGrid(this.heatRes, this.heatRes, plotBounds(), regionLayerLimit(this.state.regionLayers, run.layers.length - 1));
    else if (shape.dims === 2) run.outputGrid(this.heatRes, this.heatRes, plotBounds());
    const res = this.#unitRes(run);
    if (run.layers.length > 1) run.unitGrid(res, shape.dims === 1 ? 1 : res, plotBounds());
  }

  // The hidden space maps every data point through the network: with 10,000 points and wide layers that is
  // ~100 ms, so while training it is asked again only once the time since it last came is HIDDEN_EVERY
  // times what it cost (at most once a round); a new selection, a step or a pause asks at once.
  #wantHidden(run, pick) {
    const test = this.state.showTest;
    const have = run.hiddenSpace(pick.layer, pick.x, pick.y, test, false);
    const now = performance.now();
    const fresh = have && have.withTest === test && !have.error;
    if (fresh && this.playing && now - (this.hiddenAskedAt ?? 0) < HIDDEN_EVERY * (have.ms ?? 0)) return;
    run.hiddenSpace(pick.layer, pick.x, pick.y, test);
    this.hiddenAskedAt = now;
  }

  /** The worker's time for the grids of the last round: part of a round's budget. */
  #gridMs() {
    return (this.outputGridMs ?? 0) + (this.unitGridMs ?? 0);
  }

  #unitRes(run) {
    if (dataShape(this.state).dims === 1) return 48;
    // Like the output map: all the unit maps together cost about 2 ms while training, 8 to 24 pixels a side.
    const units = Math.max(
      1,
      run.layers.slice(0, -1).reduce((n, l) => n + l.units, 0),
    );
    const budget = this.playing ? 2 : REST_BUDGET_MS / 2;
    return Math.max(4, Math.min(24, Math.floor(Math.sqrt(budget / (this.unitPixelMs * units)))));
  }

  #afterRound(changed) {
    if (changed) {
      for (const d of ['output', 'network', 'charts', 'time', 'counter']) this.dirty.add(d);
    }
    if (this.run.diagnostics !== this.drawnDiagnostics) this.dirty.add('diagnostics');
    this.dirty.add('output');
    if (changed) {
      this.#checkCollapse();
      this.#checkStall();
    }
  }

  // ---- Explaining failures ----

  /** After a live change while training: watch the next steps for a collapse. */
  #watchCollapse(cause) {
    this.changedAt = { run: this.run, step: this.run?.step ?? 0 };
    const h2 = this.run?.history;
    if (!h2 || h2.step.length < 3 || this.run.step < 50) {
      this.collapseWatch = null;
      return;
    }
    this.collapseWatch = {
      cause,
      step: this.run.step,
      until: this.run.step + COLLAPSE_WINDOW,
      loss: mean(h2.trainLoss.slice(-3)),
      acc: mean(h2.trainAccuracy.slice(-3)),
    };
  }

  #checkCollapse() {
    const w = this.collapseWatch;
    const run = this.run;
    if (!w || !run?.latest || run.step <= w.step) return;
    const shape = dataShape(this.state);
    const m = run.latest;
    const chance = shape.problem === 'classification' ? 1 / Math.max(2, shape.classes) : 0;
    const lossUp = m.trainLoss > 10 * w.loss && m.trainLoss - w.loss > 0.05;
    const accDown =
      shape.problem === 'classification' && w.acc > chance + 0.2 && (m.trainAccuracy < w.acc / 2 || m.trainAccuracy < chance + 0.05);
    // The window closes only after a look: at the fastest speed one round can train past all of it.
    if (!lossUp && !accDown) {
      if (run.step > w.until) this.collapseWatch = null;
      return;
    }
    this.collapseWatch = null;
    this.pause();
    const what = [
      `the training loss went from ${fmt(w.loss)} to ${fmt(m.trainLoss)}`,
      shape.problem === 'classification' ? `accuracy from ${percent(w.acc)} to ${percent(m.trainAccuracy)}` : null,
    ]
      .filter(Boolean)
      .join(' and ');
    const lr = this.state.learningRate;
    const lower = Number((lr / 10).toPrecision(3));
    this.#explain(
      'collapse',
      `Training collapsed after ${w.cause}: ${what} within ${count(run.step - w.step)} steps, so it is paused.`,
      'A step too large throws the weights out of the good region they had found.',
      [
        this.undoStack.length ? ['Undo the change', () => this.undo().then(() => this.play())] : null,
        ['Lower the learning rate to ' + lower, () => this.set('learningRate', lower).then(() => this.play())],
        ['Reset the network', () => this.reset()],
      ],
    );
  }

  /** A stalled run: a whole layer dead, or no progress over many steps while the fit is far from the data. */
  #checkStall() {
    const run = this.run;
    if (!this.playing || this.stallShownFor === run || !run.latest) return;
    const d = run.diagnostics;
    const hidden = d?.layers.slice(0, -1) ?? [];
    const deadLayer = d && d.step > 0 ? hidden.findIndex((l) => l.dead.length > 0 && l.deadUnits === l.dead.length) : -1;
    const h2 = run.history;
    let stalled = false;
    let since = 0;
    // The window starts at the last change the user made (a rate, a weight, an undo): what came before
    // it is another run's story.
    const from = this.changedAt?.run === run ? this.changedAt.step : 0;
    if (run.step - from >= STALL_MIN_STEPS && h2.step.length > 8) {
      const half = h2.step.findIndex((s) => s >= (from + run.step) / 2);
      since = h2.step[half];
      const then = mean(h2.trainLoss.slice(half, half + 3));
      const now = mean(h2.trainLoss.slice(-3));
      stalled = now > then * (1 - STALL_GAIN) && this.#farFromData(run.latest);
    }
    if (deadLayer < 0 && !stalled) return;
    this.stallShownFor = run;
    const deadNote = hidden
      .map((l, i) => (l.deadUnits ? `${l.deadUnits} of ${l.dead.length} units in layer ${i + 1}` : null))
      .filter(Boolean);
    let sentence;
    if (deadLayer >= 0) {
      // A warning, not a pause: a lesson kills a layer on purpose, and what training does next is the point.
      sentence = `Training is stuck: every unit of layer ${deadLayer + 1} is dead (it outputs 0 for every training point), so no gradient reaches it or the layers before it, and the output cannot change with the input.`;
    } else {
      const acc = dataShape(this.state).problem === 'classification' ? `, accuracy ${percent(run.latest.trainAccuracy)}` : '';
      sentence = `Training has stalled: the loss (${fmt(run.latest.trainLoss)}${acc}) has not improved since step ${count(since)}, and the fit is still far from the data${deadNote.length ? `; ${deadNote.join(' and ')} ${deadNote.length === 1 && hidden.find((l) => l.deadUnits)?.deadUnits === 1 ? 'is' : 'are'} dead` : ''}.`;
    }
    const s = this.state;
    const reluLayers = s.activations.map((a, i) => (a === 'relu' ? i : -1)).filter((i) => i >= 0);
    const lower = Number((s.learningRate / 3).toPrecision(3));
    this.#explain(
      'stall',
      sentence,
      'A dead ReLU unit has a zero gradient on every point, so it never comes back; another start, a leaky slope or smaller steps avoid it.',
      [
        ['Try another seed', () => this.set('seed', (s.seed + 1) % 4294967296).then(() => this.play())],
        reluLayers.length
          ? [
              'Use leaky ReLU',
              () => {
                let next = this.state;
                for (const l of reluLayers) next = withActivation(next, this.catalog, l, 'leaky_relu');
                return this.commit(next).then(() => this.play());
              },
            ]
          : null,
        ['Lower the learning rate to ' + lower, () => this.set('learningRate', lower).then(() => this.play())],
        this.undoStack.length ? ['Undo the last change', () => this.undo()] : null,
      ],
    );
  }

  /** Whether the latest metrics are far from what the data allows (its noise leaves some points wrong). */
  #farFromData(m) {
    const shape = dataShape(this.state);
    if (shape.problem === 'classification') return m.trainAccuracy < 0.9 - this.state.noise / 200;
    const pts = this.run.trainPoints;
    const ys = [];
    for (let i = 2; i < pts.length; i += 3) ys.push(pts[i]);
    const mu = mean(ys);
    const variance = mean(ys.map((y) => (y - mu) ** 2));
    // The loss is a mean squared error (halved or not): far means more than a quarter of the variance left.
    return m.trainLoss > 0.25 * variance;
  }

  /** The banner for a failure: one sentence of what happened, one of why, and what to try. */
  #explain(kind, sentence, why, actions) {
    const buttons = actions.filter(Boolean).map(([text, fn]) =>
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            this.hideBanner();
            fn();
          },
        },
        text,
      ),
    );
    this.showBanner(
      h('p', { dataset: { kind } }, h('strong', {}, sentence)),
      h('p', {}, why, ' What to try:'),
      h('div', { class: 'cluster' }, buttons),
      h(
        'button',
        { type: 'button', class: 'pg-messages__close', 'aria-label': 'Dismiss this explanation', onclick: () => this.hideBanner() },
        '×',
      ),
    );
    this.banner.dataset.kind = kind;
  }

  wantsRefresh() {
    return Boolean(this.run && (this.run.needsFrame || this.wantDiag || this.wantSnapshot));
  }

  #diverged(reason) {
    this.playing = false;
    this.updatePlayButton();
    const lr = this.state.learningRate;
    const lower = Number((lr / 10).toPrecision(3));
    const actions = h(
      'div',
      { class: 'cluster' },
      h('button', { type: 'button', onclick: () => this.set('learningRate', lower) }, `Lower the learning rate to ${lower}`),
      this.state.clipNorm === 0
        ? h('button', { type: 'button', onclick: () => this.set('clipNorm', 1) }, 'Clip gradients at norm 1')
        : null,
      h('button', { type: 'button', onclick: () => this.reset() }, 'Reset the network'),
    );
    this.showBanner(
      h(
        'p',
        {},
        h('strong', {}, 'Training stopped: '),
        `${reason}. `,
        'The step was too large: the weights overshot and grew without bound. The network is kept as it was before that step, so everything stays usable.',
      ),
      h('p', {}, 'Try a lower learning rate, gradient clipping, or a smaller initialisation, then press Train again.'),
      actions,
    );
    this.banner.dataset.kind = 'diverged';
    this.wantDiag = true;
  }

  /** After the worker died: the same network on a new one, from the last snapshot. */
  async restart() {
    return this.run.restart();
  }

  updatePlayButton() {
    if (!this.playButton) return;
    this.playButton.textContent = this.playing ? '❚❚ Pause' : '▶ Train';
    this.playButton.setAttribute('aria-label', this.playing ? 'Pause training' : 'Train: start training');
    this.playButton.setAttribute('aria-pressed', String(this.playing));
  }

  // ---- Drawing ----

  render(d) {
    const run = this.run;
    const shape = dataShape(this.state);
    if (d.has('diagnostics') && run.diagnostics) {
      this.drawnDiagnostics = run.diagnostics;
      this.network.setDiagnostics(run.diagnostics);
      // Its charts only while its tab shows: showing the tab draws them (#showTab).
      this.diagnosticsView.update(run, this.colors, { charts: !this.diagTabPanel.hidden });
    }
    if (d.has('output')) {
      if (this.focusTarget) this.#updateFocus();
      // The grid side that costs about the budget at the last measured cost per pixel: bigger networks get
      // coarser maps, sharper ones when paused; never finer than the plot's CSS pixels, which is as sharp as
      // the eye can tell on the page (a 1440 px screen: 380, where the default network costs ~1.5 ms).
      const most = this.#mapSideCap();
      const side = (budget, lo) => Math.max(lo, Math.min(most, Math.floor(Math.sqrt(budget / this.heatPixelMs) / 4) * 4));
      const res = shape.dims === 1 ? 0 : this.playing ? side(HEAT_BUDGET_MS, 8) : side(REST_BUDGET_MS, 16);
      if (res !== this.heatRes && res > 0) run.needsFrame = true;
      this.heatRes = res || this.heatRes;
      const gridMs = this.output.draw(this.state, this.colors, this.heatRes, this.catalog);
      if (shape.dims === 2 && gridMs > 0 && this.state.outputMode !== 'hidden')
        this.heatPixelMs = 0.5 * this.heatPixelMs + (0.5 * gridMs) / (this.heatRes * this.heatRes);
      this.outputGridMs = gridMs;
    }
    if (d.has('points')) this.output.drawPoints(this.state, this.colors);
    if (d.has('network') && !this.netTabPanel.hidden) {
      const oneD = shape.dims === 1;
      const res = this.#unitRes(run);
      const grids = run.layers.length > 1 ? run.unitGrid(res, oneD ? 1 : res, plotBounds()) : null;
      const weights = run.weights();
      if (weights) this.network.draw(weights, grids?.data ?? null, grids?.width ?? res, oneD, this.colors);
      if (!oneD && grids) {
        const units = Math.max(
          1,
          run.layers.slice(0, -1).reduce((n, l) => n + l.units, 0),
        );
        this.unitPixelMs = 0.5 * this.unitPixelMs + (0.5 * grids.ms) / (grids.width * grids.width * units);
        this.unitGridMs = grids.ms;
      }
    }
    if (d.has('charts')) {
      const hist = run.history;
      this.chartsEmpty.hidden = hist.step.length > 1;
      this.lossChart.setData([hist.step, hist.trainLoss, hist.testLoss]);
      if (shape.problem === 'classification') this.accChart.setData([hist.step, hist.trainAccuracy, hist.testAccuracy]);
      // The step shown, when it is not the last one trained (time travel).
      const mark = run.behind > 0 ? run.step : null;
      this.lossChart.mark(mark);
      this.accChart.mark(mark);
    }
    if (d.has('time')) this.time.update(run, this.colors);
    if (d.has('counter')) {
      setPhrases(this.counter, [`Step ${count(run.step)}`, `Epoch ${count(run.epoch)}`]);
      this.time.updateStep(run); // the scrubber's step with the counter's; its strip at its own rate
      if (this.tracePanel.open) this.tracePanel.setNow(run.step);
      const m = run.latest;
      const acc = shape.problem === 'classification' ? [`Test accuracy ${percent(m.testAccuracy)}`] : [];
      setPhrases(this.lossReadout, [`Test loss ${fmt(m.testLoss)}`, `Train loss ${fmt(m.trainLoss)}`, ...acc]);
    }
  }

  // ---- Sharing ----

  #export() {
    // The network at the step shown (time travel), with the losses up to it.
    const run = this.run;
    const n = run.history.step.findLastIndex((x) => x <= run.step) + 1;
    const history = Object.fromEntries(Object.entries(run.history).map(([k, col]) => [k, col.slice(0, n)]));
    const shown = { exportModel: () => run.exportModel(), history };
    return this.exportExperiment([shown], `Exported the network at step ${count(run.step)}: its settings and trained weights.`);
  }

  /** Reads an experiment file; anything wrong leaves the current network, settings and URL as they were. */
  async #import(text, name) {
    const imported = await this.importExperiment(text, name, (parsed) => {
      const read = fromQuery(parsed.link, this.catalog);
      if (read.errors.length) throw new ExperimentError(`link: ${read.errors.map((e) => e.message).join('; ')}`);
      return { value: read.state, configs: [toConfig(read.state)], workers: [0] };
    });
    if (!imported) return;
    const [run] = imported.runs;
    await this.#startRun(imported.value, run);
    this.writeUrl();
    this.message(`Imported ${name}: the network at step ${count(run.step)}, ready to continue training.`, 'info');
  }

  /** The network as a Python script: 'pytorch' (it can train on) or 'numpy' (predictions only). */
  async #exportCode(target) {
    const name = target === 'pytorch' ? 'PyTorch' : 'NumPy';
    try {
      const model = await this.run.exportModel();
      const text = target === 'pytorch' ? pytorchScript(model, this.run.trainPoints) : numpyScript(model);
      download(new Blob([text], { type: 'text/x-python' }), `playground-${target}-${stamp()}.py`);
      this.message(`Exported the network at step ${count(this.run.step)} as a ${name} script: run it with python3.`, 'info');
    } catch (error) {
      // What the export refuses (a formula layer, a file that is not a model) is said as is, not as a failure.
      if (error instanceof ExportError) this.message(`The network could not be exported as ${name} code: ${error.message}.`, 'error');
      else this.failed(`The network could not be exported as ${name} code`, error);
    }
  }

  #exportCsv() {
    const hist = this.run.history;
    const csv = csvText(
      ['step', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'],
      [hist.step, hist.trainLoss, hist.testLoss, hist.trainAccuracy, hist.testAccuracy],
    );
    download(new Blob([csv], { type: 'text/csv' }), `playground-metrics-${stamp()}.csv`);
  }

  /** The output map as drawn: the map under the points, the axes and the background. */
  async #saveOutput() {
    const { heat, overlay, plot } = this.output;
    const out = document.createElement('canvas');
    const shown = this.output.hidden.el.hidden ? null : this.output.hidden.canvas;
    if (shown) {
      out.width = shown.width;
      out.height = shown.height;
      const c = out.getContext('2d');
      c.fillStyle = this.colors.surface;
      c.fillRect(0, 0, out.width, out.height);
      c.drawImage(shown, 0, 0);
      try {
        download(await canvasBlob(out), `hidden-space-${stamp()}.png`);
      } catch (error) {
        this.message(`The picture could not be saved: ${error.message}`, 'error');
      }
      return;
    }
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
      this.message(`The map could not be saved: ${error.message}`, 'error');
    }
  }

  // ---- Test hook: read-only views of what the page holds ----

  #exposeTestHook() {
    const app = this;
    this.exposeTestHook('__playground', {
      get state() {
        return structuredClone(app.state);
      },
      /** undefined until the first network is made (in the engine's worker). */
      get step() {
        return app.run?.step;
      },
      get divergence() {
        return app.run?.divergence ?? '';
      },
      get heatRes() {
        return app.heatRes;
      },
      /** The worker's milliseconds for the last round's grids (the output map, or it with its regions). */
      get gridMs() {
        return app.outputGridMs ?? 0;
      },
      /** How many training and test points the run has: what the hidden space plots. */
      get pointCounts() {
        return app.run ? { train: app.run.trainPoints.length / 3, test: app.run.testPoints.length / 3 } : null;
      },
      /** The loss history's first n samples (every step for the first 100 steps). */
      losses(n = Infinity) {
        const h2 = app.run.history;
        const k = Math.min(n, h2.step.length);
        return { step: h2.step.slice(0, k), trainLoss: h2.trainLoss.slice(0, k), testLoss: h2.testLoss.slice(0, k) };
      },
      diagnostics() {
        return structuredClone(app.run.diagnostics);
      },
      /** The weight or bias the diagram's keyboard focus is on: { index, kind } (the core's arena index). */
      parameter() {
        const p = app.network.params?.[app.network.current];
        return p ? { index: p.index, kind: p.kind } : null;
      },
      /** Copies of the network's parameters (as of the last round) and its prediction over a grid. */
      weights() {
        return Array.from(app.run.weights() ?? []);
      },
      async heatmap(grid) {
        return Array.from(await app.run.heatmap(grid));
      },
      /** The core's linear regions over a grid now: { regions, patterns } (layers: the first k; 0: all). */
      async regionMap(grid, layers = 0) {
        const r = await app.run.regionMap(grid, layers);
        return { regions: r.regions, patterns: Array.from(r.patterns) };
      },
      /** The trace on show: { point, step, loss, stage, stages, ... } with plain arrays, or null. */
      trace() {
        const t = app.traced?.trace;
        return t ? { ...plainTrace(t), stage: app.tracePanel.stage, stages: app.tracePanel.stages, playing: app.tracePanel.playing } : null;
      },
      /** Where training point i is on screen (client pixels) and the point: { x, y, point: { x1, x2, label } }. */
      trainPointOnScreen(i) {
        return app.output.trainPointOnScreen(i);
      },
      /** The engine's trace op on the current weights, for a point { x1, x2, label }: plain arrays. */
      async tracePoint(point) {
        return plainTrace(await app.run.trace(point));
      },
      /**
       * Makes training pause exactly at step n (the rounds before it train no further), so a test reads the
       * network at the step a claim names however slow the machine is.
       */
      pauseAt(n) {
        app.pauseAtStep = n;
      },
      /** Time travel: shows step n (as the scrubber does); resolves true once it is shown. */
      seek(n) {
        return app.scrubTo(n);
      },
      /** The core's snapshot figures: { head, earliest, every, kept, bytes, budget, units, events }. */
      get timeline() {
        return structuredClone(app.run?.timeline ?? null);
      },
      unitEvents() {
        return Array.from(app.run?.unitEvents ?? []);
      },
    });
  }
}
