// An experiment file: what a view's link says (the settings) plus each network's saved model (the core's
// model JSON: its config and trained state), and the loss history recorded so far. Importing one reproduces
// the exact networks: the same weights, optimizer state and batch position, so training continues with the
// same losses it would have had. No DOM and no maths here: this module only checks the file's shape, so
// that every refusal says what is wrong and where; the core checks each model (its messages name the field).
//
// {
//   "format": "activation-playground-experiment", "version": 1,
//   "view": "playground" | "race",
//   "link": "v=1&seed=1&...",               the view's query, as in its URL
//   "models": [ { "format_version": 1, "kind": "model", "config": {...}, "state": {...} }, ... ],
//   "histories": [ { "step": [...], "trainLoss": [...], "testLoss": [...], "trainAccuracy": [...], "testAccuracy": [...] } ]
// }
import { RemoteRun } from './engine/remote-run.js';

export const EXPERIMENT_FORMAT = 'activation-playground-experiment';
export const EXPERIMENT_VERSION = 1;
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_LINK = 200_000;
const MAX_HISTORY = 1_000_000;
const HISTORY_COLUMNS = ['step', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'];
const VIEWS = { playground: [1, 1], race: [2, 4] }; // models allowed per view

export class ExperimentError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ExperimentError';
  }
}

function fail(message) {
  throw new ExperimentError(message);
}

function kindOf(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${clip(JSON.stringify(value))}`;
}

function clip(text) {
  const s = String(text);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The file's text for a view's link, its models (the core's JSON strings) and histories. */
export function buildExperiment(view, link, modelTexts, histories) {
  const file = {
    format: EXPERIMENT_FORMAT,
    version: EXPERIMENT_VERSION,
    view,
    link,
    models: modelTexts.map((text) => JSON.parse(text)),
    histories: histories.map((h) => Object.fromEntries(HISTORY_COLUMNS.map((c) => [c, h[c].map((x) => (Number.isFinite(x) ? x : null))]))),
  };
  return JSON.stringify(file);
}

/**
 * Reads an experiment file's text for a view. Returns { link, models: string[] (each a model's JSON for the
 * core), histories: (object|null)[] }; throws ExperimentError naming the field when the file is not one.
 */
export function parseExperiment(text, view) {
  if (typeof text !== 'string') fail('the file could not be read as text');
  if (text.length > MAX_FILE_BYTES)
    fail(`the file is ${(text.length / 2 ** 20).toFixed(1)} MiB; an experiment is at most ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  let root;
  try {
    root = JSON.parse(text);
  } catch (error) {
    fail(`the file is not valid JSON (${error.message})`);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) fail(`the file must hold a JSON object, got ${kindOf(root)}`);
  if (root.kind === 'model' && root.format === undefined) {
    fail('this is a saved model of the command-line tool, not an experiment of this page (it has no "format")');
  }
  const known = ['format', 'version', 'view', 'link', 'models', 'histories'];
  const unknown = Object.keys(root).find((k) => !known.includes(k));
  if (unknown !== undefined) fail(`unknown field "${clip(unknown)}" (an experiment has ${known.join(', ')})`);
  if (root.format !== EXPERIMENT_FORMAT) fail(`format must be "${EXPERIMENT_FORMAT}", got ${kindOf(root.format)}`);
  const v = root.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`version must be an integer 1..${EXPERIMENT_VERSION}, got ${kindOf(v)}`);
  if (v > EXPERIMENT_VERSION) fail(`version ${v} was made by a newer version of this page; this one reads version ${EXPERIMENT_VERSION}`);
  if (!Object.hasOwn(VIEWS, root.view)) fail(`view must be "playground" or "race", got ${kindOf(root.view)}`);
  if (root.view !== view) {
    fail(`this file is a ${root.view} experiment; open it in the ${root.view === 'race' ? 'Race' : 'Playground'} view`);
  }
  if (typeof root.link !== 'string') fail(`link must be a string (the view's settings), got ${kindOf(root.link)}`);
  if (root.link.length > MAX_LINK) fail(`link is ${root.link.length} characters, at most ${MAX_LINK}`);
  const [lo, hi] = VIEWS[view];
  if (!Array.isArray(root.models)) fail(`models must be an array, got ${kindOf(root.models)}`);
  if (root.models.length < lo || root.models.length > hi) {
    fail(`models has ${root.models.length} entries; a ${view} experiment has ${lo === hi ? lo : `${lo} to ${hi}`}`);
  }
  root.models.forEach((m, i) => {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) fail(`models[${i}] must be an object (a saved model), got ${kindOf(m)}`);
  });
  let histories = root.models.map(() => null);
  if (root.histories !== undefined) {
    if (!Array.isArray(root.histories) || root.histories.length !== root.models.length) {
      fail(
        `histories must be an array with one entry per model (${root.models.length}), got ${Array.isArray(root.histories) ? `${root.histories.length} entries` : kindOf(root.histories)}`,
      );
    }
    histories = root.histories.map((h, i) => readHistory(h, `histories[${i}]`));
  }
  return { link: root.link, models: root.models.map((m) => JSON.stringify(m)), histories };
}

function readHistory(h, path) {
  if (h === null || typeof h !== 'object' || Array.isArray(h)) fail(`${path} must be an object, got ${kindOf(h)}`);
  const unknown = Object.keys(h).find((k) => !HISTORY_COLUMNS.includes(k));
  if (unknown !== undefined) fail(`${path} has an unknown column "${clip(unknown)}" (columns: ${HISTORY_COLUMNS.join(', ')})`);
  const out = {};
  let length = null;
  for (const c of HISTORY_COLUMNS) {
    const col = h[c];
    if (!Array.isArray(col)) fail(`${path}.${c} must be an array, got ${kindOf(col)}`);
    if (col.length > MAX_HISTORY) fail(`${path}.${c} has ${col.length} values, at most ${MAX_HISTORY}`);
    if (length !== null && col.length !== length) fail(`${path}.${c} has ${col.length} values, ${path}.step has ${length}`);
    length = col.length;
    for (let k = 0; k < col.length; ++k) {
      const x = col[k];
      const ok =
        c === 'step'
          ? Number.isInteger(x) && x >= 0 && (k === 0 || x > col[k - 1])
          : x === null || (typeof x === 'number' && Number.isFinite(x));
      if (!ok) {
        fail(
          c === 'step'
            ? `${path}.step[${k}] must be a whole number above the one before, got ${kindOf(x)}`
            : `${path}.${c}[${k}] must be a number or null, got ${kindOf(x)}`,
        );
      }
    }
    out[c] = col.map((x) => (x === null ? NaN : x));
  }
  return out;
}

/**
 * The first place where two configs (the core's JSON, as objects) differ: '' when they agree, else e.g.
 * 'training.learning_rate: 0.5 against 0.03'. Numbers compare exactly: a config must reproduce a run.
 */
export function configDiff(a, b, path = '') {
  if (a === b) return '';
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b))
    return `${path || 'config'}: ${clip(JSON.stringify(a))} against ${clip(JSON.stringify(b))}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const sub = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    const d = configDiff(a[k], b[k], sub);
    if (d) return d;
  }
  return '';
}

/**
 * The runs of an imported experiment, made in the engine: each model through the core (which checks its
 * every field), and each model's config checked against the config the file's link gives that network, so
 * the settings shown are the ones the network was trained with. configs: the core config (object) the link
 * gives each network; workers: the engine worker each run goes to. On any refusal, disposes what it made
 * and rejects with an ExperimentError naming the model and field. options.timeTravel: as RemoteRun.create's.
 */
export async function runsFromExperiment(pool, workers, parsed, configs, errorMessage, options = {}) {
  const runs = [];
  try {
    for (let i = 0; i < parsed.models.length; ++i) {
      const worker = workers[i % workers.length];
      try {
        runs.push(await RemoteRun.fromModel(pool, worker, parsed.models[i], parsed.histories[i], options));
      } catch (error) {
        fail(`models[${i}]: ${errorMessage(error)}`);
      }
      let expected;
      try {
        expected = (await pool.worker(worker).request({ op: 'probe', config: configs[i] })).config;
      } catch (error) {
        fail(`link: ${errorMessage(error)}`);
      }
      const diff = configDiff(runs[i].config, expected);
      if (diff) fail(`models[${i}].config does not match the file's link: ${diff.replace(' against ', ' in the model, ')} in the link`);
    }
    return runs;
  } catch (error) {
    for (const run of runs) run.dispose();
    throw error;
  }
}
