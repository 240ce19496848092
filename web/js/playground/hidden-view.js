// The hidden space: the data and the input plane's grid lines placed by what two units of one hidden layer
// output for them (as ConvNetJS's classify2d shows it), so a learner sees the layer fold and bend the plane
// while the network trains. Only draws: the map comes from the core (RemoteRun.hiddenSpace, computed by
// core/hidden_space.cpp with the network's own forward pass), the words from the state and the catalog.
import { h, sizeCanvas } from '../shell/dom.js';
import { divergingInto } from '../shell/colors.js';
import { activationLabel, fmt, niceTicks, tickLabel } from '../shell/format.js';

const MARGIN = { left: 44, bottom: 34, top: 8, right: 10 };
// The axes widen at once to take in every point, and narrow by this share of the gap a frame, so the
// picture stays still while training moves the points a little.
const SHRINK = 0.08;
const PAD = 0.08; // of the points' span, on each side

/** The sentence under the picture: what is placed where, what this activation does, where the decision is. */
export function hiddenSentence({ layer, x, y, activation, hasBoundary, regression, lastLayer, units, oneD = false, softmax = false }) {
  const carried = oneD
    ? 'the line is the x axis carried through the layer'
    : "the grid is the input plane's grid carried through the layer";
  const place = `Each point is placed by what units ${x + 1} and ${y + 1} of layer ${layer + 1} output for it; ${carried}`;
  const a = activationLabel(activation);
  const what = {
    relu: 'ReLU folds everything with a negative pre-activation onto the axes (an output of exactly 0).',
    relu6: 'ReLU6 folds negative pre-activations onto the axes and flattens those above 6.',
    leaky_relu: `${a} bends the plane where a pre-activation changes sign, squeezing the negative side.`,
    prelu: `${a} bends the plane where a pre-activation changes sign, squeezing the negative side by its learned slope.`,
    identity: 'identity keeps every grid line straight: the layer only turns, stretches and shifts the plane.',
    binary_step: 'binary step sends every point to a corner: the whole plane collapses to four points.',
  }[activation];
  const effect = what ?? `${a} is smooth: it bends the grid lines and squashes the plane, without folding it.`;
  const colour = regression ? "the network's value" : "the network's prediction";
  let decision;
  if (hasBoundary) {
    decision = softmax
      ? 'The thick lines are the decision boundaries: the output sees only these two units, so where two classes meet is a straight line here.'
      : 'The thick line is the decision boundary: the output sees only these two units, so its decision is a straight line here.';
  } else if (regression) {
    decision = `The ${oneD ? 'line' : 'grid'} points are coloured by ${colour} there.`;
  } else {
    const why = !lastLayer
      ? 'the layers after this one bend it further'
      : `the output also reads the layer's other ${units - 2 === 1 ? 'unit' : `${units - 2} units`}`;
    decision = `The grid points are coloured by ${colour}; the decision is no line in these two units' coordinates, because ${why}.`;
  }
  return `${place}: ${effect} ${decision}`;
}

export class HiddenSpaceView {
  constructor() {
    this.canvas = h('canvas', { class: 'pg-hidden__plot', role: 'img', 'aria-label': 'The hidden space' });
    this.note = h('p', { class: 'pg-hidden__note small' });
    this.el = h('div', { class: 'pg-hidden', hidden: true }, this.canvas, this.note);
    this.range = null;
    this.key = '';
    this.size = 320;
  }

  resize(size) {
    this.size = size;
  }

  /** Forgets the axes' ranges: a new run, layer or unit pair fits them afresh. */
  refit() {
    this.range = null;
  }

  /** A message instead of a picture (a layer of one unit, no hidden layer, a refused selection). */
  showMessage(text) {
    const ctx = sizeCanvas(this.canvas, this.size, this.size);
    ctx.clearRect(0, 0, this.size, this.size);
    this.canvas.dataset.points = '0';
    this.canvas.setAttribute('aria-label', text);
    this.note.textContent = text;
  }

  /**
   * Draws a hidden space hs (RemoteRun.hiddenSpace) for the selection pick ({ layer, x, y } from 0).
   * o: { colors, showTest, head, outputs, valueScale, regression, activation, layers (the run's) }.
   */
  draw(hs, pick, o) {
    const key = `${pick.layer}/${pick.x}/${pick.y}`;
    if (key !== this.key) {
      this.key = key;
      this.range = null;
    }
    const { colors } = o;
    const size = this.size;
    const ctx = sizeCanvas(this.canvas, size, size);
    ctx.clearRect(0, 0, size, size);
    const plot = { x: MARGIN.left, y: MARGIN.top, w: size - MARGIN.left - MARGIN.right, h: size - MARGIN.top - MARGIN.bottom };
    const P = hs.points;
    const dataRows = hs.train + (o.showTest ? hs.test : 0);
    const gridFrom = hs.train + hs.test;
    this.#fit(P, dataRows, gridFrom, hs.lines * hs.samples);
    const [x0, x1, y0, y1] = this.range;
    const X = (v) => plot.x + ((v - x0) / (x1 - x0)) * plot.w;
    const Y = (v) => plot.y + plot.h - ((v - y0) / (y1 - y0)) * plot.h;

    this.#axes(ctx, plot, X, Y, colors, pick);
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();

    // The grid lines, one family (x₂ fixed) darker than the other (x₁ fixed); 1-D data: the x axis alone.
    const family = hs.lines > 1 ? hs.lines / 2 : hs.lines;
    for (const [from, to, alpha] of [
      [0, family, 0.5],
      [family, hs.lines, 0.22],
    ]) {
      const path = new Path2D();
      for (let l = from; l < to; ++l) {
        for (let s = 0; s < hs.samples; ++s) {
          const i = 3 * (gridFrom + l * hs.samples + s);
          if (s === 0) path.moveTo(X(P[i]), Y(P[i + 1]));
          else path.lineTo(X(P[i]), Y(P[i + 1]));
        }
      }
      ctx.strokeStyle = colors.fg;
      ctx.globalAlpha = alpha;
      ctx.lineWidth = 1;
      ctx.stroke(path);
    }
    ctx.globalAlpha = 1;

    // Without a decision line, each grid point takes the colour of the network's prediction there.
    if (!hs.hasBoundary) {
      const buckets = new Map();
      for (let k = 0, n = hs.lines * hs.samples; k < n; ++k) {
        const i = 3 * (gridFrom + k);
        const c = this.#predictionColor(P[i + 2], o);
        if (!buckets.has(c)) buckets.set(c, new Path2D());
        const px = X(P[i]);
        const py = Y(P[i + 1]);
        buckets.get(c).moveTo(px + 1.8, py);
        buckets.get(c).arc(px, py, 1.8, 0, 2 * Math.PI);
      }
      for (const [c, path] of buckets) {
        ctx.fillStyle = c;
        ctx.fill(path);
      }
    }

    // The data points: class colours, test points hollow.
    let drawn = 0;
    const dot = (row, hollow) => {
      const i = 3 * row;
      const px = X(P[i]);
      const py = Y(P[i + 1]);
      if (!Number.isFinite(px) || !Number.isFinite(py)) return;
      ++drawn;
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      const c = this.#labelColor(o.labels[row], o);
      ctx.lineWidth = hollow ? 1.5 : 1;
      ctx.fillStyle = hollow ? colors.surface : c;
      ctx.strokeStyle = hollow ? c : colors.dark ? '#000' : '#fff';
      ctx.fill();
      ctx.stroke();
    };
    for (let r = 0; r < hs.train; ++r) dot(r, false);
    if (o.showTest) for (let r = hs.train; r < hs.train + hs.test; ++r) dot(r, true);

    // The decision boundary, with a halo so it reads over the points.
    const B = hs.boundary;
    if (hs.hasBoundary && B.length) {
      const path = new Path2D();
      for (let i = 0; i < B.length; i += 4) {
        path.moveTo(X(B[i]), Y(B[i + 1]));
        path.lineTo(X(B[i + 2]), Y(B[i + 3]));
      }
      ctx.strokeStyle = colors.surface;
      ctx.lineWidth = 5;
      ctx.stroke(path);
      ctx.strokeStyle = colors.fg;
      ctx.lineWidth = 2.5;
      ctx.stroke(path);
    }
    ctx.restore();

    this.canvas.dataset.points = String(drawn);
    this.canvas.dataset.expected = String(dataRows);
    this.canvas.dataset.boundary = String(hs.hasBoundary ? B.length / 4 : 0);
    const layer = o.layers[pick.layer];
    const sentence = hiddenSentence({
      layer: pick.layer,
      x: pick.x,
      y: pick.y,
      activation: layer.activation,
      hasBoundary: hs.hasBoundary,
      regression: o.regression,
      lastLayer: pick.layer === o.layers.length - 2,
      units: layer.units,
      oneD: hs.lines === 1,
      softmax: o.head === 'softmax_ce',
    });
    if (this.note.textContent !== sentence) this.note.textContent = sentence;
    this.canvas.setAttribute(
      'aria-label',
      `The hidden space of layer ${pick.layer + 1}: ${drawn} data points plotted by unit ${pick.x + 1} (across, ${fmt(x0)} to ${fmt(x1)}) and unit ${pick.y + 1} (up, ${fmt(y0)} to ${fmt(y1)})`,
    );
  }

  // The ranges: the data's box padded, widened at once and narrowed slowly.
  #fit(P, dataRows, gridFrom, gridRows) {
    let [a, b, c, d] = [Infinity, -Infinity, Infinity, -Infinity];
    const take = (row) => {
      const x = P[3 * row];
      const y = P[3 * row + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      a = Math.min(a, x);
      b = Math.max(b, x);
      c = Math.min(c, y);
      d = Math.max(d, y);
    };
    // The data decide the view; the grid lines run on out of it (without data: the grid's own box).
    for (let r = 0; r < dataRows; ++r) take(r);
    if (!(a <= b)) for (let r = gridFrom; r < gridFrom + gridRows; ++r) take(r);
    if (!(a <= b)) [a, b, c, d] = [-1, 1, -1, 1];
    // A unit that outputs one value everywhere (dead, saturated) still gets an axis of some width.
    const widen = (lo, hi) => {
      const span = Math.max(hi - lo, 1e-3 * Math.max(1, Math.abs(lo), Math.abs(hi)));
      const mid = (lo + hi) / 2;
      return [mid - span / 2 - PAD * span, mid + span / 2 + PAD * span];
    };
    const want = [...widen(a, b), ...widen(c, d)];
    if (!this.range) {
      this.range = want;
      return;
    }
    const r = this.range;
    const move = (i, outward) => {
      const v = want[i];
      if (outward(v, r[i])) r[i] = v;
      else r[i] += SHRINK * (v - r[i]);
    };
    move(0, (v, cur) => v < cur);
    move(1, (v, cur) => v > cur);
    move(2, (v, cur) => v < cur);
    move(3, (v, cur) => v > cur);
  }

  #axes(ctx, plot, X, Y, colors, pick) {
    const [x0, x1, y0, y1] = this.range;
    ctx.strokeStyle = colors.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
    // The lines a = 0: where a ReLU layer folds the plane onto.
    ctx.fillStyle = colors.axis;
    ctx.globalAlpha = 0.6;
    if (x0 < 0 && x1 > 0) ctx.fillRect(Math.round(X(0)), plot.y, 1, plot.h);
    if (y0 < 0 && y1 > 0) ctx.fillRect(plot.x, Math.round(Y(0)), plot.w, 1);
    ctx.globalAlpha = 1;
    ctx.fillStyle = colors.muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(x0, x1, 4)) {
      const px = Math.round(X(v));
      ctx.fillText(tickLabel(v), px, plot.y + plot.h + 5);
      ctx.fillRect(px, plot.y + plot.h, 1, 3);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(y0, y1, 4)) {
      const py = Math.round(Y(v));
      ctx.fillText(tickLabel(v), plot.x - 5, py);
      ctx.fillRect(plot.x - 3, py, 3, 1);
    }
    ctx.fillStyle = colors.fg;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`unit ${pick.x + 1} →`, plot.x + plot.w / 2, plot.y + plot.h + 32);
    ctx.save();
    ctx.translate(12, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(`unit ${pick.y + 1} →`, 0, 0);
    ctx.restore();
  }

  // A data point's colour: its class, or its target on the regression scale.
  #labelColor(label, o) {
    if (!o.regression) return o.colors.classes[label] ?? o.colors.fg;
    const c = [];
    divergingInto(c, 0, label / o.valueScale, o.colors, 1);
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  // A grid point's colour from the prediction there (a class index for softmax, P(class 1) for sigmoid,
  // tanh's output, or the value), in a few steps so the points fall into a few paths.
  #predictionColor(v, o) {
    if (o.head === 'softmax_ce') return o.colors.classes[v] ?? o.colors.fg;
    let t;
    if (o.head === 'sigmoid_bce') t = 2 * v - 1;
    else if (o.head === 'tanh_mse') t = v;
    else t = v / o.valueScale;
    const step = Math.round(Math.max(-1, Math.min(1, t)) * 4) / 4;
    const c = [];
    divergingInto(c, 0, step === 0 ? 0 : Math.sign(step) * Math.max(0.5, Math.abs(step)), o.colors, 1);
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }
}
