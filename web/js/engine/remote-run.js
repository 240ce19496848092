// A run that trains in the engine's worker, seen from the page: a mirror of what the last frame brought back
// (counters, loss history, diagnostics, grids, weights), read synchronously by views, and the requests that
// change it. Frames of one run go one after another, so each reply's history continues the mirror's.
//
// Views ask for grids while they draw (outputGrid, unitGrid); a grid not in the last reply is wanted, and
// the next frame brings it. Until then a view gets the latest grid of that kind at its own size, or null.
import { EngineDeadError } from './client.js';

const MAX_DIAGNOSTIC_SAMPLES = 2000;
let nextRunId = 1;

// A grid's name in the mirror: what it shows and at what size (a region grid also by how many layers).
// A hidden space is named by its layer, units and whether it holds the test points.
const gridKey = (g) =>
  g.kind === 'hidden'
    ? `hidden:${g.layer}/${g.unitX}/${g.unitY}/${g.withTest ? 'test' : 'train'}`
    : `${g.kind}${g.layers ? `/${g.layers}` : ''}:${g.width}x${g.height}`;

export class RemoteRun {
  #pool;
  #workerIndex;
  #chain = Promise.resolve();
  #wanted = new Map(); // grid key -> { key, kind, width, height, extent }
  #grids = new Map(); // grid key -> { data, width, height, kind, ms }
  #latestOfKind = new Map();
  #disposed = false;

  constructor(pool, workerIndex, timeTravel = true) {
    this.#pool = pool;
    this.#workerIndex = workerIndex;
    this.timeTravel = timeTravel;
    this.id = nextRunId++;
    this.history = { step: [], trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] };
    // Per-layer full-set gradient norm over time: step, then one column per layer (hidden..., output).
    this.gradHistory = { step: [], norms: [] };
    this.diagnostics = null;
    this.divergence = '';
    this.step = 0;
    this.epoch = 0;
    this.latest = null;
    this.trainMs = 0;
    this.trainedSteps = 0;
    this.stepMs = 0.01;
    this.weightsNow = null;
    this.lastModel = null; // the model JSON of the last snapshot that carried one: where a restart begins
    this.lastModelStep = -1;
    this.needsFrame = true;
    // Time travel: the core's snapshot figures ({ head, earliest, every, kept, bytes, budget, units,
    // events }), the units' deaths and returns (Float64Array (events, 3): step, unit, 1 died / 0 came back)
    // and the last new branch ({ at, dropped }) the worker reported.
    this.timeline = null;
    this.unitEvents = new Float64Array(0);
    this.eventsKey = '';
    this.branched = null;
  }

  get worker() {
    return this.#pool.worker(this.#workerIndex);
  }

  get workerIndex() {
    return this.#workerIndex;
  }

  /**
   * A new run from the core's config (object). Rejects with the core's refusal. timeTravel: false for a run
   * that only ever shows its latest step (a race's): it keeps no snapshots, which would be up to the core's
   * 32 MB for each of a race's dozens of runs, in one worker's memory.
   */
  static async create(pool, workerIndex, config, { timeTravel = true } = {}) {
    const run = new RemoteRun(pool, workerIndex, timeTravel);
    run.#install(await run.worker.request({ op: 'create', run: run.id, config, snapshotBudget: run.#snapshotBudget }));
    return run;
  }

  /** A run of an exported model (the core's model JSON), with the history recorded before, if any. */
  static async fromModel(pool, workerIndex, model, history = null, { timeTravel = true } = {}) {
    const run = new RemoteRun(pool, workerIndex, timeTravel);
    run.#install(await run.worker.request({ op: 'import', run: run.id, model, history, snapshotBudget: run.#snapshotBudget }));
    return run;
  }

  get #snapshotBudget() {
    return this.timeTravel ? undefined : 0;
  }

  #install(reply) {
    this.layers = reply.layers;
    this.outputs = reply.outputs;
    this.config = reply.config;
    this.trainPoints = reply.trainPoints; // (n, 3): x1, x2, label
    this.testPoints = reply.testPoints;
    this.gradHistory = { step: [], norms: this.layers.map(() => []) };
    this.eventsKey = '';
    // The reply's snapshot carries the whole history from its first sample (an import's included).
    this.history = { step: [], trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] };
    this.#apply(reply.snapshot);
  }

  get params() {
    return this.layers.reduce((n, l) => n + (l.inputs + 1) * l.units, 0);
  }

  // ---- What views read ----

  /** The output over a grid (height, width, outputs) as last computed: the size asked if it is there. */
  outputGrid(width, height, extent) {
    return this.#grid('output', width, height, extent);
  }

  /** Every hidden unit's output over a grid (units, height, width), as last computed. */
  unitGrid(width, height, extent) {
    return this.#grid('units', width, height, extent);
  }

  /**
   * The output over a grid and its linear regions from the same pass, as last computed: { data, patterns
   * (height, width) pattern hashes, regions (the count in view) }. layers: the first k hidden layers; 0: all.
   */
  regionGrid(width, height, extent, layers = 0) {
    return this.#grid('regions', width, height, extent, layers);
  }

  /**
   * The data and the input plane's grid lines in the coordinates of units unitX and unitY of hidden layer
   * `layer` (all from 0), as last computed: { points (n, 3), boundary (segments, 4), train, test, lines,
   * samples, hasBoundary } (wasm/playground.mjs hiddenSpace), or { error } for a selection the network
   * lacks. Until the next frame brings this selection, the latest of the same layer and units, or null.
   * ask: whether the next frame computes it (once; the page asks at most once a round, and less often when
   * it is costly); false only reads what is here.
   */
  hiddenSpace(layer, unitX, unitY, withTest, ask = true) {
    const spec = { kind: 'hidden', layer, unitX, unitY, withTest, age: 0, once: true };
    const key = gridKey(spec);
    if (ask) this.#wanted.set(key, { key, ...spec });
    const exact = this.#grids.get(key);
    if (exact) return exact;
    this.needsFrame = true;
    const other = this.#latestOfKind.get('hidden');
    return other && other.layer === layer && other.unitX === unitX && other.unitY === unitY ? other : null;
  }

  #grid(kind, width, height, extent, layers = 0) {
    const key = gridKey({ kind, width, height, layers });
    this.#wanted.set(key, { key, kind, width, height, extent, layers, age: 0 });
    const exact = this.#grids.get(key);
    if (exact) return exact;
    this.needsFrame = true;
    const other = this.#latestOfKind.get(kind);
    return other && (other.height === 1) === (height === 1) && (other.layers ?? 0) === layers ? other : null;
  }

  /** The parameters as of the last frame (the core's arena layout: see layers). */
  weights() {
    return this.weightsNow;
  }

  // ---- Requests ----

  /**
   * One frame: trains for budgetMs (at most maxSteps steps; 0: no cap) or exactly `steps` steps, then
   * brings back the grids the views asked for since the last frame, the weights, and on request the
   * diagnostics (bins) and the model JSON. Resolves { steps, diverged, reason }.
   */
  frame({ budgetMs = 0, maxSteps = 0, steps = 0, diagnostics = 0, model = false } = {}) {
    return this.#queue(async () => {
      // A grid asked for in the last two frames comes again (one asked `once`, in the next frame only); one
      // no view asked for since is dropped.
      const grids = [...this.#wanted.values()].filter((g) => g.age++ < (g.once ? 1 : 2));
      for (const [key, g] of this.#wanted) if (g.age > (g.once ? 0 : 2)) this.#wanted.delete(key);
      const want = this.#want(grids, diagnostics, model);
      const reply = await this.worker.request({ op: 'frame', run: this.id, budgetMs, maxSteps, steps, want });
      this.#apply(reply.snapshot);
      if (reply.diverged) this.divergence = reply.reason;
      return { steps: reply.steps, diverged: reply.diverged, reason: reply.reason };
    });
  }

  #want(grids, diagnostics, model) {
    return { historyFrom: this.history.step.length, grids, weights: true, diagnostics, model, eventsKey: this.eventsKey };
  }

  /**
   * Time travel: shows step `step` exactly (see the core's Timeline), bringing back what a frame does:
   * the grids the views asked for, the weights, diagnostics on request. Rejects with the core's refusal.
   */
  seek(step, { diagnostics = 0 } = {}) {
    return this.#queue(async () => {
      const grids = [...this.#wanted.values()];
      const reply = await this.worker.request({ op: 'seek', run: this.id, step, want: this.#want(grids, diagnostics, false) });
      this.config = reply.config;
      this.#apply(reply.snapshot);
    });
  }

  /** The step shown is earlier than the run's furthest (it was sought back): training on is a new branch. */
  get behind() {
    return this.timeline ? this.timeline.head - this.step : 0;
  }

  #apply(s) {
    this.step = s.step;
    this.epoch = s.epoch;
    this.latest = s.latest;
    this.divergence = s.divergence;
    this.trainMs = s.trainMs;
    this.trainedSteps = s.trainedSteps;
    this.stepMs = s.stepMs;
    const h = this.history;
    const keep = s.historyFrom;
    if (h.step.length > keep) for (const k of Object.keys(h)) h[k].length = keep;
    for (const k of Object.keys(h)) for (const v of s.history[k] ?? []) h[k].push(v);
    this.#grids.clear();
    for (const g of Object.values(s.grids ?? {})) {
      this.#grids.set(gridKey(g), g);
      this.#latestOfKind.set(g.kind, g);
    }
    if (s.weights) this.weightsNow = s.weights;
    this.timeline = s.timeline;
    if (s.unitEvents) {
      this.unitEvents = s.unitEvents;
      this.eventsKey = s.eventsKey;
    }
    if (s.branched) this.branched = s.branched;
    if (s.diagnostics) this.#diagnosed(s.diagnostics, s.diagnoseMs);
    if (s.model) {
      this.lastModel = s.model;
      this.lastModelStep = s.step;
      this.modelMs = s.modelMs;
    }
    this.needsFrame = false;
  }

  #diagnosed(d, ms) {
    this.diagnostics = d;
    this.diagnoseMs = ms;
    const g = this.gradHistory;
    if (g.step.at(-1) === d.step) return;
    if (g.step.length >= MAX_DIAGNOSTIC_SAMPLES) {
      // Keep every other sample: the chart spans the whole run at half the density.
      g.step = g.step.filter((_, i) => i % 2 === 0);
      g.norms = g.norms.map((col) => col.filter((_, i) => i % 2 === 0));
    }
    g.step.push(d.step);
    d.layers.forEach((layer, i) => g.norms[i].push(layer.gradNorm));
  }

  /**
   * A live change, as one typed request: learningRate, batchSize, optimizer, clipNorm, reluGradAtZero (a
   * value), regularization ({ kind, rate }), optimizerParam ({ name, value }), activationParams ({ layer,
   * alpha, beta }) or parameter ({ index, value }: one weight or bias). Rejects with the core's refusal.
   */
  async set(name, value, { clearDivergence = false } = {}) {
    const reply = await this.worker.request({ op: 'set', run: this.id, name, value, clearDivergence });
    this.config = reply.config;
    if (clearDivergence) this.divergence = '';
    this.needsFrame = true;
  }

  async clearDivergence() {
    await this.worker.request({ op: 'clearDivergence', run: this.id });
    this.divergence = '';
  }

  async exportModel() {
    return (await this.worker.request({ op: 'exportModel', run: this.id })).model;
  }

  /** The linear regions over any grid, computed now (for checks): { heat, patterns, regions }. layers: 0 for all. */
  async regionMap(grid, layers = 0) {
    return this.worker.request({ op: 'regionMap', run: this.id, grid, layers });
  }

  /** The hidden space of a layer's two units (from 0), computed now (for checks): as hiddenSpace above. */
  async hiddenSpaceNow(layer, unitX, unitY, test = true) {
    return this.worker.request({ op: 'hiddenSpace', run: this.id, layer, unitX, unitY, test });
  }

  /** The output over any grid, computed now (for exports and checks): a Float32Array of its own. */
  async heatmap(grid) {
    return (await this.worker.request({ op: 'heatmap', run: this.id, grid })).data;
  }

  /**
   * One point ({ x1, x2, label }) through the network as it is when the worker gets the request: the core's
   * forward pass and the backward pass of a training step on that point alone (Session.trace in
   * wasm/README.md). Resolves { point, step, loss, onAbove, values, features, prediction, layers }.
   */
  async trace(point) {
    return this.worker.request({ op: 'trace', run: this.id, point });
  }

  async unitHeatmaps(grid) {
    return (await this.worker.request({ op: 'unitHeatmaps', run: this.id, grid })).data;
  }

  /**
   * After its worker died: the same run again on a new worker, from the last model snapshot the page
   * received (settings, data and weights), with the history up to that step. Resolves the restored step.
   */
  async restart() {
    if (!this.lastModel) throw new EngineDeadError('no snapshot of this network reached the page before the engine stopped');
    const n = this.history.step.findLastIndex((s) => s <= this.lastModelStep) + 1;
    const history = {};
    for (const [k, col] of Object.entries(this.history)) history[k] = col.slice(0, n);
    this.#chain = Promise.resolve();
    this.#install(
      await this.worker.request({ op: 'import', run: this.id, model: this.lastModel, history, snapshotBudget: this.#snapshotBudget }),
    );
    this.lastModelStep = this.step;
    return this.step;
  }

  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    const w = this.worker;
    if (!w.dead) w.request({ op: 'dispose', run: this.id }).catch(() => {});
  }

  #queue(fn) {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch(() => {});
    return next;
  }
}
