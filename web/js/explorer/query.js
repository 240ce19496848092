// The explorer's state and its URL form, '#/explorer?fn=relu,silu&d=1&from=-10&to=10&g0=0&silu.beta=1', and
// '&ymin=-1&ymax=2' when the y range is set (without them y follows the curves). The user's own activation
// is the function 'formula' with '&formula=x*sigmoid(a*x)&formula.a=1&formula.b=1' (the core checks the text).
// Reading is forgiving: a bad value is dropped with a note saying which and why, and its default stays.

import { FORMULA, DEFAULT_FORMULA as DEFAULT_FORMULA_TEXT } from '../state.js';

// Slider ranges for the parameters. The core accepts wider ones (alpha -10..10, beta 0.01..100); these
// are the ranges where the shape changes visibly.
export const PARAM_SPECS = {
  leaky_relu: { key: 'alpha', symbol: 'α', min: 0, max: 1, step: 0.01 },
  prelu: { key: 'alpha', symbol: 'α', min: -1, max: 1, step: 0.01 },
  elu: { key: 'alpha', symbol: 'α', min: 0, max: 3, step: 0.05 },
  silu: { key: 'beta', symbol: 'β', min: 0.1, max: 10, step: 0.1 },
  softplus: { key: 'beta', symbol: 'β', min: 0.1, max: 10, step: 0.1 },
};

export const RANGE_LIMIT = 1000; // |from|, |to| at most this
export const MIN_SPAN = 0.1; // to - from at least this
export const GRAD_AT_ZERO_CHOICES = [0, 0.5, 1];
export const DEFAULT_FNS = ['relu'];
// The user's own activation: its name among fns, the formula it starts with, and the a, b sliders' range
// (the core accepts the catalog's formulaParam range, -10..10).
export { FORMULA };
export const DEFAULT_FORMULA = { text: DEFAULT_FORMULA_TEXT, a: 1, b: 1 };
export const FORMULA_PARAM_SPEC = { min: -5, max: 5, step: 0.05 };

/** The default state; infos maps an activation name to its activationInfo() from the core. */
export function defaultState(infos) {
  const params = {};
  for (const [name, spec] of Object.entries(PARAM_SPECS)) {
    const info = infos.get(name);
    if (info) params[name] = spec.key === 'alpha' ? info.defaultAlpha : info.defaultBeta;
  }
  return {
    fns: DEFAULT_FNS.filter((n) => infos.has(n)),
    deriv: true,
    from: -10,
    to: 10,
    ymin: null,
    ymax: null,
    g0: 0,
    params,
    formula: { ...DEFAULT_FORMULA },
  };
}

function parseNumber(text) {
  if (text === null || text.trim() === '') return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

function quote(text) {
  const shown = text.length > 30 ? `${text.slice(0, 30)}…` : text;
  return `"${shown}"`;
}

/**
 * Reads a query (URLSearchParams) over the defaults. Returns { state, notes }: notes are sentences naming
 * every value that was ignored. Never throws. validateFormula(text) returns '' or the core's message.
 */
export function readQuery(query, infos, validateFormula = () => '') {
  const state = defaultState(infos);
  const notes = [];
  // 'see' names a part of the page to scroll to (see=conventions), not state.
  const known = new Set([
    'fn',
    'd',
    'from',
    'to',
    'ymin',
    'ymax',
    'g0',
    'see',
    FORMULA,
    `${FORMULA}.a`,
    `${FORMULA}.b`,
    ...Object.entries(PARAM_SPECS).map(([n, s]) => `${n}.${s.key}`),
  ]);
  for (const key of query.keys()) {
    if (!known.has(key)) notes.push(`unknown setting ${quote(key)}`);
  }

  if (query.has('fn')) {
    const fns = [];
    for (const name of query
      .get('fn')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!infos.has(name) && name !== FORMULA) notes.push(`fn: ${quote(name)} is not an activation of the core`);
      else if (!fns.includes(name)) fns.push(name);
    }
    state.fns = fns;
  }

  if (query.has('d')) {
    const d = query.get('d');
    if (d === '1' || d === '0') state.deriv = d === '1';
    else notes.push(`d: ${quote(d)} must be 0 or 1`);
  }

  const from = query.has('from') ? parseNumber(query.get('from')) : state.from;
  const to = query.has('to') ? parseNumber(query.get('to')) : state.to;
  if (Number.isNaN(from)) notes.push(`from: ${quote(query.get('from'))} is not a number`);
  if (Number.isNaN(to)) notes.push(`to: ${quote(query.get('to'))} is not a number`);
  if (!Number.isNaN(from) && !Number.isNaN(to)) {
    const problem = rangeProblem(from, to);
    if (problem) notes.push(`range ${from}..${to}: ${problem}`);
    else Object.assign(state, { from, to });
  }

  const ymin = query.has('ymin') ? parseNumber(query.get('ymin')) : null;
  const ymax = query.has('ymax') ? parseNumber(query.get('ymax')) : null;
  if (Number.isNaN(ymin)) notes.push(`ymin: ${quote(query.get('ymin'))} is not a number`);
  if (Number.isNaN(ymax)) notes.push(`ymax: ${quote(query.get('ymax'))} is not a number`);
  if (!Number.isNaN(ymin) && !Number.isNaN(ymax)) {
    const problem = yRangeProblem(ymin, ymax);
    if (problem) notes.push(`y range ${ymin ?? 'auto'}..${ymax ?? 'auto'}: ${problem}`);
    else Object.assign(state, { ymin, ymax });
  }

  if (query.has('g0')) {
    const g0 = parseNumber(query.get('g0'));
    if (GRAD_AT_ZERO_CHOICES.includes(g0)) state.g0 = g0;
    else notes.push(`g0: ${quote(query.get('g0'))} must be 0, 0.5 or 1`);
  }

  for (const [name, spec] of Object.entries(PARAM_SPECS)) {
    const key = `${name}.${spec.key}`;
    if (!query.has(key) || !(name in state.params)) continue;
    const value = parseNumber(query.get(key));
    if (Number.isNaN(value)) notes.push(`${key}: ${quote(query.get(key))} is not a number`);
    else if (value < spec.min || value > spec.max) notes.push(`${key}: ${value} is outside ${spec.min}..${spec.max}`);
    else state.params[name] = value;
  }

  if (query.has(FORMULA)) {
    const text = query.get(FORMULA);
    const problem = validateFormula(text);
    if (problem) notes.push(`${problem} (in ${quote(text)})`);
    else state.formula.text = text;
  }
  for (const key of ['a', 'b']) {
    const name = `${FORMULA}.${key}`;
    if (!query.has(name)) continue;
    const value = parseNumber(query.get(name));
    const { min, max } = FORMULA_PARAM_SPEC;
    if (Number.isNaN(value)) notes.push(`${name}: ${quote(query.get(name))} is not a number`);
    else if (value < min || value > max) notes.push(`${name}: ${value} is outside ${min}..${max}`);
    else state.formula[key] = value;
  }
  return { state, notes };
}

/** Why from..to cannot be plotted, or '' if it can. */
export function rangeProblem(from, to) {
  if (Math.abs(from) > RANGE_LIMIT || Math.abs(to) > RANGE_LIMIT) return `each end must be within ±${RANGE_LIMIT}`;
  if (!(to - from >= MIN_SPAN)) return `"to" must exceed "from" by at least ${MIN_SPAN}`;
  return '';
}

/** Why ymin..ymax cannot be the y range, or '' if it can; null is "follow the curves" at that end. */
export function yRangeProblem(ymin, ymax) {
  if ((ymin !== null && Math.abs(ymin) > RANGE_LIMIT) || (ymax !== null && Math.abs(ymax) > RANGE_LIMIT))
    return `each end must be within ±${RANGE_LIMIT}`;
  if (ymin !== null && ymax !== null && !(ymax - ymin >= MIN_SPAN)) return `the top must exceed the bottom by at least ${MIN_SPAN}`;
  return '';
}

/** The query for a state: everything that shapes the plot, parameters only for the chosen functions. */
export function writeQuery(state) {
  const query = new URLSearchParams();
  query.set('fn', state.fns.join(','));
  query.set('d', state.deriv ? '1' : '0');
  query.set('from', String(state.from));
  query.set('to', String(state.to));
  if (state.ymin !== null) query.set('ymin', String(state.ymin));
  if (state.ymax !== null) query.set('ymax', String(state.ymax));
  query.set('g0', String(state.g0));
  for (const name of state.fns) {
    const spec = PARAM_SPECS[name];
    if (spec && name in state.params) query.set(`${name}.${spec.key}`, String(state.params[name]));
  }
  if (state.fns.includes(FORMULA)) {
    query.set(FORMULA, state.formula.text);
    query.set(`${FORMULA}.a`, String(state.formula.a));
    query.set(`${FORMULA}.b`, String(state.formula.b));
  }
  return query;
}
