// One training run: a core session plus what the page records about it (the loss history, the latest
// diagnostics). No DOM: it lives in the engine's worker (engine/worker.js), and snapshot() is what the page
// receives of it each frame. A run samples its losses at fixed steps (every step at
// first, then sparser), never at frame boundaries, so the same config gives the same history on any
// machine and at any speed: that is what makes a shared link reproduce "the same first 100 losses".

// Every step for the first 100 steps, then sparser as the run gets longer. A network too big to evaluate
// after every step (each sample is a pass over all the data) is sampled every `scale` steps instead: a
// power of two fixed by the config, so the samples stay the same from run to run.
// From 100,000 steps on, each decade is sampled ten times more sparsely than the one before (1,800 samples
// a decade), so the history a run keeps is bounded: about 21,000 samples at the core's last step (2^53),
// where one sample every 500 steps grew it by 1,000 samples a second at full speed, on the page and in
// the worker, for as long as training ran.
export function sampleInterval(step, scale = 1) {
  const s = step / scale;
  if (s < 100) return scale;
  if (s < 1000) return 5 * scale;
  if (s < 10000) return 20 * scale;
  if (s < 100000) return 100 * scale;
  let k = 500;
  for (let decade = 1e6; s >= decade; decade *= 10) k *= 10;
  return k * scale;
}

export function nextSampleAfter(step, scale) {
  const k = sampleInterval(step, scale);
  return (Math.floor(step / k) + 1) * k;
}

// Multiply-adds of one evaluation pass (parameters x points) below which every step can be sampled.
const SAMPLE_COST = 2e6;

export class Run {
  /**
   * engine: the core's Playground; config: the core's config JSON (object). Throws the core's error.
   * session: an existing session to adopt instead (an imported model; the run then owns it).
   * snapshotBudget: the bytes its time travel may keep (undefined: the core's budget; 0: none, a run that
   * only shows its latest step).
   */
  constructor(engine, config, session = null, { snapshotBudget } = {}) {
    this.engine = engine;
    this.session = session ?? engine.createSession(config);
    if (snapshotBudget !== undefined) {
      try {
        this.session.setSnapshotBudget(snapshotBudget);
      } catch (error) {
        this.session.dispose();
        throw error;
      }
    }
    this.config = this.session.config();
    this.layers = this.session.layers();
    this.outputs = this.session.outputs;
    this.trainPoints = this.session.points('train'); // (n, 3): x1, x2, label
    this.testPoints = this.session.points('test');
    // Columns, as uPlot wants them: step, train loss, test loss, train accuracy, test accuracy.
    this.history = { step: [], trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] };
    this.diagnostics = null;
    this.divergence = '';
    const params = this.layers.reduce((n, l) => n + (l.inputs + 1) * l.units, 0);
    const points = (this.trainPoints.length + this.testPoints.length) / 3;
    this.sampleScale = 2 ** Math.max(0, Math.ceil(Math.log2((params * points) / SAMPLE_COST)));
    this.stepMs = 0.01; // measured time per training step, to keep each call into the core short
    this.trainMs = 0; // time spent in the core's training calls, and the steps they took (wall time per step)
    this.trainedSteps = 0;
    this.branches = 0; // new branches started (training or a change at an earlier step)
    this.branched = null; // { at, dropped } of the last one, reported once in the next snapshot
    this.record();
  }

  /** A run of an imported model (the core's model JSON); history: its recorded losses, if the file had them. */
  static fromModel(engine, modelJson, history = null, options = {}) {
    const session = engine.importModel(modelJson);
    let run;
    try {
      run = new Run(engine, null, session, options);
    } catch (error) {
      session.dispose();
      throw error;
    }
    if (history && history.step.length && history.step.at(-1) <= run.step) {
      const now = run.history;
      run.history = structuredClone(history);
      if (history.step.at(-1) < run.step) for (const k of Object.keys(now)) run.history[k].push(now[k].at(-1));
    }
    return run;
  }

  get step() {
    return this.session.step;
  }
  get epoch() {
    return this.session.epoch;
  }

  record() {
    const m = this.session.metrics();
    const h = this.history;
    h.step.push(m.step);
    h.trainLoss.push(m.trainLoss);
    h.testLoss.push(m.testLoss);
    h.trainAccuracy.push(m.trainAccuracy);
    h.testAccuracy.push(m.testAccuracy);
    this.latest = m;
  }

  /**
   * Trains for at most budgetMs and maxSteps steps (0: no step cap), stopping at every sample step to
   * record the losses. Returns { steps, diverged, reason }.
   */
  trainFrame(budgetMs, maxSteps) {
    this.branchHere();
    const end = performance.now() + budgetMs;
    let left = maxSteps > 0 ? maxSteps : 1_000_000;
    let steps = 0;
    while (left > 0) {
      const now = performance.now();
      if (now >= end) break;
      const target = nextSampleAfter(this.session.step, this.sampleScale);
      // The core checks the clock every few steps; with slow steps, ask for no more than the budget holds.
      const fit = Math.max(1, Math.floor((end - now) / this.stepMs));
      const t0 = performance.now();
      const r = this.session.trainFor(end - now, Math.min(left, target - this.session.step, fit));
      const dt = performance.now() - t0;
      this.trainMs += dt;
      this.trainedSteps += r.steps;
      if (r.steps > 0) this.stepMs = 0.7 * this.stepMs + (0.3 * dt) / r.steps;
      steps += r.steps;
      left -= r.steps;
      if (this.session.step === target) this.record();
      if (r.diverged) return this.#diverged(steps, r.reason);
      if (r.steps === 0) break;
    }
    return { steps, diverged: false, reason: '' };
  }

  /** Runs n steps (the Step button), recording the samples on the way. */
  trainSteps(n) {
    this.branchHere();
    let steps = 0;
    for (let i = 0; i < n; ++i) {
      const target = nextSampleAfter(this.session.step, this.sampleScale);
      const r = this.session.train(1);
      steps += r.steps;
      if (this.session.step === target) this.record();
      if (r.diverged) return this.#diverged(steps, r.reason);
    }
    this.latest = this.session.metrics();
    return { steps, diverged: false, reason: '' };
  }

  #diverged(steps, reason) {
    this.divergence = reason;
    // The core kept the last finite parameters; the counters and losses shown are theirs.
    this.latest = this.session.metrics();
    return { steps, diverged: true, reason };
  }

  /**
   * Time travel: shows step `step` exactly (the core restores its nearest snapshot and trains forward).
   * The later history stays, for scrubbing forward again, until the run trains or changes here.
   */
  seek(step) {
    const from = this.session.step;
    this.session.seek(step);
    // Another step is a restored snapshot, which has not diverged; the same step keeps its state.
    if (this.session.step !== from) this.divergence = '';
    this.latest = this.session.metrics();
  }

  /**
   * Before training or a live change: if the run was sought back to an earlier step than its furthest, this
   * is a new branch and the later losses go, as the core drops its later snapshots. Returns the steps dropped.
   * head: the furthest step before the change (a live change has already made the core's the current one).
   */
  branchHere(head = this.session.timeline().head) {
    const at = this.session.step;
    if (head <= at) return 0;
    const h = this.history;
    const n = h.step.findLastIndex((x) => x <= at) + 1;
    for (const col of Object.values(h)) col.length = n;
    this.branches += 1;
    this.branched = { at, dropped: head - at };
    return head - at;
  }

  /** After a typed live change: the config as the core now has it (rates, parameters). No evaluation. */
  changed() {
    this.config = this.session.config();
  }

  clearDivergence() {
    this.session.clearDivergence();
    this.divergence = '';
  }

  /** The core's per-layer diagnostics (gradient norms, dead units, histograms), timed. */
  diagnose(bins = 30) {
    const t0 = performance.now();
    const d = this.session.diagnostics(bins);
    this.diagnoseMs = performance.now() - t0;
    this.diagnostics = d;
    return d;
  }

  /**
   * What the page draws, as copies it can own: the counters and latest metrics always; the history samples
   * from index want.historyFrom on; and, when asked, grids (output map, the output map with its linear
   * regions, unit maps, or the hidden space of a layer's two units, each with the time it took), the weights, diagnostics (want.diagnostics: histogram bins) and the model JSON (a restart point).
   */
  snapshot(want = {}) {
    // After a new branch the page's mirror is longer than this history: it keeps only the common part.
    const from = Math.min(want.historyFrom ?? 0, this.history.step.length);
    const history = {};
    for (const [k, col] of Object.entries(this.history)) history[k] = col.slice(from);
    const out = {
      step: this.session.step,
      epoch: this.session.epoch,
      latest: this.latest,
      divergence: this.divergence,
      historyFrom: from,
      history,
      trainMs: this.trainMs,
      trainedSteps: this.trainedSteps,
      stepMs: this.stepMs,
      grids: {},
      timeline: this.session.timeline(),
      branched: this.branched,
    };
    this.branched = null;
    // The units' deaths and returns: sent again only when they changed (a new event, or a new branch).
    const eventsKey = `${this.branches}:${out.timeline.events}`;
    if (want.eventsKey !== eventsKey) {
      out.unitEvents = this.session.unitEvents();
      out.eventsKey = eventsKey;
    }
    for (const g of want.grids ?? []) {
      const t0 = performance.now();
      const spec = { width: g.width, height: g.height, ...(g.extent ?? {}) };
      if (g.kind === 'hidden') {
        out.grids[g.key] = this.#hidden(g, t0);
        continue;
      }
      if (g.kind === 'regions') {
        // The output map and its linear regions from one pass of the core (layers: the first k hidden layers; 0: all).
        const r = this.session.regionMap(spec, { layers: g.layers || undefined });
        const ms = performance.now() - t0;
        out.grids[g.key] = {
          data: r.heat,
          patterns: r.patterns,
          regions: r.regions,
          layers: g.layers,
          width: g.width,
          height: g.height,
          kind: g.kind,
          ms,
        };
        continue;
      }
      const data = g.kind === 'units' ? this.session.unitHeatmaps(spec) : this.session.heatmap(spec);
      out.grids[g.key] = { data, width: g.width, height: g.height, kind: g.kind, ms: performance.now() - t0 };
    }
    if (want.weights) out.weights = this.session.weights();
    if (want.diagnostics) {
      out.diagnostics = this.diagnose(want.diagnostics);
      out.diagnoseMs = this.diagnoseMs;
    }
    if (want.model) {
      const t0 = performance.now();
      out.model = this.session.exportModel();
      out.modelMs = performance.now() - t0;
    }
    return out;
  }

  // The hidden space for a frame: a selection the network no longer has (a layer removed since the page
  // asked) comes back as its message, not as a failed frame.
  #hidden(g, t0) {
    const pick = { kind: g.kind, layer: g.layer, unitX: g.unitX, unitY: g.unitY, withTest: g.withTest };
    try {
      const m = this.session.hiddenSpace({ layer: g.layer, unitX: g.unitX, unitY: g.unitY, test: g.withTest });
      return { ...pick, ...m, ms: performance.now() - t0 };
    } catch (error) {
      return { ...pick, error: error.message, ms: performance.now() - t0 };
    }
  }

  /** The prediction over a grid: a view of wasm memory, valid until the next call into the core. */
  heatmapView(grid) {
    return this.session.heatmapView(grid);
  }
  unitHeatmapsView(grid) {
    return this.session.unitHeatmapsView(grid);
  }
  weights() {
    return this.session.weights();
  }
  exportModel() {
    return this.session.exportModel();
  }

  dispose() {
    this.session.dispose();
  }
}
