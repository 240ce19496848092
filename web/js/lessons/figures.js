// The figures inside the lessons. Every value drawn or printed comes from the core: curves and kinks from
// the page's own instance (engine.curve, engine.kinks), trained runs from the training engine's worker; this file only lays them out as SVG plots and tables. Series colours come from
// lessons.css (.lesson-series-N), so a theme switch needs no redraw.
import { h, uid } from '../shell/dom.js';
import { activationLabel } from '../shell/format.js';
import { presetState } from './presets.js';
import { toConfig, withValue } from '../state.js';
import { RemoteRun } from '../engine/remote-run.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c) el.append(c);
  return el;
}

/** f and f' of one activation at one x, from the core. */
function valueAt(engine, name, x, options = {}) {
  const c = engine.curve(name, { from: x, to: x + 1, n: 2, ...options });
  return { y: c.y[0], dy: c.dy[0] };
}

const W = 420;
const H = 240;
const PAD = { l: 34, r: 10, t: 10, b: 26 };

/**
 * A line plot: series [{ label, x, y, breaks }] (breaks: x values where the line must not be joined, the
 * activation's kinks), fixed ranges (the figure knows what it shows), optional dots [{ x, y, open }].
 */
function plot({ label, series, xRange, yRange, xTicks, yTicks, dots = [] }) {
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const X = (x) => PAD.l + ((x - x0) / (x1 - x0)) * pw;
  const Y = (y) => PAD.t + ph - ((y - y0) / (y1 - y0)) * ph;
  const clip = uid('lesson-clip');
  const grid = [
    ...xTicks.map((t) =>
      s('line', { x1: X(t), x2: X(t), y1: PAD.t, y2: PAD.t + ph, class: t === 0 ? 'lesson-plot__axis' : 'lesson-plot__grid' }),
    ),
    ...yTicks.map((t) =>
      s('line', { x1: PAD.l, x2: PAD.l + pw, y1: Y(t), y2: Y(t), class: t === 0 ? 'lesson-plot__axis' : 'lesson-plot__grid' }),
    ),
  ];
  const labels = [
    ...xTicks.map((t) => s('text', { x: X(t), y: H - 8, 'text-anchor': 'middle' }, String(t).replace('-', '−'))),
    ...yTicks.map((t) => s('text', { x: PAD.l - 5, y: Y(t) + 4, 'text-anchor': 'end' }, String(t).replace('-', '−'))),
  ];
  const lines = series.map((ser, i) => {
    let d = '';
    let pen = false;
    for (let k = 0; k < ser.x.length; ++k) {
      const crossesKink = k > 0 && (ser.breaks ?? []).some((b) => ser.x[k - 1] < b && ser.x[k] >= b);
      d += `${pen && !crossesKink ? 'L' : 'M'}${X(ser.x[k]).toFixed(2)},${Y(ser.y[k]).toFixed(2)}`;
      pen = true;
    }
    return s('path', { d, class: `lesson-plot__line lesson-series-${i}`, 'clip-path': `url(#${clip})` });
  });
  const marks = dots.map((p) =>
    s('circle', {
      cx: X(p.x),
      cy: Y(p.y),
      r: 4,
      class: `lesson-plot__dot lesson-series-${p.series ?? 0}${p.open ? ' is-open' : ''}`,
    }),
  );
  const svg = s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'lesson-plot__svg', role: 'img', 'aria-label': label },
    s('defs', {}, s('clipPath', { id: clip }, s('rect', { x: PAD.l, y: PAD.t, width: pw, height: ph }))),
    ...grid,
    ...lines,
    ...marks,
    s('g', { class: 'lesson-plot__labels' }, ...labels),
  );
  const legend =
    series.length > 1
      ? h(
          'ul',
          { class: 'lesson-plot__legend small' },
          series.map((ser, i) => h('li', {}, h('span', { class: `lesson-swatch lesson-series-${i}`, 'aria-hidden': 'true' }), ser.label)),
        )
      : null;
  return h('div', { class: 'lesson-plot' }, svg, legend);
}

const fmtCell = (x) => (Object.is(x, -0) ? '0' : String(x)).replace('-', '−');

// ---- Lesson 1: ReLU over −10..10 and a table of its values ----

function reluFigure(engine) {
  const c = engine.curve('relu', { from: -10, to: 10, n: 201 });
  const graph = plot({
    label: 'ReLU over −10 to 10: 0 for negative inputs, then the line y = x',
    series: [{ label: 'ReLU', x: c.x, y: c.y }],
    xRange: [-10, 10],
    yRange: [-1, 10],
    xTicks: [-10, -5, 0, 5, 10],
    yTicks: [0, 5, 10],
  });
  const xs = [-10, -3.5, -1, 0, 0.5, 2.5, 10];
  const rows = xs.map((x) => {
    const { y } = valueAt(engine, 'relu', x);
    return h(
      'tr',
      { dataset: { x: String(x) } },
      h('th', { scope: 'row' }, fmtCell(x)),
      h('td', { class: 'lesson-value' }, fmtCell(y)),
      h('td', { class: 'muted' }, x >= 0 ? '1.0' : '—'),
    );
  });
  const table = h(
    'table',
    { class: 'lesson-table lesson-relu-values' },
    h('caption', { class: 'small' }, 'relu(x) computed by the core, beside what the article says max(0.0, x) returns'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'x'),
        h('th', { scope: 'col' }, 'relu(x) = max(0.0, x)'),
        h('th', { scope: 'col' }, 'the article’s claim'),
      ),
    ),
    h('tbody', {}, rows),
  );
  // The table scrolls sideways in a narrow column (a phone, the own-lesson preview): focusable and named, so
  // a keyboard can scroll it too.
  const wrap = h('div', { class: 'lesson-tablewrap', tabindex: '0', role: 'group', 'aria-label': 'Table of relu(x)' }, table);
  return h('figure', { class: 'lesson-figure' }, graph, wrap);
}

// ---- Lesson 2: ReLU' with a switchable value at 0, and the conventions compared in training ----

const G0_CHOICES = ['0', '0.5', '1'];
const COMPARE_STEPS = [1, 2, 10, 100, 300];

function derivativeFigure(engine, catalog, lesson, pool) {
  const host = h('div', { class: 'lesson-plot-host' });
  const readout = h('p', { class: 'small', 'aria-live': 'polite' });
  const id = uid('lesson-g0');
  const choose = h(
    'select',
    { id, onchange: () => draw(choose.value) },
    G0_CHOICES.map((v) => h('option', { value: v }, `ReLU′(0) = ${v}`)),
  );
  const draw = (g0) => {
    const options = { reluGradAtZero: Number(g0) };
    // 600 samples avoid x = 0 itself: the line shows the two sides, the dot the convention's value at 0.
    const c = engine.curve('relu', { from: -3, to: 3, n: 600, ...options });
    const at0 = valueAt(engine, 'relu', 0, options).dy;
    host.replaceChildren(
      plot({
        label: `ReLU′ over −3 to 3: 0 on the left, 1 on the right, ${at0} at 0`,
        series: [{ label: 'ReLU′', x: c.x, y: c.dy, breaks: engine.kinks('relu') }],
        xRange: [-3, 3],
        yRange: [-0.25, 1.25],
        xTicks: [-3, -2, -1, 0, 1, 2, 3],
        yTicks: [0, 0.5, 1],
        dots: [
          { x: 0, y: 0, open: true },
          { x: 0, y: 1, open: true },
          { x: 0, y: at0 },
        ],
      }),
    );
    readout.textContent = `The core returns ReLU′(0) = ${at0} with this convention.`;
  };
  draw('0');
  const control = h('div', { class: 'lesson-control' }, h('label', { for: id }, 'Convention at 0'), choose);

  const status = h('p', { class: 'small muted', 'aria-live': 'polite' }, 'Training the six runs…');
  const tables = h('div', { class: 'lesson-compare' });
  const compare = h('div', {}, h('h2', { class: 'lesson-sub' }, 'Training loss with each convention'), status, tables);
  // Six small runs of 300 steps, in the training engine's worker: the text need not wait for them.
  (async () => {
    try {
      const nets = [lesson.presets.find((p) => p.id === 'g0-0'), lesson.presets.find((p) => p.id === 'narrow-0')];
      tables.replaceChildren(...(await Promise.all(nets.map((preset) => compareTable(pool, catalog, preset)))));
      status.textContent =
        'Each run starts from the same weights; only ReLU′(0) differs. Loss after each number of steps, as the core computes it.';
    } catch (error) {
      status.textContent = `The comparison could not run: ${error.message}`;
    }
  })();
  return h('figure', { class: 'lesson-figure' }, control, host, readout, compare);
}

async function compareTable(pool, catalog, preset) {
  const base = presetState(catalog, preset);
  const losses = await Promise.all(
    G0_CHOICES.map(async (g0) => {
      const run = await RemoteRun.create(pool, 0, toConfig(withValue(base, catalog, 'reluGradAtZero', g0)), { timeTravel: false });
      try {
        const out = [];
        for (const step of COMPARE_STEPS) {
          await run.frame({ steps: step - run.step });
          out.push(run.latest.trainLoss);
        }
        return out;
      } finally {
        run.dispose();
      }
    }),
  );
  const net = base.layers.join('-');
  const rows = COMPARE_STEPS.map((step, i) => {
    const same = losses.every((l) => l[i] === losses[0][i]);
    return h(
      'tr',
      { dataset: { step: String(step) } },
      h('th', { scope: 'row' }, String(step)),
      losses.map((l, g) => h('td', { dataset: { g0: G0_CHOICES[g], value: String(l[i]) } }, l[i].toPrecision(7))),
      h('td', { class: same ? 'lesson-same' : 'lesson-differs' }, same ? 'yes' : 'no'),
    );
  });
  return h(
    'div',
    { class: 'lesson-tablewrap' },
    h(
      'table',
      { class: 'lesson-table', dataset: { net } },
      h('caption', { class: 'small' }, `The ${net} network on the circle, seed ${base.seed}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', rowspan: '2' }, 'Step'),
          h('th', { scope: 'colgroup', colspan: '3' }, 'Train loss with ReLU′(0) ='),
          h('th', { scope: 'col', rowspan: '2' }, 'Same?'),
        ),
        h(
          'tr',
          {},
          G0_CHOICES.map((g) => h('th', { scope: 'col' }, g)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

// ---- Lesson 8: dead units of the rate-3 run, step by step; layer 2's come back ----

const DYING_TABLE_STEPS = 12;
const DYING_COUNT_STEPS = 300;

/**
 * Trains the lesson's 'rate-3' preset one step at a time and counts, per hidden layer, its dead units at
 * each of the first steps (a table) and the revivals over the first 300 steps (a unit dead at one step and
 * alive at the next). A first-layer unit cannot come back under plain SGD; a later one can.
 */
function dyingFigure(pool, catalog, lesson) {
  const status = h('p', { class: 'small muted', 'aria-live': 'polite' }, 'Training the learning-rate-3 run…');
  const host = h('div', { class: 'lesson-tablewrap' });
  // In the training engine's worker, one step and one diagnostics pass at a time.
  (async () => {
    try {
      const preset = lesson.presets.find((p) => p.id === 'rate-3');
      const run = await RemoteRun.create(pool, 0, toConfig(presetState(catalog, preset)), { timeTravel: false });
      const counts = []; // (steps + 1, hidden layers): dead units after each step
      let revivals = null; // (hidden layers)
      try {
        let before = null;
        for (let step = 0; step <= DYING_COUNT_STEPS; ++step) {
          await run.frame({ steps: step ? 1 : 0, diagnostics: 2 });
          const dead = run.diagnostics.layers.slice(0, -1).map((l) => Array.from(l.dead));
          revivals ??= dead.map(() => 0);
          if (before)
            dead.forEach((units, l) =>
              units.forEach((d, j) => {
                if (before[l][j] && !d) revivals[l] += 1;
              }),
            );
          before = dead;
          if (step <= DYING_TABLE_STEPS) counts.push(dead.map((units) => units.reduce((n, d) => n + d, 0)));
        }
      } finally {
        run.dispose();
      }
      const layers = counts[0].map((_, l) => `Layer ${l + 1}`);
      const rows = counts.map((row, step) =>
        h(
          'tr',
          { dataset: { step: String(step) } },
          h('th', { scope: 'row' }, String(step)),
          row.map((n, l) => {
            const fell = step > 0 && n < counts[step - 1][l];
            return h(
              'td',
              { class: fell ? 'lesson-differs' : '', dataset: { layer: String(l + 1), dead: String(n), ...(fell ? { fell: '' } : {}) } },
              fell ? `${n} ↓` : String(n),
            );
          }),
        ),
      );
      host.replaceChildren(
        h(
          'table',
          { class: 'lesson-table lesson-dying' },
          h('caption', { class: 'small' }, 'Dead units (of 8) at learning rate 3'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Step'),
              layers.map((l) => h('th', { scope: 'col' }, l)),
            ),
          ),
          h('tbody', {}, rows),
        ),
      );
      status.textContent = `Revivals in the first ${DYING_COUNT_STEPS} steps (a unit dead at one step and alive at the next): ${revivals.map((n, l) => `layer ${l + 1}: ${n}`).join(', ')}.`;
      status.dataset.revivals = revivals.join(',');
    } catch (error) {
      status.textContent = `The run could not train: ${error.message}`;
    }
  })();
  const intro = h(
    'p',
    { class: 'small' },
    `The “Kill: learning rate 3” run, one step at a time: dead units per hidden layer in its first ${DYING_TABLE_STEPS} steps, as the core counts them; ↓ marks a count that fell, units coming back.`,
  );
  return h('figure', { class: 'lesson-figure' }, h('h2', { class: 'lesson-sub' }, 'Units that die and come back'), intro, host, status);
}

// ---- Lessons 5 and 10: several activations (or their slopes) on one plot ----

function curvesFigure(engine, { names, derivative, xRange, yRange, xTicks, yTicks, label }) {
  const series = names.map((name) => {
    const c = engine.curve(name, { from: xRange[0], to: xRange[1], n: 401 });
    return { label: activationLabel(name), x: c.x, y: derivative ? c.dy : c.y, breaks: derivative ? engine.kinks(name) : [] };
  });
  return h('figure', { class: 'lesson-figure' }, plot({ label, series, xRange, yRange, xTicks, yTicks }));
}

/** The figure a lesson names (content.js: figure), or null. */
export function figureFor(lesson, engine, catalog, pool) {
  switch (lesson.figure) {
    case 'relu':
      return reluFigure(engine);
    case 'derivative':
      return derivativeFigure(engine, catalog, lesson, pool);
    case 'dying':
      return dyingFigure(pool, catalog, lesson);
    case 'slopes':
      return curvesFigure(engine, {
        names: ['relu', 'tanh', 'sigmoid'],
        derivative: true,
        xRange: [-6, 6],
        yRange: [-0.1, 1.1],
        xTicks: [-6, -3, 0, 3, 6],
        yTicks: [0, 0.25, 0.5, 1],
        label: 'Slopes over −6 to 6: ReLU′ is 0 then 1, tanh′ peaks at 1, sigmoid′ peaks at 1/4',
      });
    case 'family':
      return curvesFigure(engine, {
        names: ['leaky_relu', 'elu', 'gelu_erf', 'silu', 'relu'],
        derivative: false,
        xRange: [-4, 3],
        yRange: [-1.2, 3],
        xTicks: [-4, -2, 0, 2],
        yTicks: [-1, 0, 1, 2, 3],
        label: 'ReLU, leaky ReLU, ELU, GELU and SiLU over −4 to 3: alike for positive inputs, different below 0',
      });
    default:
      return null;
  }
}
