// Turns the explorer's state into what the chart draws, by asking the core: one curve() call per function
// over the range, plus one tiny curve() call per (function, kink) to read the value, the slope used there
// and the one-sided limits. Nothing here computes an activation itself.
import { labelOf } from './content.js';
import { FORMULA } from './query.js';

// Kinks are probed at k - h, k, k + h with h = 2^-30: a power of two, so k +- h and the midpoint the core
// computes ((k - h) + 2h / 2) are exact for |k| < 2^22, and the probe returns f(k) at exactly k.
const PROBE = 2 ** -30;
// Values this close are the same limit (a continuous f moves by ~slope * h ~ 1e-9 across the probe).
const SAME = 1e-6;

function same(a, b) {
  return Math.abs(a - b) <= SAME * Math.max(1, Math.abs(a), Math.abs(b));
}

function paramsOf(name, state, infos) {
  if (name === FORMULA) return { a: state.formula.a, b: state.formula.b };
  const info = infos.get(name);
  const p = { reluGradAtZero: state.g0 };
  if (info.usesAlpha) p.alpha = state.params[name] ?? info.defaultAlpha;
  if (info.usesBeta) p.beta = state.params[name] ?? info.defaultBeta;
  return p;
}

// The user's own formula goes through formulaCurve (the core parses it); the built-ins through curve.
function curveOf(engine, state, name, options) {
  return name === FORMULA ? engine.formulaCurve(state.formula.text, options) : engine.curve(name, options);
}

function probe(engine, state, name, k, params) {
  const c = curveOf(engine, state, name, { ...params, from: k - PROBE, to: k + PROBE, n: 3 });
  return { fL: c.y[0], f: c.y[1], fR: c.y[2], dL: c.dy[0], d: c.dy[1], dR: c.dy[2] };
}

/**
 * Builds { x, curves } for the chart. x: merged sample points (the uniform grid plus every kink in range).
 * curves[i]: { name, label, y, dy, yShow, dyShow, marks }. y/dy are what the lines draw (null = a gap
 * at a jump), yShow/dyShow the values to read out (the core's f(k), f'(k) even where the line has a gap);
 * marks: { x, f, fL, fR, d, dL, dR, jump } per kink of that function.
 * Throws whatever the engine throws (the caller keeps the previous state).
 */
export function buildModel(engine, infos, state, n) {
  const { from, to } = state;
  const specs = state.fns.map((name) => ({ name, params: paramsOf(name, state, infos) }));
  const grids = specs.map(({ name, params }) => curveOf(engine, state, name, { ...params, from, to, n }));
  // A formula's kinks are not known to the core (it is sampled like a smooth function).
  const ownKinks = specs.map(({ name, params }) =>
    name === FORMULA ? [] : Array.from(engine.kinks(name, { alpha: params.alpha, beta: params.beta })).filter((k) => k > from && k < to),
  );

  const extra = [...new Set(ownKinks.flat())].sort((a, b) => a - b);
  const gridX = grids.length ? grids[0].x : Float64Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
  // Merge the sorted grid with the sorted kinks; a kink that is already a grid point is not repeated.
  const x = [];
  const source = []; // per merged point: ['grid', i] or ['kink', k]
  let j = 0;
  for (let i = 0; i < gridX.length; ++i) {
    while (j < extra.length && extra[j] < gridX[i]) {
      x.push(extra[j]);
      source.push(['kink', extra[j]]);
      ++j;
    }
    if (j < extra.length && extra[j] === gridX[i]) {
      source.push(['kink', extra[j]]);
      ++j;
    } else source.push(['grid', i]);
    x.push(gridX[i]);
  }
  while (j < extra.length) {
    x.push(extra[j]);
    source.push(['kink', extra[j]]);
    ++j;
  }

  const curves = specs.map(({ name, params }, s) => {
    const grid = grids[s];
    const probes = new Map(extra.map((k) => [k, probe(engine, state, name, k, params)]));
    const own = new Set(ownKinks[s]);
    const y = new Array(x.length);
    const dy = new Array(x.length);
    const yShow = new Array(x.length);
    const dyShow = new Array(x.length);
    for (let m = 0; m < x.length; ++m) {
      const [kind, ref] = source[m];
      if (kind === 'grid') {
        y[m] = yShow[m] = grid.y[ref];
        dy[m] = dyShow[m] = grid.dy[ref];
        continue;
      }
      const p = probes.get(ref);
      yShow[m] = p.f;
      dyShow[m] = p.d;
      // At its own kink the derivative line breaks (dots show the value used and the limits); f breaks
      // only where it jumps. At another function's kink both lines just pass through the exact values.
      const mine = own.has(ref);
      y[m] = mine && !(same(p.fL, p.f) && same(p.f, p.fR)) ? null : p.f;
      dy[m] = mine ? null : p.d;
    }
    const marks = ownKinks[s].map((k) => {
      const p = probes.get(k);
      return { x: k, ...p, jump: !(same(p.fL, p.f) && same(p.f, p.fR)) };
    });
    return { name, label: labelOf(name), params, y, dy, yShow, dyShow, marks };
  });
  return { x, curves, from, to, ymin: state.ymin ?? null, ymax: state.ymax ?? null };
}

export { same as sameLimit };
