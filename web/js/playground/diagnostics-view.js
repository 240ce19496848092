// What no other playground shows, from session.diagnostics(): each layer's full-training-set gradient norm
// over time (log scale: vanishing and exploding gradients), its dead and saturated units and sparsity, and
// a histogram of its pre-activations drawn under the activation's own curve over the same range, so one
// sees which part of the function the data actually uses (ReLU's flat side, sigmoid's tails).
import { h, sizeCanvas } from '../shell/dom.js';
import { LineChart } from '../shell/charts.js';
import { activationLabel, fmt, percent } from '../shell/format.js';

export class DiagnosticsView {
  constructor(catalog) {
    this.catalog = catalog;
    this.gradChart = null;
    this.chartHost = h('div', { class: 'pg-diag__chart' });
    this.table = h('table', { class: 'pg-diag__table' });
    this.hists = h('div', { class: 'pg-diag__hists' });
    this.el = h('div', { class: 'pg-diag' },
      this.chartHost,
      // Wider than a phone: a scroll region, focusable and named so a keyboard can reach and scroll it.
      h('div', { class: 'pg-diag__tablewrap scroll-region', tabindex: '0', role: 'region', 'aria-label': 'Per-layer diagnostics table (scrolls sideways)' }, this.table),
      h('h3', { class: 'pg-diag__sub' }, 'Pre-activations and the activation'),
      h('p', { class: 'small muted' }, 'Bars: how often each pre-activation value z occurs over the training set. Line: the layer\'s activation f(z) over the same range.'),
      this.hists);
    this.curveCache = new Map();
  }

  /** A new run: a chart series per layer, a histogram per layer. */
  setRun(run, state, colors) {
    this.run = run;
    this.state = state;
    const names = run.layers.map((l, i) => (i === run.layers.length - 1 ? 'Output' : `Layer ${i + 1}`));
    this.gradChart?.destroy();
    this.gradChart = new LineChart({
      title: 'Gradient norm per layer (log scale)',
      series: names.map((label, i) => ({ label, dash: i >= 7 ? [6, 3] : undefined })),
      log: true,
      height: 190,
      yLabel: '‖∂L/∂W‖',
      saveAs: 'gradient-norms',
    });
    this.chartHost.replaceChildren(this.gradChart.el);
    this.gradChart.resize(this.chartHost.clientWidth || 320);
    this.gradChart.rebuild(colors);
    this.histCanvases = run.layers.slice(0, -1).map((layer, l) => {
      const canvas = h('canvas', { role: 'img', 'aria-label': `Histogram of layer ${l + 1}'s pre-activations with ${activationLabel(layer.activation)}` });
      const caption = h('figcaption', { class: 'small' }, `Layer ${l + 1}: ${activationLabel(layer.activation)}`);
      return { canvas, caption, fig: h('figure', { class: 'pg-diag__hist' }, caption, canvas) };
    });
    this.hists.replaceChildren(...this.histCanvases.map((c) => c.fig));
    if (!this.histCanvases.length) this.hists.append(h('p', { class: 'small muted' }, 'No hidden layers: the network is a linear model of its features.'));
    this.table.replaceChildren();
  }

  resize(width) {
    this.gradChart?.resize(width);
  }

  rebuild(colors) {
    this.gradChart?.rebuild(colors);
  }

  update(run, colors) {
    const d = run.diagnostics;
    if (!d) return;
    const g = run.gradHistory;
    this.gradChart.setData([g.step, ...g.norms]);
    this.#table(run, d);
    this.#histograms(run, d, colors);
  }

  #table(run, d) {
    const head = h('tr', {}, ['Layer', 'Units', 'Activation', 'Dead', 'Saturated', 'Zeros', 'z = 0', '‖grad‖', '‖W‖'].map((t) => h('th', { scope: 'col', title: t === 'z = 0' ? 'How many pre-activations over the training set are exactly 0: the only place where ReLU\'s derivative convention matters' : '' }, t)));
    const rows = d.layers.map((layer, i) => {
      const output = i === d.layers.length - 1;
      const act = output ? 'output' : activationLabel(run.layers[i].activation);
      return h('tr', { class: layer.deadUnits ? 'has-dead' : '' },
        h('th', { scope: 'row' }, output ? 'Output' : String(i + 1)),
        h('td', {}, String(layer.units)),
        h('td', {}, act),
        h('td', {}, output ? '–' : `${layer.deadUnits}`),
        h('td', {}, output ? '–' : `${layer.saturatedUnits}`),
        h('td', {}, output ? '–' : percent(layer.sparsity)),
        h('td', {}, output ? '–' : String(layer.zeroPreActivations)),
        h('td', {}, fmt(layer.gradNorm)),
        h('td', {}, fmt(layer.weightNorm)));
    });
    this.table.replaceChildren(h('caption', { class: 'visually-hidden' }, 'Per-layer diagnostics over the training set'),
      h('thead', {}, head), h('tbody', {}, rows));
  }

  #curve(name, params, lo, hi) {
    const key = `${name}|${params.alpha}|${params.beta}|${params.relu_grad_at_zero}|${lo}|${hi}`;
    let c = this.curveCache.get(key);
    if (!c) {
      c = this.catalog.curve(name, { from: lo, to: hi, n: 96, alpha: params.alpha, beta: params.beta, reluGradAtZero: params.relu_grad_at_zero });
      if (this.curveCache.size > 64) this.curveCache.clear();
      this.curveCache.set(key, c);
    }
    return c;
  }

  #histograms(run, d, colors) {
    const width = 220;
    const height = 120;
    const pad = { l: 34, r: 6, t: 6, b: 18 };
    this.histCanvases.forEach(({ canvas }, l) => {
      const layer = d.layers[l];
      const ctx = sizeCanvas(canvas, width, height);
      ctx.clearRect(0, 0, width, height);
      ctx.fillStyle = colors.surface;
      ctx.fillRect(0, 0, width, height);
      const pw = width - pad.l - pad.r;
      const ph = height - pad.t - pad.b;
      const counts = layer.histogram;
      let max = 0;
      for (const c of counts) max = Math.max(max, c);
      const lo = layer.histogramLo;
      const hi = layer.histogramHi > lo ? layer.histogramHi : lo + 1;
      // Bars: the data's pre-activations.
      ctx.fillStyle = colors.dark ? 'rgba(169,174,184,0.45)' : 'rgba(85,91,102,0.35)';
      const bw = pw / counts.length;
      for (let i = 0; i < counts.length; ++i) {
        const bh = max ? (counts[i] / max) * ph : 0;
        ctx.fillRect(pad.l + i * bw + 0.5, pad.t + ph - bh, Math.max(1, bw - 1), bh);
      }
      // The activation over the same range, from the core, scaled to the plot's height.
      const params = run.config.network.hidden[l];
      const c = this.#curve(params.activation, params, lo, hi);
      let ylo = Infinity;
      let yhi = -Infinity;
      for (const v of c.y) { ylo = Math.min(ylo, v); yhi = Math.max(yhi, v); }
      if (!(yhi > ylo)) { yhi = ylo + 1; }
      const Y = (v) => pad.t + ph - ((v - ylo) / (yhi - ylo)) * ph;
      ctx.strokeStyle = colors.positive;
      ctx.lineWidth = 2;
      ctx.beginPath();
      c.x.forEach((x, i) => {
        const px = pad.l + ((x - lo) / (hi - lo)) * pw;
        if (i === 0) ctx.moveTo(px, Y(c.y[i])); else ctx.lineTo(px, Y(c.y[i]));
      });
      ctx.stroke();
      // z = 0, where ReLU's kink is.
      if (lo < 0 && hi > 0) {
        const z0 = pad.l + ((0 - lo) / (hi - lo)) * pw;
        ctx.fillStyle = colors.error;
        ctx.fillRect(z0, pad.t, 1, ph);
      }
      ctx.fillStyle = colors.muted;
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.fillText(`z ${fmt(lo, 2)}`, pad.l, pad.t + ph + 4);
      ctx.textAlign = 'right';
      ctx.fillText(fmt(hi, 2), pad.l + pw, pad.t + ph + 4);
      ctx.textBaseline = 'middle';
      ctx.fillStyle = colors.positive;
      ctx.fillText(`f ${fmt(yhi, 2)}`, pad.l - 3, pad.t + 5);
      ctx.fillText(fmt(ylo, 2), pad.l - 3, pad.t + ph - 4);
    });
  }
}
