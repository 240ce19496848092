// What no other playground shows, from session.diagnostics(): each layer's full-training-set gradient norm
// over time (log scale: vanishing and exploding gradients), its dead and saturated units and sparsity, and
// a histogram of its pre-activations drawn under the activation's own curve over the same range, so one
// sees which part of the function the data actually uses (ReLU's flat side, sigmoid's tails).
import { h, sizeCanvas } from '../shell/dom.js';
import { LineChart } from '../shell/charts.js';
import { activationLabel, fmt, percent } from '../shell/format.js';

const DEAD_NOTE =
  'Dead “–”: not measured for this activation. The core counts dead units only for ReLU, ReLU6 and the binary step, which output exactly 0 for every input below a point; leaky ReLU, PReLU, ELU and the smooth activations never do, so their count would be 0 by definition, and hard sigmoid and hard tanh show their flat parts under Saturated.';

export class DiagnosticsView {
  constructor(catalog) {
    this.catalog = catalog;
    this.gradChart = null;
    this.chartHost = h('div', { class: 'pg-diag__chart' });
    this.table = h('table', { class: 'pg-diag__table' });
    this.hists = h('div', { class: 'pg-diag__hists' });
    // Dead is measured only where an activation is exactly 0 over a half-line (ReLU, ReLU6, the step):
    // elsewhere the core's count is 0 by definition, so the table shows a dash and this note says why.
    this.deadNote = h('p', { class: 'small muted pg-diag__note', hidden: true }, DEAD_NOTE);
    this.el = h(
      'div',
      { class: 'pg-diag' },
      this.chartHost,
      // Wider than a phone: a scroll region, focusable and named so a keyboard can reach and scroll it.
      h(
        'div',
        {
          class: 'pg-diag__tablewrap scroll-region',
          tabindex: '0',
          role: 'region',
          'aria-label': 'Per-layer diagnostics table (scrolls sideways)',
        },
        this.table,
      ),
      this.deadNote,
      h('h3', { class: 'pg-diag__sub' }, 'Pre-activations and the activation'),
      h(
        'p',
        { class: 'small muted' },
        "Bars: how often each pre-activation value z occurs over the training set. Line: the layer's activation f(z) over the same range.",
      ),
      this.hists,
    );
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
      const canvas = h('canvas', {
        role: 'img',
        'aria-label': `Histogram of layer ${l + 1}'s pre-activations with ${activationLabel(layer.activation)}`,
      });
      const caption = h('figcaption', { class: 'small' }, `Layer ${l + 1}: ${activationLabel(layer.activation)}`);
      return { canvas, caption, fig: h('figure', { class: 'pg-diag__hist' }, caption, canvas) };
    });
    this.hists.replaceChildren(...this.histCanvases.map((c) => c.fig));
    if (!this.histCanvases.length)
      this.hists.append(h('p', { class: 'small muted' }, 'No hidden layers: the network is a linear model of its features.'));
    this.table.replaceChildren();
    this.tableRows = null;
  }

  resize(width) {
    this.gradChart?.resize(width);
  }

  rebuild(colors) {
    this.gradChart?.rebuild(colors);
  }

  /** charts: false while its tab is hidden (the table's text is kept current; the canvases wait for the tab). */
  update(run, colors, { charts = true } = {}) {
    const d = run.diagnostics;
    if (!d) return;
    this.#table(run, d);
    if (!charts) return;
    const g = run.gradHistory;
    this.gradChart.setData([g.step, ...g.norms]);
    this.#histograms(run, d, colors);
  }

  // The table is built once per run shape and then only its cells' text changes: a new <thead> inserted into
  // a shown table leaves one blink::MediaQuerySet in Chromium's StyleEngine for the page's life, and
  // rebuilding the table on every diagnostics pass (about 6 a second while training) grew the heap without end.
  #table(run, d) {
    let unmeasured = false;
    const rows = d.layers.map((layer, i) => {
      const output = i === d.layers.length - 1;
      const act = output ? 'output' : activationLabel(run.layers[i].activation);
      const deadMeasured = !output && this.catalog.canDie(run.layers[i].activation);
      const saturationMeasured = !output && this.catalog.canSaturate(run.layers[i].activation);
      unmeasured ||= !output && !deadMeasured;
      return {
        cls: layer.deadUnits ? 'has-dead' : '',
        unmeasured: !output && !deadMeasured,
        cells: [
          output ? 'Output' : String(i + 1),
          String(layer.units),
          act,
          deadMeasured ? `${layer.deadUnits}` : '–',
          saturationMeasured ? `${layer.saturatedUnits}` : '–',
          output ? '–' : percent(layer.sparsity),
          output ? '–' : String(layer.zeroPreActivations),
          fmt(layer.gradNorm),
          fmt(layer.weightNorm),
        ],
      };
    });
    if (this.tableRows?.length !== rows.length || !this.table.firstChild) {
      const head = h(
        'tr',
        {},
        ['Layer', 'Units', 'Activation', 'Dead', 'Saturated', 'Zeros', 'z = 0', '‖grad‖', '‖W‖'].map((t) =>
          h(
            'th',
            {
              scope: 'col',
              title:
                t === 'z = 0'
                  ? "How many pre-activations over the training set are exactly 0: the only place where ReLU's derivative convention matters"
                  : '',
            },
            t,
          ),
        ),
      );
      this.tableRows = rows.map((row) => {
        const cells = row.cells.map((_, k) => (k === 0 ? h('th', { scope: 'row' }) : h('td', {})));
        return { tr: h('tr', {}, cells), cells };
      });
      this.table.replaceChildren(
        h('caption', { class: 'visually-hidden' }, 'Per-layer diagnostics over the training set'),
        h('thead', {}, head),
        h(
          'tbody',
          {},
          this.tableRows.map((r) => r.tr),
        ),
      );
    }
    rows.forEach((row, i) => {
      const { tr, cells } = this.tableRows[i];
      if (tr.className !== row.cls) tr.className = row.cls;
      row.cells.forEach((text, k) => {
        if (cells[k].textContent !== text) cells[k].textContent = text;
      });
      // The Dead cell of an activation whose dead units are not counted: a dash that says why.
      cells[3].classList.toggle('pg-diag__unmeasured', row.unmeasured);
      if (row.unmeasured) cells[3].title = DEAD_NOTE;
      else cells[3].removeAttribute('title');
    });
    this.deadNote.hidden = !unmeasured;
  }

  #curve(name, params, lo, hi) {
    const key = `${name}|${params.alpha}|${params.beta}|${params.relu_grad_at_zero}|${params.formula}|${params.a}|${params.b}|${lo}|${hi}`;
    let c = this.curveCache.get(key);
    if (!c) {
      c = this.catalog.curve(name, {
        from: lo,
        to: hi,
        n: 96,
        alpha: params.alpha,
        beta: params.beta,
        reluGradAtZero: params.relu_grad_at_zero,
        formula: params.formula,
        a: params.a,
        b: params.b,
      });
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
      for (const v of c.y) {
        ylo = Math.min(ylo, v);
        yhi = Math.max(yhi, v);
      }
      if (!(yhi > ylo)) {
        yhi = ylo + 1;
      }
      const Y = (v) => pad.t + ph - ((v - ylo) / (yhi - ylo)) * ph;
      ctx.strokeStyle = colors.positive;
      ctx.lineWidth = 2;
      ctx.beginPath();
      c.x.forEach((x, i) => {
        const px = pad.l + ((x - lo) / (hi - lo)) * pw;
        if (i === 0) ctx.moveTo(px, Y(c.y[i]));
        else ctx.lineTo(px, Y(c.y[i]));
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
