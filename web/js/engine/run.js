// One training run: a core session plus what the page records about it (the loss history, the gradient
// norms over time, the latest diagnostics). No DOM. A run samples its losses at fixed steps (every step at
// first, then sparser), never at frame boundaries, so the same config gives the same history on any
// machine and at any speed: that is what makes a shared link reproduce "the same first 100 losses".

// Every step for the first 100 steps, then sparser as the run gets longer. A network too big to evaluate
// after every step (each sample is a pass over all the data) is sampled every `scale` steps instead: a
// power of two fixed by the config, so the samples stay the same from run to run.
export function sampleInterval(step, scale = 1) {
  const s = step / scale;
  if (s < 100) return scale;
  if (s < 1000) return 5 * scale;
  if (s < 10000) return 20 * scale;
  if (s < 100000) return 100 * scale;
  return 500 * scale;
}

function nextSampleAfter(step, scale) {
  const k = sampleInterval(step, scale);
  return (Math.floor(step / k) + 1) * k;
}

// Multiply-adds of one evaluation pass (parameters x points) below which every step can be sampled.
const SAMPLE_COST = 2e6;

const MAX_DIAGNOSTIC_SAMPLES = 2000;

export class Run {
  /**
   * engine: the core's Playground; config: the core's config JSON (object). Throws the core's error.
   * session: an existing session to adopt instead (an imported model; the run then owns it).
   */
  constructor(engine, config, session = null) {
    this.engine = engine;
    this.session = session ?? engine.createSession(config);
    this.config = this.session.config();
    this.layers = this.session.layers();
    this.outputs = this.session.outputs;
    this.trainPoints = this.session.points('train'); // (n, 3): x1, x2, label
    this.testPoints = this.session.points('test');
    // Columns, as uPlot wants them: step, train loss, test loss, train accuracy, test accuracy.
    this.history = { step: [], trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] };
    // Per-layer full-set gradient norm over time: step, then one column per layer (hidden..., output).
    this.gradHistory = { step: [], norms: this.layers.map(() => []) };
    this.diagnostics = null;
    this.divergence = '';
    const params = this.layers.reduce((n, l) => n + (l.inputs + 1) * l.units, 0);
    const points = (this.trainPoints.length + this.testPoints.length) / 3;
    this.sampleScale = 2 ** Math.max(0, Math.ceil(Math.log2((params * points) / SAMPLE_COST)));
    this.stepMs = 0.01; // measured time per training step, to keep each call into the core short
    this.trainMs = 0;   // time spent in the core's training calls, and the steps they took (wall time per step)
    this.trainedSteps = 0;
    this.record();
  }

  /** A run of an imported model (the core's model JSON); history: its recorded losses, if the file had them. */
  static fromModel(engine, modelJson, history = null) {
    const session = engine.importModel(modelJson);
    let run;
    try {
      run = new Run(engine, null, session);
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

  get step() { return this.session.step; }
  get epoch() { return this.session.epoch; }

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

  /** Live settings change (learning rate, regularisation, optimizer, activation parameters). Throws the core's error. */
  update(config) {
    this.session.update(config);
    this.config = this.session.config();
    this.latest = this.session.metrics();
  }

  clearDivergence() {
    this.session.clearDivergence();
    this.divergence = '';
  }

  /** The core's per-layer diagnostics; also appends each layer's gradient norm to gradHistory. */
  diagnose(bins = 30) {
    const t0 = performance.now();
    const d = this.session.diagnostics(bins);
    this.diagnoseMs = performance.now() - t0;
    this.diagnostics = d;
    const g = this.gradHistory;
    if (g.step.at(-1) !== d.step) {
      if (g.step.length >= MAX_DIAGNOSTIC_SAMPLES) {
        // Keep every other sample: the chart spans the whole run at half the density.
        g.step = g.step.filter((_, i) => i % 2 === 0);
        g.norms = g.norms.map((col) => col.filter((_, i) => i % 2 === 0));
      }
      g.step.push(d.step);
      d.layers.forEach((layer, i) => g.norms[i].push(layer.gradNorm));
    }
    return d;
  }

  /** The prediction over a grid: a view of wasm memory, valid until the next call into the core. */
  heatmapView(grid) { return this.session.heatmapView(grid); }
  unitHeatmapsView(grid) { return this.session.unitHeatmapsView(grid); }
  weights() { return this.session.weights(); }
  exportModel() { return this.session.exportModel(); }

  dispose() {
    this.session.dispose();
  }
}
