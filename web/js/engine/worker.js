// The training engine's worker: owns the core's sessions (one Run each) and does every piece of training and
// every grid, so the page's main thread only draws. The page talks to it through engine/client.js with
// requests { id, op, ... } and gets one reply { id, result } or { id, error } per request, in order. Bulk
// results (grids, weights, points) travel as transferable typed arrays, never element by element.
import { loadPlayground, PlaygroundError } from '../../generated/playground.mjs';
import wasmUrl from '../../generated/ap_core.wasm?url';
import { Run } from './run.js';

const ready = loadPlayground({ locateFile: (file, prefix) => (file.endsWith('.wasm') ? wasmUrl : prefix + file) });
// The page's watchdog counts reply times from here on: loading the module is not a hung request.
ready.then(
  () => self.postMessage({ ready: true }),
  () => {},
);
const runs = new Map(); // run id -> Run

function runOf(id) {
  const run = runs.get(id);
  if (!run) throw new PlaygroundError(`no network ${id} in the engine (it was disposed or never made)`);
  return run;
}

/** What the page needs to know about a new run, besides a snapshot. */
function describe(run) {
  return {
    layers: run.layers,
    outputs: run.outputs,
    config: run.config,
    trainPoints: run.trainPoints.slice(),
    testPoints: run.testPoints.slice(),
  };
}

/** The typed live changes (learning rate, ...): name -> how the session takes it. One value, one call. */
const SETTERS = {
  learningRate: (s, v) => s.setLearningRate(v),
  batchSize: (s, v) => s.setBatchSize(v),
  optimizer: (s, v) => s.setOptimizer(v),
  regularization: (s, v) => s.setRegularization(v.kind, v.rate),
  clipNorm: (s, v) => s.setClipNorm(v),
  optimizerParam: (s, v) => s.setOptimizerParam(v.name, v.value),
  activationParams: (s, v) => s.setActivationParams(v.layer, { alpha: v.alpha, beta: v.beta, a: v.a, b: v.b }),
  reluGradAtZero: (s, v) => s.setReluGradAtZero(v),
  parameter: (s, v) => s.setParameter(v.index, v.value),
};

const OPS = {
  create({ run, config, snapshotBudget }, engine) {
    runs.get(run)?.dispose();
    runs.delete(run);
    const made = new Run(engine, config, null, { snapshotBudget });
    runs.set(run, made);
    return { ...describe(made), snapshot: made.snapshot({ weights: true, model: true }) };
  },

  import({ run, model, history, snapshotBudget }, engine) {
    runs.get(run)?.dispose();
    runs.delete(run);
    const made = Run.fromModel(engine, model, history, { snapshotBudget });
    runs.set(run, made);
    return { ...describe(made), snapshot: made.snapshot({ weights: true, model: true }) };
  },

  /** One frame: train (for a time budget, or exactly `steps` steps), then compute what the page draws. */
  frame({ run, budgetMs = 0, maxSteps = 0, steps = 0, want = {} }) {
    const r = runOf(run);
    let result = { steps: 0, diverged: false, reason: '' };
    if (steps > 0) result = r.trainSteps(steps);
    else if (budgetMs > 0) result = r.trainFrame(budgetMs, maxSteps);
    return { ...result, snapshot: r.snapshot(want) };
  },

  set({ run, name, value, clearDivergence }) {
    const r = runOf(run);
    const setter = SETTERS[name];
    if (!setter) throw new PlaygroundError(`'${name}' is not a setting that changes live`);
    // A change at an earlier step than the run's furthest starts a new branch there (the core drops the
    // later snapshots whatever happens; the history follows only if the setter takes the value).
    const head = r.session.timeline().head;
    setter(r.session, value);
    r.branchHere(head);
    r.changed();
    if (clearDivergence) r.clearDivergence();
    return { config: r.config };
  },

  /** Time travel: show step `step` exactly, then what the page draws (as a frame does, without training). */
  seek({ run, step, want = {} }) {
    const r = runOf(run);
    r.seek(step);
    return { config: r.session.config(), snapshot: r.snapshot(want) };
  },

  clearDivergence({ run }) {
    runOf(run).clearDivergence();
    return {};
  },

  exportModel({ run }) {
    return { model: runOf(run).exportModel() };
  },

  heatmap({ run, grid }) {
    return { data: runOf(run).session.heatmap(grid) };
  },

  regionMap({ run, grid, layers }) {
    return runOf(run).session.regionMap(grid, { layers: layers || undefined });
  },

  /** One point's forward and backward pass on the weights as they are now (Session.trace): one buffer moved. */
  trace({ run, point }) {
    return runOf(run).session.trace(point);
  },

  /** The data and the input plane's grid in two units' coordinates, computed now (for checks). */
  hiddenSpace({ run, layer, unitX, unitY, test }) {
    return runOf(run).session.hiddenSpace({ layer, unitX, unitY, test });
  },

  unitHeatmaps({ run, grid }) {
    return { data: runOf(run).session.unitHeatmaps(grid) };
  },

  /** The config the core makes of a config (defaults filled in), without keeping a session. */
  probe({ config }, engine) {
    const session = engine.createSession(config);
    try {
      return { config: session.config() };
    } finally {
      session.dispose();
    }
  },

  dispose({ run }) {
    runs.get(run)?.dispose();
    runs.delete(run);
    return {};
  },

  memory(_, engine) {
    return { ...engine.memory(), runs: runs.size };
  },
};

/** Every typed array in a reply is moved, not copied (transferables); views of wasm memory are copied first. */
function transferables(value, out = []) {
  if (ArrayBuffer.isView(value)) out.push(value.buffer);
  else if (Array.isArray(value)) for (const v of value) transferables(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) transferables(v, out);
  return out;
}

self.addEventListener('message', async ({ data }) => {
  const { id, op } = data;
  let engine;
  try {
    engine = await ready;
  } catch (error) {
    self.postMessage({ id, error: `the computation core could not be loaded: ${error?.message ?? error}`, fatal: true });
    return;
  }
  try {
    if (!OPS[op]) throw new PlaygroundError(`unknown engine request '${op}'`);
    const result = OPS[op](data, engine);
    const moved = [...new Set(transferables(result))];
    self.postMessage({ id, result }, moved);
  } catch (error) {
    const known = error instanceof PlaygroundError;
    self.postMessage({ id, error: known ? error.message : `unexpected error in the engine: ${error?.message ?? error}`, known });
  }
});
