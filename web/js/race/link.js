// The race's link: a playground link for everything the networks share, plus the race's own keys. It
// lives apart from state.js (the playground's property table) because only race mode and the lessons that
// open a race use it.
import {
  FORMAT_VERSION,
  FORMULA,
  clip,
  defaults,
  formatNumber,
  fromQuery,
  migrateEntries,
  propertyByKey,
  queryVersion,
  readNumber,
  readValue,
  toQuery,
  withActivation,
  withValue,
} from '../state.js';
import { raceSeeds } from './seeds.js';

// A race's link is a playground link for everything the networks share (same keys, same v) plus:
//   vary  which setting differs: act (activation, every hidden layer), opt, lr or init
//   runs  its 2..4 values, comma-separated, e.g. 'relu,tanh,sigmoid'; 'formula' is the user's own activation,
//         whose text and a, b are the shared keys fx, fa and fb (as in a playground link)
//   show  the curve drawn: test (test loss, the default), train (train loss) or acc (test accuracy)
//   len   the race's length in steps (0: until paused)
//   seeds how many seeds each network trains on, 1..MAX_SEEDS (left out at 1): seed, seed + 1, ...
//         (race/seeds.js); the chart shows each network's median with its range, the table median [range]
// e.g. '#/race?v=1&seed=1&data=circle&h=8,8&lr=0.1&vary=act&runs=relu,tanh,sigmoid'. The varied setting's own
// key is left out of the link (runs says it). Every network gets the same seed, so the same data, the same
// batches and, unless init is what differs, the same initial weights.

export const RACE_VARIES = [
  { key: 'act', name: 'activations', label: 'Activation' },
  { key: 'opt', name: 'optimizer', label: 'Optimizer' },
  { key: 'lr', name: 'learningRate', label: 'Learning rate' },
  { key: 'init', name: 'init', label: 'Initialisation' },
];
export const RACE_SHOWS = ['test', 'train', 'acc'];
export const RACE_LENGTHS = [500, 1000, 3000, 10000, 0];
// The race's speed, in steps per second rather than the playground's steps per frame, so a race runs at the
// same pace on any display: the link's speed=1..6 picks one of these (0: as fast as the workers go). The
// default lets a class watch a 3,000-step race unfold: 100 steps a second, 30 s.
export const RACE_PACES = [10, 30, 100, 300, 1000, 0];
export const RACE_PACE_LABELS = [
  '10 steps a second',
  '30 steps a second',
  '100 steps a second (watchable)',
  '300 steps a second',
  '1,000 steps a second',
  'As fast as possible',
];
export const RACE_DEFAULT_SPEED = 3;
export const MIN_RUNS = 2;
export const MAX_RUNS = 4;
// Seeds per network: up to ten runs of each network, so no one lucky seed decides a race.
export const MAX_SEEDS = 10;
const RACE_KEYS = ['vary', 'runs', 'show', 'len', 'seeds'];

/** The default race: the playground's defaults, four activations. */
export function raceDefaults(catalog) {
  return {
    base: { ...defaults(catalog), speed: RACE_DEFAULT_SPEED },
    vary: 'act',
    runs: ['relu', 'leaky_relu', 'tanh', 'sigmoid'],
    show: 'test',
    length: 3000,
    seeds: 1,
  };
}

function readRunValue(vary, text, catalog) {
  if (vary === 'act') {
    return catalog.activations.includes(text) || text === FORMULA
      ? { value: text }
      : { error: `"${clip(text)}" is not an activation; activations are ${[...catalog.activations, FORMULA].join(', ')}` };
  }
  return readValue(propertyByKey(vary), text, catalog);
}

/**
 * Reads a race query. Like fromQuery, an invalid value keeps its default and yields a { key, message } that
 * names the key and what it allows; the rest of the link is kept.
 */
export function raceFromQuery(query, catalog) {
  const params = new URLSearchParams(query);
  const errors = [];
  const version = queryVersion(params, errors);
  const entries = migrateEntries(
    [...params.entries()].filter(([k]) => k !== 'v'),
    version,
  );
  const raceEntries = new Map();
  const baseParams = new URLSearchParams([['v', String(FORMAT_VERSION)]]);
  for (const [key, text] of entries) {
    if (!RACE_KEYS.includes(key)) baseParams.append(key, text);
    else if (raceEntries.has(key)) errors.push({ key, message: `${key} is given twice; the first value is used` });
    else raceEntries.set(key, text);
  }
  const race = raceDefaults(catalog);
  const base = fromQuery(baseParams, catalog);
  errors.push(...base.errors);
  // No speed in the link: the race's own default pace, not the playground's.
  race.base = baseParams.has('speed') ? base.state : { ...base.state, speed: RACE_DEFAULT_SPEED };

  if (raceEntries.has('vary')) {
    const text = raceEntries.get('vary');
    if (RACE_VARIES.some((v) => v.key === text)) {
      race.vary = text;
    } else {
      errors.push({ key: 'vary', message: `vary must be one of ${RACE_VARIES.map((v) => v.key).join(', ')}; got "${clip(text)}"` });
    }
  }
  if (raceEntries.has('runs')) {
    const parts = raceEntries.get('runs').split(',');
    const values = [];
    let bad = null;
    if (parts.length < MIN_RUNS || parts.length > MAX_RUNS) {
      bad = `runs lists ${parts.length} value${parts.length === 1 ? '' : 's'}; a race has ${MIN_RUNS} to ${MAX_RUNS}`;
    }
    for (let i = 0; i < parts.length && !bad; ++i) {
      const r = readRunValue(race.vary, parts[i], catalog);
      if (r.error) bad = `runs: value ${i + 1}: ${r.error}`;
      else values.push(r.value);
    }
    if (bad) errors.push({ key: 'runs', message: bad });
    else race.runs = values;
  }
  if (!raceEntries.has('runs') || errors.some((e) => e.key === 'runs')) race.runs = defaultRuns(race.vary, race.base);
  if (raceEntries.has('show')) {
    const text = raceEntries.get('show');
    if (RACE_SHOWS.includes(text)) race.show = text;
    else errors.push({ key: 'show', message: `show must be one of ${RACE_SHOWS.join(', ')}; got "${clip(text)}"` });
  }
  if (raceEntries.has('len')) {
    const text = raceEntries.get('len');
    const n = readNumber(text);
    if (RACE_LENGTHS.includes(n)) race.length = n;
    else errors.push({ key: 'len', message: `len must be one of ${RACE_LENGTHS.join(', ')} (0: until paused); got "${clip(text)}"` });
  }
  if (raceEntries.has('seeds')) {
    const text = raceEntries.get('seeds');
    const n = readNumber(text);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_SEEDS) race.seeds = n;
    else
      errors.push({
        key: 'seeds',
        message: `seeds (seeds per network) must be a whole number from 1 to ${MAX_SEEDS}; got "${clip(text)}"`,
      });
  }
  return { race, errors };
}

/** The values a race compares when none are given: the varied setting's usual contenders. */
export function defaultRuns(vary, base) {
  if (vary === 'act') return ['relu', 'leaky_relu', 'tanh', 'sigmoid'];
  if (vary === 'opt') return ['sgd', 'momentum', 'rmsprop', 'adam'];
  if (vary === 'lr') {
    const lr = base.learningRate;
    return [lr / 10, lr, lr * 10].map((x) => Number(x.toPrecision(3)));
  }
  return ['glorot_uniform', 'he_normal', 'lecun_normal', 'uniform'];
}

/** The race as a query: the shared settings (the varied key left out), then vary, runs, show and len. */
export function raceToQuery(race, catalog) {
  const params = toQuery(race.base, catalog);
  const varied = RACE_VARIES.find((v) => v.key === race.vary);
  // A key that applies to some network but not to the shared settings (ir when one network has the uniform
  // initialisation, mom when one uses momentum) is still part of the race.
  race.runs.forEach((_, i) => {
    for (const [key, text] of toQuery(raceRunState(race, catalog, i), catalog)) if (!params.has(key)) params.set(key, text);
  });
  params.delete(varied.key);
  if (race.vary === 'act') {
    // The runs decide every layer's activation: their parameters are each activation's defaults.
    params.delete('alpha');
    params.delete('beta');
  }
  // The playground's toQuery leaves out its own default speed; the race's default is another one.
  if (race.base.speed === RACE_DEFAULT_SPEED) params.delete('speed');
  else params.set('speed', String(race.base.speed));
  params.set('vary', race.vary);
  params.set('runs', race.runs.map((v) => (typeof v === 'number' ? formatNumber(v) : v)).join(','));
  if (race.show !== 'test') params.set('show', race.show);
  params.set('len', String(race.length));
  if (race.seeds > 1) params.set('seeds', String(race.seeds));
  return params;
}

/**
 * The playground state of a race's i-th network: the shared state with the varied setting set to runs[i];
 * on its k-th seed (0: the race's own seed), with the seed race/seeds.js gives.
 */
export function raceRunState(race, catalog, i, k = 0) {
  const value = race.runs[i];
  let state = race.base;
  if (race.vary === 'act') {
    for (let l = 0; l < state.layers.length; ++l) state = withActivation(state, catalog, l, value);
  } else {
    const varied = RACE_VARIES.find((v) => v.key === race.vary);
    state = withValue(state, catalog, varied.name, value);
  }
  if (k === 0) return state;
  return withValue(state, catalog, 'seed', raceSeeds(race.base.seed, k + 1, propertyByKey('seed').max)[k]);
}
