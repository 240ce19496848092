// Race mode: 2 to 4 networks trained side by side on the same data from the same seed, differing in one
// setting (activation, optimizer, learning rate or initialisation). A view on the shared shell (ToolView):
// each network is a RemoteRun on one of the engine's workers (one per core the browser has to spare); each
// round advances them in lock-step (the same steps each) and brings back one map in turn, so four networks
// stay smooth. The state lives in the URL ('#/race?...', race/link.js).
import '../../css/playground.css';
import '../../css/race.css';
import {
  BATCH_SIZES,
  FORMULA,
  DATASETS,
  INITS,
  OPTIMIZERS,
  dataShape,
  property,
  toConfig,
  toQuery,
  withActivation,
  withLayerCount,
  withValue,
} from '../state.js';
import {
  MAX_RUNS,
  MAX_SEEDS,
  MIN_RUNS,
  RACE_LENGTHS,
  RACE_PACES,
  RACE_PACE_LABELS,
  RACE_VARIES,
  defaultRuns,
  raceFromQuery,
  raceRunState,
  raceToQuery,
} from './link.js';
import { RemoteRun } from '../engine/remote-run.js';
import { hashFor } from '../router.js';
import { seriesColor, currentTheme } from '../palette.js';
import { h, select, setOptions, setPhrases, uid } from '../shell/dom.js';
import { activationLabel, count, datasetLabel, fmt, initLabel, optimizerLabel, percent } from '../shell/format.js';
import { LineChart } from '../shell/charts.js';
import { ToolView } from '../shell/tool-view.js';
import { stepsOwed } from '../shell/pace.js';
import { RaceMap } from './race-map.js';
import { raceSeeds, summary } from './seeds.js';
import { StepTimer } from './step-timer.js';
import { ExperimentError } from '../experiment.js';
import { canvasBlob, csvText, download, stamp } from '../share.js';

const MAP_BUDGET_MS = 2.5; // one map per frame while training (worker time)
const REST_BUDGET_MS = 40; // all maps together when paused
const DIAGNOSE_EVERY = 8; // rounds between two runs' dead-unit counts while training
const SNAPSHOT_EVERY_MS = 2000; // how often each network's restart point comes back while racing
const WARM_UP_STEPS = 100; // steps left out of the time per step: the first ones pay for cold caches
const ACCURACY_GOAL = 0.9;
const SPEED_LABELS = RACE_PACE_LABELS;

const SHOW_LABELS = { test: 'Test loss', train: 'Training loss', acc: 'Test accuracy' };

function runLabel(vary, value) {
  if (vary === 'act') return activationLabel(value);
  if (vary === 'opt') return optimizerLabel(value);
  if (vary === 'init') return initLabel(value);
  return `Learning rate ${value}`;
}

export function mount(section, { engine, router, pool }) {
  const app = new RaceApp(section, engine, router, pool);
  return { show: (query) => app.show(query), hide: () => app.hide() };
}

class RaceApp extends ToolView {
  constructor(section, engine, router, pool) {
    super({ section, engine, pool, router, route: 'race', workName: 'race' });
    this.allParts = ['charts', 'table', 'counter', 'maps'];
    this.timeTravel = false; // a race shows each network's latest step only
    this.race = null;
    // Each network trains on race.seeds seeds: groups[i] holds network i's runs, one per seed (the race's own
    // seed first); runs[i] = groups[i][0], the run its map shows; all = every run, network by network.
    this.groups = [];
    this.runs = []; // RemoteRun per network (its first seed)
    this.all = []; // every RemoteRun, groups flattened
    this.maps = []; // RaceMap per network
    this.facts = []; // per run of `all`: { reach, scanned, dead, units, timer, msPerStep }
    this.round = 0;
    this.mapTurn = 0;
    this.diagTurn = 0;
    this.heatPixelMs = 1e-4;
    this.lastSnapshotAt = 0;
    this.opening = 0;
    this.partMs = {};
    this.#build();
    this.#exposeTestHook();
  }

  themeChanged() {
    this.#buildChart();
    this.#layoutRuns();
  }

  // ---- Layout ----

  #build() {
    this.playButton = h('button', { type: 'button', class: 'primary pg-play', onclick: () => this.togglePlay() });
    this.stepButton = h(
      'button',
      { type: 'button', onclick: () => this.stepOnce(), 'aria-label': 'Step: train every network one step' },
      'Step ›',
    );
    this.resetButton = h(
      'button',
      { type: 'button', onclick: () => this.reset(), 'aria-label': 'Reset every network to the shared initial weights' },
      '⟲ Reset',
    );
    this.speed = select(
      'Speed',
      SPEED_LABELS.map((t, i) => [String(i + 1), t]),
      (v) => this.#setBase('speed', Number(v)),
    );
    this.length = select(
      'Race length',
      RACE_LENGTHS.map((n) => [String(n), n ? `${count(n)} steps` : 'Until paused']),
      (v) => this.#setRace({ length: Number(v) }),
    );
    this.counter = h('p', { class: 'pg-counter', 'aria-live': 'off' });
    this.finish = h('p', { class: 'pg-readout small', 'aria-live': 'polite' });

    const share = this.shareBar({
      className: 'race-share',
      exportLabel: "the race's settings and every network's trained weights",
      importLabel: 'a race saved by Export JSON',
      csvLabel: "every network's losses and accuracy",
      onExport: () => this.#export(),
      onImport: (text, name) => this.#import(text, name),
      onCsv: () => this.#exportCsv(),
      copied: 'Link copied: it opens this race with the same settings and seed, so the same networks.',
    });
    const toolbar = h(
      'div',
      { class: 'pg-toolbar panel race-toolbar', 'data-control': 'toolbar' },
      h('div', { class: 'cluster' }, this.resetButton, this.playButton, this.stepButton),
      h('div', { class: 'pg-toolbar__speed cluster' }, this.length.field, this.speed.field),
      h('div', { class: 'pg-toolbar__status' }, this.counter, this.finish),
      share,
    );

    // The settings: what differs between the networks, then what they share.
    this.vary = select(
      'Compare',
      RACE_VARIES.map((v) => [v.key, v.label]),
      (v) => this.#changeVary(v),
    );
    this.runList = h('ol', { class: 'race-runs' });
    this.addButton = h('button', { type: 'button', onclick: () => this.#addRun() }, '+ Network');
    this.dataset = select(
      'Data',
      DATASETS.filter((d) => d.name !== 'custom').map((d) => [d.name, datasetLabel(d.name).replace('\u00ad', '')]),
      (v) => this.#setBase('dataset', v),
    );
    this.layersInput = h('input', {
      type: 'text',
      id: uid('layers'),
      inputmode: 'numeric',
      spellcheck: 'false',
      autocomplete: 'off',
      onchange: () => this.#setLayers(),
    });
    this.activation = select('Activation (every layer)', this.#activationOptions(), (v) => this.#setActivation(v));
    // The user's own activation, shown when a network uses it: its text (the core checks it) and a, b.
    this.formulaError = h('p', { id: uid('formula-error'), class: 'field-error small', 'aria-live': 'polite' });
    this.formulaInput = h('input', {
      type: 'text',
      id: uid('formula'),
      spellcheck: 'false',
      autocomplete: 'off',
      maxlength: this.catalog.limits.maxFormulaLength,
      'aria-describedby': this.formulaError.id,
      onchange: () => this.#setFormula(),
    });
    const formulaParam = (key) =>
      h('input', {
        type: 'number',
        id: uid(`formula-${key}`),
        step: 0.1,
        min: this.catalog.ranges.formulaParam.min,
        max: this.catalog.ranges.formulaParam.max,
        onchange: (e) => this.#setFormulaParam(key, e.target),
      });
    this.formulaA = formulaParam('a');
    this.formulaB = formulaParam('b');
    this.formulaField = h(
      'div',
      { class: 'pg-field race-formula', hidden: true },
      h('label', { class: 'pg-field__label', for: this.formulaInput.id }, 'Your own formula f(x) ='),
      this.formulaInput,
      this.formulaError,
      h(
        'div',
        { class: 'pg-row' },
        h('label', { for: this.formulaA.id }, 'a '),
        this.formulaA,
        h('label', { for: this.formulaB.id }, 'b '),
        this.formulaB,
      ),
    );
    this.optimizer = select(
      'Optimizer',
      OPTIMIZERS.map((o) => [o, optimizerLabel(o)]),
      (v) => this.#setBase('optimizer', v),
    );
    this.learningRate = select(
      'Learning rate',
      this.catalog.learningRates.map((r) => [String(r), String(r)]),
      (v) => this.#setBase('learningRate', Number(v)),
    );
    this.init = select(
      'Initialisation',
      INITS.map((i) => [i, initLabel(i)]),
      (v) => this.#setBase('init', v),
    );
    this.batch = select(
      'Batch size',
      BATCH_SIZES.map((b) => [String(b), String(b)]),
      (v) => this.#setBase('batchSize', Number(v)),
    );
    this.seedsSelect = select(
      'Seeds per network',
      Array.from({ length: MAX_SEEDS }, (_, k) => [String(k + 1), String(k + 1)]),
      (v) => this.#setRace({ seeds: Number(v) }),
    );
    this.seedInput = h('input', {
      type: 'number',
      id: uid('seed'),
      min: 0,
      max: property('seed').max,
      step: 1,
      inputmode: 'numeric',
      onchange: () => this.#setSeed(),
    });
    const settings = h(
      'section',
      { class: 'panel race-settings', 'aria-labelledby': 'race-settings-title', 'data-control': 'setup' },
      h('h2', { id: 'race-settings-title' }, 'Settings'),
      this.vary.field,
      h('p', { class: 'small muted', id: 'race-runs-hint' }, 'Each network takes one value; all else is shared.'),
      this.runList,
      this.addButton,
      h('h3', { class: 'race-settings__sub' }, 'Shared by every network'),
      this.dataset.field,
      h(
        'div',
        { class: 'pg-field' },
        h('label', { class: 'pg-field__label', for: this.layersInput.id }, 'Hidden layers (units, comma-separated)'),
        this.layersInput,
      ),
      this.activation.field,
      this.formulaField,
      this.optimizer.field,
      this.learningRate.field,
      this.init.field,
      this.batch.field,
      h(
        'div',
        { class: 'pg-row' },
        h('div', { class: 'pg-field' }, h('label', { class: 'pg-field__label', for: this.seedInput.id }, 'Seed'), this.seedInput),
        h('button', { type: 'button', onclick: () => this.#setBase('seed', crypto.getRandomValues(new Uint32Array(1))[0]) }, 'New seed'),
      ),
      h(
        'p',
        { class: 'small muted' },
        'The same seed gives every network the same data, the same batches and the same initial weights (unless initialisation is what differs). Other settings follow the link: open a network in the Playground to change them there.',
      ),
      this.seedsSelect.field,
      h(
        'p',
        { class: 'small muted' },
        'With more than one, each network also trains on the next seeds (seed + 1, seed + 2, …), so one lucky seed does not decide the race: the curves show the median of its runs with a band from the lowest to the highest, and the table the median with the range in brackets.',
      ),
    );

    this.mapRow = h('div', { class: 'race-maps' });
    this.saveMaps = h(
      'button',
      { type: 'button', class: 'small', onclick: () => this.#saveMaps(), 'aria-label': 'PNG of the output maps' },
      'PNG',
    );
    const mapsPanel = h(
      'section',
      { class: 'panel race-maps-panel', 'aria-labelledby': 'race-maps-title', 'data-control': 'maps' },
      h('div', { class: 'pg-charts__head' }, h('h2', { id: 'race-maps-title' }, 'What each network predicts'), this.saveMaps),
      this.mapRow,
      (this.mapsNote = h('p', { class: 'small muted race-maps-note', hidden: true })),
    );

    this.showSelect = select('Curve', Object.entries(SHOW_LABELS), (v) => this.#setRace({ show: v }));
    this.logScale = h('input', { type: 'checkbox', onchange: () => this.#setBase('logScale', this.logScale.checked) });
    this.chartHost = h('div', { class: 'race-chart' });
    this.chartEmpty = h('p', { class: 'small muted' }, 'The curves start when the race does: press ▶ Race or Step.');
    const chartPanel = h(
      'section',
      { class: 'panel pg-charts race-chart-panel', 'aria-labelledby': 'race-chart-title', 'data-control': 'curves' },
      h(
        'div',
        { class: 'pg-charts__head' },
        h('h2', { id: 'race-chart-title' }, 'Curves'),
        h('div', { class: 'cluster' }, this.showSelect.field, h('label', { class: 'check small' }, this.logScale, 'Log scale')),
      ),
      this.chartEmpty,
      this.chartHost,
    );

    this.table = h('table', { class: 'race-table' });
    const tablePanel = h(
      'section',
      { class: 'panel race-table-panel', 'aria-labelledby': 'race-table-title', 'data-control': 'results' },
      h('h2', { id: 'race-table-title' }, 'Results'),
      h(
        'div',
        { class: 'race-table__wrap scroll-region', tabindex: '0', role: 'region', 'aria-label': 'Race results table (scrolls sideways)' },
        this.table,
      ),
      h(
        'p',
        { class: 'small muted' },
        'Steps to 90%: the first recorded step with test accuracy of at least 90% (recorded every step up to 100, then every 5, 20, 100 steps). Dead units output 0 for every training point (counted for ReLU, ReLU6 and the binary step, whose units can die; – for the others). Time per step: what one training step costs when the network has the processor, measured in this browser (the quickest tenth of its recent rounds, so other work on the machine does not count).',
      ),
    );

    const intro = h(
      'p',
      { class: 'pg-intro' },
      'Train two to four networks side by side: the same data, the same seed and the same initial weights, with only one setting changed. Press ',
      h('strong', {}, '▶ Race'),
      ' and see which learns first.',
    );

    this.layout = h(
      'div',
      { class: 'race-layout' },
      h('div', { class: 'race-col race-col--main' }, mapsPanel, chartPanel, tablePanel),
      h('div', { class: 'race-col race-col--side' }, settings),
    );
    this.section.replaceChildren(
      h(
        'div',
        { class: 'pg race' },
        h('h1', { class: 'visually-hidden' }, 'Activation race'),
        intro,
        toolbar,
        this.messages,
        this.banner,
        this.layout,
      ),
    );
    this.resizeObserver = new ResizeObserver(() => this.#resize());
    this.resizeObserver.observe(this.layout);
    this.updatePlayButton();
  }

  #buildChart() {
    if (!this.race) return;
    const show = this.race.show;
    this.chart?.destroy();
    const seeds = this.race.seeds;
    // Curves that coincide (ReLU and leaky ReLU early on) stay visible: every other one is dashed. On several
    // seeds each network's line is its median, with two band edges (lowest, highest) after it.
    const series = [];
    this.race.runs.forEach((v, i) => {
      const label = runLabel(this.race.vary, v);
      const line = series.length;
      series.push({ label: seeds > 1 ? `${label}, median of ${seeds} seeds` : label, dash: i % 2 ? [7, 4] : undefined, color: i });
      if (seeds > 1)
        series.push({ label: `${label}, lowest`, color: i, edgeOf: line }, { label: `${label}, highest`, color: i, edgeOf: line });
    });
    this.chart = new LineChart({
      title: SHOW_LABELS[show],
      series,
      percent: show === 'acc',
      log: show !== 'acc' && this.race.base.logScale,
      height: 220,
      saveAs: `race-${show === 'acc' ? 'accuracy' : `${show}-loss`}`,
    });
    this.chartHost.replaceChildren(this.chart.el);
    this.chart.resize(this.chartHost.clientWidth || 320);
    this.chart.rebuild(this.colors);
    this.dirty.add('charts');
  }

  #resize() {
    this.chart?.resize(this.chartHost.clientWidth);
    const n = Math.max(1, this.maps.length);
    const width = this.mapRow.clientWidth;
    const gap = 12;
    const perRow = width < 420 ? 2 : n;
    const size = Math.min(240, Math.floor((width - gap * (perRow - 1)) / perRow) - 2);
    for (const m of this.maps) m.resize(size);
    this.markAll();
  }

  // ---- Links (ToolView) ----

  parseLink(query) {
    const { race, errors } = raceFromQuery(query, this.catalog);
    return { value: race, errors };
  }

  hasWork() {
    return this.runs.length > 0;
  }

  open(race) {
    return this.act(() => this.#openRace(race));
  }

  async #openRace(race) {
    this.pause();
    if (!(await this.#start(race)) && !this.runs.length) await this.#start(raceFromQuery('', this.catalog).race);
    this.writeUrl();
  }

  // ---- State changes ----

  #setBase(name, value) {
    const base = withValue(this.race.base, this.catalog, name, value);
    if (name === 'speed' || name === 'logScale') {
      this.race = { ...this.race, base };
      this.#syncControls();
      if (name === 'logScale') this.#buildChart();
      this.writeUrl();
      this.markAll();
      return;
    }
    this.#commit({ ...this.race, base });
  }

  #setRace(patch) {
    const next = { ...this.race, ...patch };
    if (patch.show !== undefined || patch.length !== undefined) {
      this.race = next;
      if (patch.show !== undefined) this.#buildChart();
      this.#syncControls();
      this.writeUrl();
      this.markAll();
      return;
    }
    this.#commit(next);
  }

  #setActivation(name) {
    let base = this.race.base;
    for (let l = 0; l < base.layers.length; ++l) base = withActivation(base, this.catalog, l, name);
    this.#commit({ ...this.race, base });
  }

  #activationOptions() {
    return [...this.catalog.activations.map((a) => [a, activationLabel(a)]), [FORMULA, `${activationLabel(FORMULA)}…`]];
  }

  // Every layer's formula (a race shares one); a refused text stays in the field with the core's message.
  #setFormula() {
    const text = this.formulaInput.value;
    const problem = this.catalog.validateFormula(text);
    this.formulaInput.setAttribute('aria-invalid', String(problem !== ''));
    this.formulaError.textContent = problem ? `Not applied: ${problem}.` : '';
    if (problem) return;
    this.#setBase(
      'formulas',
      this.race.base.layers.map(() => text),
    );
  }

  #setFormulaParam(key, input) {
    const v = Number(input.value);
    const { min, max } = this.catalog.ranges.formulaParam;
    const name = key === 'a' ? 'formulaAs' : 'formulaBs';
    if (input.value.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
      this.message(
        `${key} of the formula must be a number from ${min} to ${max}; got "${input.value}". Kept ${this.race.base[name][0]}.`,
        'error',
      );
      input.value = String(this.race.base[name][0]);
      return;
    }
    this.#setBase(
      name,
      this.race.base.layers.map(() => v),
    );
  }

  #setLayers() {
    const text = this.layersInput.value.trim();
    const parts = text === '' ? [] : text.split(/\s*,\s*/);
    const p = property('layers');
    const units = parts.map(Number);
    const bad = units.findIndex((u) => !Number.isInteger(u) || u < p.min || u > p.max);
    if (parts.length > p.maxLength || bad >= 0) {
      this.message(
        parts.length > p.maxLength
          ? `Hidden layers: at most ${p.maxLength} layers; got ${parts.length}. Kept ${this.race.base.layers.join(',')}.`
          : `Hidden layers: layer ${bad + 1} must have ${p.min} to ${p.max} units; got "${parts[bad]}". Kept ${this.race.base.layers.join(',')}.`,
        'error',
      );
      this.layersInput.value = this.race.base.layers.join(',');
      return;
    }
    let base = withLayerCount(this.race.base, this.catalog, units.length);
    base = withValue(base, this.catalog, 'layers', units);
    this.#commit({ ...this.race, base });
  }

  #setSeed() {
    const v = Number(this.seedInput.value);
    const p = property('seed');
    if (this.seedInput.value.trim() === '' || !Number.isInteger(v) || v < p.min || v > p.max) {
      this.message(
        `Seed must be a whole number from ${p.min} to ${p.max}; got "${this.seedInput.value}". Kept ${this.race.base.seed}.`,
        'error',
      );
      this.seedInput.value = String(this.race.base.seed);
      return;
    }
    this.#setBase('seed', v);
  }

  #changeVary(vary) {
    this.#commit({ ...this.race, vary, runs: defaultRuns(vary, this.race.base) });
  }

  #setRunValue(i, value) {
    const runs = [...this.race.runs];
    runs[i] = value;
    this.#commit({ ...this.race, runs });
  }

  #addRun() {
    if (this.race.runs.length >= MAX_RUNS) return;
    const pool = defaultRuns(this.race.vary, this.race.base);
    const next = pool.find((v) => !this.race.runs.includes(v)) ?? this.race.runs.at(-1);
    this.#commit({ ...this.race, runs: [...this.race.runs, next] });
  }

  #removeRun(i) {
    if (this.race.runs.length <= MIN_RUNS) return;
    this.#commit({ ...this.race, runs: this.race.runs.filter((_, k) => k !== i) });
  }

  /** Restarts the race with new settings; on the core's refusal, says why and keeps the race as it was. */
  #commit(next) {
    return this.act(() => this.#restart(next));
  }

  async #restart(next) {
    const wasPlaying = this.playing;
    this.pause();
    if (!(await this.#start(next))) {
      this.#syncControls();
      return false;
    }
    this.writeUrl();
    if (wasPlaying) this.play();
    return true;
  }

  /** The engine workers the race's networks train on: network i on worker i mod k, one core each. */
  #workers(n) {
    return Array.from({ length: this.pool.raceWorkers(n) }, (_, k) => k);
  }

  /** New runs for a race state (all or nothing), spread over the engine's workers. */
  async #start(race) {
    const ticket = ++this.opening;
    const configs = this.#configs(race);
    const workers = this.#workers(configs.length);
    const made = await Promise.allSettled(
      configs.map((config, j) => RemoteRun.create(this.pool, workers[j % workers.length], config, { timeTravel: this.timeTravel })),
    );
    const runs = made.filter((m) => m.status === 'fulfilled').map((m) => m.value);
    const refused = made.find((m) => m.status === 'rejected');
    if (refused || ticket !== this.opening) {
      for (const r of runs) r.dispose();
      if (refused) this.failed('That setting was not applied', refused.reason);
      return false;
    }
    this.#install(race, runs);
    return true;
  }

  /** Every run's config, network by network, seed by seed (the order of `all`). */
  #configs(race) {
    return race.runs.flatMap((_, i) => Array.from({ length: race.seeds }, (_, k) => toConfig(raceRunState(race, this.catalog, i, k))));
  }

  #install(race, all) {
    for (const r of this.all) r.dispose();
    this.race = race;
    this.all = all;
    this.groups = race.runs.map((_, i) => all.slice(i * race.seeds, (i + 1) * race.seeds));
    this.runs = this.groups.map((g) => g[0]);
    this.shape = dataShape(race.base);
    this.heatPixelMs = 2e-5 + all[0].params * 1.5e-6;
    this.facts = all.map(() => ({ reach: null, scanned: 0, dead: null, units: 0, timer: new StepTimer(WARM_UP_STEPS) }));
    this.wantDiagAll = true;
    this.#layoutRuns();
    this.#buildChart();
    this.#syncControls();
    this.markAll();
    this.pump(true);
    if (this.playWhenReady) {
      this.playWhenReady = false;
      this.play();
    }
  }

  #layoutRuns() {
    const theme = currentTheme();
    this.maps = this.runs.map((run, i) => {
      const state = raceRunState(this.race, this.catalog, i);
      const map = new RaceMap(
        runLabel(this.race.vary, this.race.runs[i]),
        seriesColor(i, theme),
        hashFor('playground', toQuery(state, this.catalog)),
      );
      map.setRun(run, this.shape, state.head);
      return map;
    });
    this.mapRow.replaceChildren(...this.maps.map((m) => m.el));
    this.mapRow.dataset.count = String(this.maps.length);
    this.mapsNote.hidden = this.race.seeds === 1;
    this.mapsNote.textContent = `Each map shows the network's run on the first seed, ${this.race.base.seed}; the curves and the table take all ${this.race.seeds} seeds (${raceSeeds(this.race.base.seed, this.race.seeds, property('seed').max).join(', ')}).`;
    this.#resize();
  }

  #syncControls() {
    const r = this.race;
    const b = r.base;
    this.vary.el.value = r.vary;
    this.length.el.value = String(r.length);
    this.seedsSelect.el.value = String(r.seeds);
    this.speed.el.value = String(b.speed);
    this.showSelect.el.value = r.show;
    this.logScale.checked = b.logScale;
    this.logScale.disabled = r.show === 'acc';
    setOptions(
      this.dataset.el,
      DATASETS.filter((d) => d.name !== 'custom').map((d) => [d.name, datasetLabel(d.name).replace('\u00ad', '')]),
      b.dataset,
    );
    if (document.activeElement !== this.layersInput) this.layersInput.value = b.layers.join(',');
    setOptions(this.activation.el, this.#activationOptions(), b.activations[0] ?? 'relu');
    const usesFormula = r.vary === 'act' ? r.runs.includes(FORMULA) : b.activations.includes(FORMULA);
    this.formulaField.hidden = !usesFormula || b.layers.length === 0;
    if (document.activeElement !== this.formulaInput && this.formulaInput.getAttribute('aria-invalid') !== 'true')
      this.formulaInput.value = b.formulas[0] ?? '';
    this.formulaA.value = String(b.formulaAs[0] ?? 1);
    this.formulaB.value = String(b.formulaBs[0] ?? 1);
    this.optimizer.el.value = b.optimizer;
    setOptions(
      this.learningRate.el,
      this.catalog.learningRates.map((x) => [String(x), String(x)]),
      String(b.learningRate),
    );
    this.init.el.value = b.init;
    setOptions(
      this.batch.el,
      BATCH_SIZES.map((x) => [String(x), String(x)]),
      String(b.batchSize),
    );
    this.seedInput.value = String(b.seed);
    // The varied setting is set per network, in the list above.
    const hidden = { act: this.activation, opt: this.optimizer, lr: this.learningRate, init: this.init };
    for (const [key, field] of Object.entries(hidden)) field.field.hidden = key === r.vary;
    this.activation.field.hidden ||= b.layers.length === 0;
    this.#syncRunList();
    this.addButton.disabled = r.runs.length >= MAX_RUNS;
  }

  #syncRunList() {
    const r = this.race;
    const theme = currentTheme();
    const items = r.runs.map((value, i) => {
      const label = `Network ${i + 1}`;
      let control;
      if (r.vary === 'lr') {
        const input = h('input', {
          type: 'number',
          min: 0,
          max: property('learningRate').max,
          step: 'any',
          inputmode: 'decimal',
          value: String(value),
          'aria-label': `${label}: learning rate`,
        });
        input.addEventListener('change', () => {
          const v = Number(input.value);
          const p = property('learningRate');
          if (input.value.trim() === '' || !Number.isFinite(v) || v < p.min || v > p.max) {
            this.message(
              `${label}: the learning rate must be a number from ${p.min} to ${p.max}; got "${input.value}". Kept ${value}.`,
              'error',
            );
            input.value = String(value);
            return;
          }
          this.#setRunValue(i, v);
        });
        control = input;
      } else {
        const options =
          r.vary === 'act'
            ? this.#activationOptions()
            : r.vary === 'opt'
              ? OPTIMIZERS.map((o) => [o, optimizerLabel(o)])
              : INITS.map((x) => [x, initLabel(x)]);
        control = h(
          'select',
          {
            'aria-label': `${label}: ${RACE_VARIES.find((v) => v.key === r.vary).label.toLowerCase()}`,
            onchange: (e) => this.#setRunValue(i, e.target.value),
          },
          options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)),
        );
      }
      return h(
        'li',
        { class: 'race-run' },
        h('span', { class: 'race-swatch', style: { background: seriesColor(i, theme) }, 'aria-hidden': 'true' }),
        control,
        h(
          'button',
          {
            type: 'button',
            class: 'race-run__remove',
            'aria-label': `Remove network ${i + 1}`,
            disabled: r.runs.length <= MIN_RUNS,
            onclick: () => this.#removeRun(i),
          },
          '×',
        ),
      );
    });
    const focused = this.runList.contains(document.activeElement)
      ? [...this.runList.querySelectorAll('select, input')].indexOf(document.activeElement)
      : -1;
    this.runList.replaceChildren(...items);
    if (focused >= 0) this.runList.querySelectorAll('select, input')[focused]?.focus();
  }

  writeUrl() {
    if (!this.race) return;
    const query = raceToQuery(this.race, this.catalog);
    this.lastQuery = query.toString();
    // A change that finishes after the user went to another view (the engine replies late) must not take
    // the address bar back.
    if (this.router.current.route === this.route) this.router.replace('race', query);
  }

  // ---- Training ----

  #active() {
    const len = this.race.length;
    return this.all.filter((r) => !r.divergence && (len === 0 || r.step < len));
  }

  play() {
    if (!this.runs.length) {
      // Race pressed while the networks are still being made: it starts as soon as they are there.
      this.playWhenReady = true;
      return;
    }
    if (!this.#active().length) {
      this.message(
        `Every network has finished its ${count(this.race.length)} steps. Reset to race again, or choose a longer race.`,
        'info',
      );
      return;
    }
    this.pace = null; // the pace's clock starts now
    super.play();
  }

  pause() {
    const was = this.playing;
    super.pause();
    // Stop level: the networks a round left behind catch up, and every number shown is at the same step.
    if (was && this.runs.length) {
      this.wantLevel = true;
      this.wantDiagAll = true;
      this.pump(true);
    }
  }

  stepOnce() {
    return this.act(() => this.#stepOnce());
  }

  async #stepOnce() {
    if (this.engineDown) return;
    const active = this.#active();
    const results = await Promise.allSettled(active.map((run) => run.frame({ steps: 1, diagnostics: 2, model: true })));
    results.forEach((r, k) => {
      if (r.status === 'rejected') this.failed('That step failed', r.reason);
      else if (r.value.diverged) this.#diverged(active[k]);
    });
    this.all.forEach((run, j) => this.#noteDiagnostics(run, j));
    this.markAll();
  }

  reset() {
    return this.#commit({ ...this.race });
  }

  #diverged(run) {
    const j = this.all.indexOf(run);
    const i = Math.floor(j / this.race.seeds);
    const seed = this.race.seeds > 1 ? ` (seed ${run.config.seed})` : '';
    this.message(
      `${runLabel(this.race.vary, this.race.runs[i])}${seed} stopped at step ${count(run.step)}: ${run.divergence}. Its weights grew without bound; the others race on.`,
      'error',
    );
  }

  updatePlayButton() {
    if (!this.playButton) return;
    this.playButton.textContent = this.playing ? '❚❚ Pause' : '▶ Race';
    this.playButton.setAttribute('aria-label', this.playing ? 'Pause the race' : 'Race: start the race');
    this.playButton.setAttribute('aria-pressed', String(this.playing));
  }

  usesWorker(k) {
    return this.all.some((r) => r.workerIndex === k);
  }

  wantsRefresh() {
    return Boolean(this.wantLevel || this.wantDiagAll || this.all.some((r) => r.needsFrame));
  }

  /**
   * One round: every active network the same number of steps (lock-step), within a frame's budget. Networks
   * on different workers train at the same time; those sharing a worker split the budget by their cost
   * per step. One network's map and, every few rounds, one network's dead-unit count come back with it.
   */
  async advance(budgetMs) {
    const all = this.all;
    const runs = this.runs;
    const active = this.#active();
    const training = this.playing && active.length > 0;
    const level = this.wantLevel;
    this.wantLevel = false;
    const diagAll = this.wantDiagAll;
    this.wantDiagAll = false;
    let target = 0;
    if (training) {
      const perWorker = new Map();
      for (const r of active) perWorker.set(r.workerIndex, (perWorker.get(r.workerIndex) ?? 0) + r.stepMs);
      const slowest = Math.max(...perWorker.values());
      const lowest = Math.min(...active.map((r) => r.step));
      const pace = stepsOwed(this, RACE_PACES[this.race.base.speed - 1], lowest);
      const n = pace !== null ? pace : Math.max(1, Math.floor(budgetMs / slowest));
      target = lowest + n;
      // A round ends where the time per step starts being timed, or a fast machine can train a whole short
      // race in one round and leave nothing timed after the warm-up (step-timer.js).
      if (lowest < WARM_UP_STEPS) target = Math.min(target, WARM_UP_STEPS);
      if (this.race.length) target = Math.min(target, this.race.length);
    } else if (level && active.length) {
      target = Math.max(...active.map((r) => r.step));
    }
    const now = performance.now();
    const snapshot = training && now - this.lastSnapshotAt > SNAPSHOT_EVERY_MS;
    if (snapshot) this.lastSnapshotAt = now;
    const diagTurn = this.round % DIAGNOSE_EVERY === 0 ? this.diagTurn++ % all.length : -1;
    const mapTurn = this.mapTurn++ % runs.length;
    this.round += 1;
    const res = this.#mapRes();
    const requests = all.map((run, j) => {
      // i: the network whose map this run draws (its first seed's run), else -1.
      const i = j % this.race.seeds === 0 ? j / this.race.seeds : -1;
      if (i >= 0 && (i === mapTurn || this.dirty.has('maps') || run.needsFrame)) this.maps[i]?.want(res);
      const need = active.includes(run) ? Math.max(0, target - run.step) : 0;
      const diagnostics = diagAll || j === diagTurn ? 2 : 0;
      if (need === 0 && !diagnostics && !run.needsFrame && !snapshot && (i < 0 || i !== mapTurn)) return null;
      // Each network's share of the budget follows its cost on its worker (the step count above already
      // fits the budget; the share only stops a mis-estimate from overrunning the frame).
      const onWorker = active.filter((r) => r.workerIndex === run.workerIndex).reduce((t, r) => t + r.stepMs, 0) || run.stepMs;
      return run
        .frame({
          budgetMs: need > 0 ? Math.max(1, (training ? 1.2 * budgetMs : 100) * (run.stepMs / onWorker)) : 0,
          maxSteps: need,
          diagnostics,
          model: snapshot || !training,
        })
        .then((r) => {
          if (r.diverged) this.#diverged(run);
          if (diagnostics) this.#noteDiagnostics(run, j);
          return i;
        });
    });
    const done = (await Promise.all(requests.filter(Boolean))).filter((i) => i >= 0);
    if (all !== this.all) return;
    this.dirty.add('counter');
    // Curves at 15 Hz and the table at 6 Hz are smooth enough to read, and leave the frame to the maps.
    if (!training || this.round % 4 === 0) this.dirty.add('charts');
    if (!training || this.round % 10 === 0) this.dirty.add('table');
    for (const i of done) this.dirty.add(`map${i}`);
    for (const [j, run] of all.entries()) this.#noteTime(run, j);
    // A stop-level round that left a network behind (its budget ran out) asks for another, a few at most.
    if (level && !training) {
      const steps = this.#active().map((r) => r.step);
      if (steps.length && Math.min(...steps) < Math.max(...steps) && (this.levelTries = (this.levelTries ?? 0) + 1) < 8) {
        this.wantLevel = true;
      } else this.levelTries = 0;
    }
    if (training && !this.#active().length) {
      this.playing = false;
      this.updatePlayButton();
      this.wantDiagAll = true;
      this.markAll();
    }
  }

  #mapRes() {
    const mapBudget = this.playing ? MAP_BUDGET_MS : REST_BUDGET_MS / Math.max(1, this.maps.length);
    return Math.max(12, Math.min(this.playing ? 64 : 96, Math.floor(Math.sqrt(mapBudget / this.heatPixelMs) / 4) * 4));
  }

  #noteDiagnostics(run, i) {
    const d = run.diagnostics;
    if (!d) return;
    const hidden = d.layers.slice(0, -1);
    // Only layers whose units can die count (catalog.js canDie); with none, the table shows '–'.
    const mortal = hidden.filter((_, l) => this.catalog.canDie(run.layers[l]?.activation));
    this.facts[i].dead = mortal.length ? mortal.reduce((s, l) => s + l.deadUnits, 0) : null;
    this.facts[i].units = mortal.reduce((s, l) => s + l.units, 0);
    this.dirty.add('table');
  }

  /** Time per step from the end of the warm-up on (step-timer.js): the same work reads the same, whichever goes first. */
  #noteTime(run, i) {
    const f = this.facts[i];
    if (!f) return;
    f.timer.note(run);
    f.msPerStep = f.timer.msPerStep;
  }

  /** After a worker died: every network again, from its last snapshot, on new workers. */
  async restart() {
    const steps = await Promise.all(this.all.map((run) => run.restart()));
    return Math.min(...steps);
  }

  // ---- Drawing ----

  render(d) {
    let t = performance.now();
    // Each part's share of a frame, while training (the largest over the last frames), for the test hook.
    const lap = (part) => {
      const now = performance.now();
      this.partMs[part] = Math.max(0.9 * (this.partMs[part] ?? 0), now - t);
      t = now;
    };
    const all = d.has('maps');
    const res = this.#mapRes();
    this.maps.forEach((map, i) => {
      if (!all && !d.has(`map${i}`)) return;
      const gridMs = map.draw(res, this.colors);
      if (this.shape.dims === 2 && gridMs > 0) this.heatPixelMs = 0.7 * this.heatPixelMs + (0.3 * gridMs) / (res * res);
      this.mapRes = res;
    });
    lap('maps');
    if ((d.has('charts') || all) && this.chart) {
      this.#updateFacts();
      const key = { test: 'testLoss', train: 'trainLoss', acc: 'testAccuracy' }[this.race.show];
      const steps = this.all.reduce((best, r) => (r.history.step.length > best.length ? r.history.step : best), []);
      // Lock-step runs sample the same steps; one that stopped (diverged) leaves its column short: a gap.
      this.chart.setData(this.race.seeds === 1 ? [steps, ...this.runs.map((r) => r.history[key])] : [steps, ...this.#bands(steps, key)]);
      this.chartEmpty.hidden = steps.length > 1;
      lap('charts');
    }
    if (d.has('counter') || all) {
      const steps = this.all.map((r) => r.step);
      const lo = Math.min(...steps);
      setPhrases(this.counter, [`Step ${count(lo)}${this.race.length ? ` of ${count(this.race.length)}` : ''}`]);
      this.maps.forEach((m, i) => {
        const run = this.runs[i];
        const acc = this.shape.problem === 'classification' ? ` · acc ${percent(run.latest.testAccuracy)}` : '';
        m.status.textContent = run.divergence
          ? `Stopped at step ${count(run.step)}: diverged`
          : `Test loss ${fmt(run.latest.testLoss)}${acc}`;
      });
    }
    if (d.has('table') || all) {
      this.#renderTable();
      lap('table');
    }
  }

  /**
   * Per network, three columns over `steps`: the median of its seeds' values at each step, the lowest and the
   * highest (a seed that stopped, or has no value there, is left out; none left: a gap).
   */
  #bands(steps, key) {
    return this.groups.flatMap((group) => {
      const median = new Array(steps.length);
      const lo = new Array(steps.length);
      const hi = new Array(steps.length);
      const values = [];
      for (let k = 0; k < steps.length; ++k) {
        values.length = 0;
        for (const r of group) if (r.history.step[k] === steps[k]) values.push(r.history[key][k]);
        const s = summary(values);
        median[k] = s ? s.median : null;
        lo[k] = s ? s.min : null;
        hi[k] = s ? s.max : null;
      }
      return [median, lo, hi];
    });
  }

  #updateFacts() {
    this.all.forEach((run, i) => {
      const f = this.facts[i];
      const hist = run.history;
      for (; f.reach === null && f.scanned < hist.step.length; ++f.scanned) {
        if (hist.testAccuracy[f.scanned] >= ACCURACY_GOAL) f.reach = hist.step[f.scanned];
      }
    });
  }

  /**
   * Network i's figures for the table, over its seeds: reach (steps to 90% of each seed that got there),
   * reached, seeds, and the latest test and train losses, dead units and time per step of each seed.
   */
  #networkFacts(i) {
    const n = this.race.seeds;
    const facts = this.facts.slice(i * n, (i + 1) * n);
    const group = this.groups[i];
    const reach = facts.map((f) => f.reach).filter((x) => x !== null);
    return {
      reach: summary(reach),
      reached: reach.length,
      accuracy: summary(group.map((r) => r.latest.testAccuracy)),
      testLoss: summary(group.map((r) => r.latest.testLoss)),
      trainLoss: summary(group.map((r) => r.latest.trainLoss)),
      dead: facts.every((f) => f.dead !== null) ? summary(facts.map((f) => f.dead)) : null,
      units: facts[0].units,
      ms: summary(facts.map((f) => f.msPerStep ?? NaN)),
      diverged: group.filter((r) => r.divergence).length,
    };
  }

  #renderTable() {
    this.#updateFacts();
    const classification = this.shape.problem === 'classification';
    const theme = currentTheme();
    const seeds = this.race.seeds;
    const nets = this.runs.map((_, i) => this.#networkFacts(i));
    // On several seeds the first is the network whose median steps to 90% is the lowest.
    const reached = nets.map((f) => (f.reach ? f.reach.median : null)).filter((x) => x !== null);
    const best = reached.length ? Math.min(...reached) : null;
    const headRow = () =>
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, RACE_VARIES.find((v) => v.key === this.race.vary).label),
        h('th', { scope: 'col' }, seeds > 1 ? `Steps to 90% test acc., median [range] of ${seeds} seeds` : 'Steps to 90% test acc.'),
        h('th', { scope: 'col' }, seeds > 1 ? 'Test loss, median [range]' : 'Test loss'),
        h('th', { scope: 'col' }, seeds > 1 ? 'Train loss, median [range]' : 'Train loss'),
        h('th', { scope: 'col' }, seeds > 1 ? 'Dead units, median [range]' : 'Dead units'),
        h('th', { scope: 'col' }, seeds > 1 ? 'Time per step, median' : 'Time per step'),
      );
    if (this.tableRuns !== this.runs) {
      this.tableRuns = this.runs;
      this.table.replaceChildren(
        h('caption', { class: 'visually-hidden' }, 'Race results per network'),
        h('thead', {}, headRow()),
        h(
          'tbody',
          {},
          this.runs.map((run, i) =>
            h(
              'tr',
              {},
              h(
                'th',
                { scope: 'row' },
                h('span', { class: 'race-swatch', style: { background: seriesColor(i, theme) }, 'aria-hidden': 'true' }),
                runLabel(this.race.vary, this.race.runs[i]),
              ),
              ...['reach', 'test-loss', 'train-loss', 'dead', 'ms'].map((col) => h('td', { 'data-col': col })),
            ),
          ),
        ),
      );
    }
    // One seed: the value; several: median [lowest–highest].
    const ranged = (x, show) => (!x ? '–' : seeds === 1 ? show(x.median) : `${show(x.median)} [${show(x.min)}–${show(x.max)}]`);
    const rows = this.table.tBodies[0].rows;
    this.runs.forEach((run, i) => {
      const f = nets[i];
      let reach;
      if (!classification) reach = '– (regression)';
      else if (seeds === 1) {
        if (f.reach) reach = count(f.reach.median);
        else reach = run.divergence ? 'diverged' : `not yet (${percent(run.latest.testAccuracy)})`;
      } else {
        const of = ` · ${f.reached}/${seeds} reached${f.diverged ? `, ${f.diverged} diverged` : ''}`;
        reach = f.reach ? `${ranged(f.reach, count)}${of}` : `not yet (median ${percent(f.accuracy?.median)})${of}`;
      }
      const first = f.reach !== null && f.reach.median === best;
      const cells = rows[i].cells;
      const text = (cell, value) => {
        if (cell.textContent !== value) cell.textContent = value;
      };
      rows[i].classList.toggle('is-best', first);
      if (first && reached.length > 1) {
        if (cells[1].textContent !== `${reach}first`) cells[1].replaceChildren(reach, h('span', { class: 'race-first' }, 'first'));
      } else {
        text(cells[1], reach);
      }
      text(cells[2], ranged(f.testLoss, fmt));
      text(cells[3], ranged(f.trainLoss, fmt));
      text(cells[4], f.dead === null ? '–' : `${ranged(f.dead, (x) => String(x))} of ${f.units}`);
      cells[4].classList.toggle('has-dead', f.dead !== null && f.dead.max > 0);
      text(cells[5], f.ms ? `${fmt(f.ms.median * 1000, 3)} µs` : '–');
    });
    const done = this.race.length && this.all.every((r) => r.divergence || r.step >= this.race.length);
    const winner = best === null ? -1 : nets.findIndex((f) => f.reach && f.reach.median === best);
    this.finish.textContent = done
      ? winner >= 0
        ? `Finished. First to 90%: ${runLabel(this.race.vary, this.race.runs[winner])} at step ${count(best)}${seeds > 1 ? ` (median of the seeds that got there)` : ''}.`
        : 'Finished.'
      : '';
  }

  // ---- Sharing and export ----

  #export() {
    const step = count(Math.min(...this.all.map((r) => r.step)));
    const seeds = this.race.seeds > 1 ? ` on ${this.race.seeds} seeds each` : '';
    return this.exportExperiment(
      this.all,
      `Exported ${this.runs.length} networks${seeds} at step ${step}, with their settings and weights.`,
    );
  }

  async #import(text, name) {
    const imported = await this.importExperiment(text, name, (parsed) => {
      const read = raceFromQuery(parsed.link, this.catalog);
      if (read.errors.length) throw new ExperimentError(`link: ${read.errors.map((e) => e.message).join('; ')}`);
      const race = read.race;
      if (race.runs.length * race.seeds !== parsed.models.length) {
        const seeds = race.seeds > 1 ? ` on ${race.seeds} seeds each (seeds)` : '';
        throw new ExperimentError(`the link races ${race.runs.length} networks (runs)${seeds} but models has ${parsed.models.length}`);
      }
      const configs = this.#configs(race);
      return { value: race, configs, workers: this.#workers(configs.length) };
    });
    if (!imported) return;
    const { value: race, runs } = imported;
    this.#install(race, runs);
    this.writeUrl();
    this.message(
      `Imported ${name}: ${race.runs.length} networks${race.seeds > 1 ? ` on ${race.seeds} seeds each` : ''} at step ${count(Math.min(...runs.map((r) => r.step)))}, ready to continue.`,
      'info',
    );
  }

  #exportCsv() {
    const steps = [...new Set(this.all.flatMap((r) => r.history.step))].sort((a, b) => a - b);
    const header = ['step'];
    const columns = [steps];
    this.all.forEach((run, j) => {
      // One seed: the network's value (relu); several: each seed's run apart (relu seed 3).
      const value = String(this.race.runs[Math.floor(j / this.race.seeds)]);
      const name = this.race.seeds > 1 ? `${value} seed ${run.config.seed}` : value;
      const index = new Map(run.history.step.map((s, k) => [s, k]));
      for (const [key, col] of [
        ['trainLoss', 'train_loss'],
        ['testLoss', 'test_loss'],
        ['trainAccuracy', 'train_accuracy'],
        ['testAccuracy', 'test_accuracy'],
      ]) {
        header.push(`${name} ${col}`);
        columns.push(steps.map((s) => (index.has(s) ? run.history[key][index.get(s)] : null)));
      }
    });
    download(new Blob([csvText(header, columns)], { type: 'text/csv' }), `race-metrics-${stamp()}.csv`);
  }

  async #saveMaps() {
    const canvases = this.maps.map((m) => m.canvas);
    const ratio = canvases[0].width / Math.max(1, canvases[0].clientWidth || canvases[0].width);
    const pad = Math.round(8 * ratio);
    const label = Math.round(20 * ratio);
    const w = canvases[0].width;
    const out = document.createElement('canvas');
    out.width = canvases.length * (w + pad) + pad;
    out.height = label + w + 2 * pad;
    const ctx = out.getContext('2d');
    ctx.fillStyle = this.colors.surface;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.font = `600 ${Math.round(12 * ratio)}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    canvases.forEach((c, i) => {
      const x = pad + i * (w + pad);
      ctx.fillStyle = seriesColor(i, currentTheme());
      ctx.fillRect(x, pad + label / 2 - 4 * ratio, 8 * ratio, 8 * ratio);
      ctx.fillStyle = this.colors.fg;
      ctx.fillText(`${runLabel(this.race.vary, this.race.runs[i])}, step ${count(this.runs[i].step)}`, x + 12 * ratio, pad + label / 2);
      ctx.drawImage(c, x, pad + label, w, w);
    });
    try {
      download(await canvasBlob(out), `race-maps-${stamp()}.png`);
    } catch (error) {
      this.message(`The maps could not be saved: ${error.message}`, 'error');
    }
  }

  // ---- Test hook: read-only views of what the page holds ----

  #exposeTestHook() {
    const app = this;
    const run = (i) => {
      const r = app.runs[i];
      if (!r) throw new Error(`no network ${i}`);
      return r;
    };
    this.exposeTestHook('__race', {
      get race() {
        return structuredClone(app.race);
      },
      get steps() {
        return app.runs.map((r) => r.step);
      },
      /** Which engine worker each network trains on. */
      get workers() {
        return app.runs.map((r) => r.workerIndex);
      },
      /** The snapshot budget of every run, seeds included: a race keeps none (0). */
      get snapshotBudgets() {
        return app.all.map((r) => r.timeline?.budget);
      },
      get mapRes() {
        return app.mapRes;
      },
      get partMs() {
        return { ...app.partMs };
      },
      layers: (i) => run(i).layers,
      weights: (i) => Array.from(run(i).weights() ?? []),
      config: (i) => run(i).config,
      heatmap: async (i, grid) => Array.from(await run(i).heatmap(grid)),
      unitHeatmaps: async (i, grid) => Array.from(await run(i).unitHeatmaps(grid)),
      /** Time per step as the table shows it (ms), per network. */
      msPerStep: () => app.facts.map((f) => f.msPerStep ?? null),
      losses: (i) => structuredClone(run(i).history),
      /** Network i's runs, one per seed (the first is the one losses(i) and the map show). */
      seedRuns: (i) =>
        (app.groups[i] ?? []).map((r) => ({
          seed: r.config.seed,
          step: r.step,
          latest: { ...r.latest },
          history: structuredClone(r.history),
        })),
      table: () => [...app.table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())),
    });
  }
}
