// The explorer's plot: one uPlot chart, f solid and f' dashed in the same colour per function, dots at
// kinks. It only draws what model.js computed; the data -> pixel mapping is uPlot's own scales.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar, seriesColor, currentTheme } from '../palette.js';
import { sameLimit } from './model.js';

const DASH = [7, 5];

// uPlot joins the samples on either side of a null and clips the join away, but a steep join is as wide
// as the line and survives the clip at its edges (a sliver of the jump at ReLU's f'(0)). Widen each gap
// by the line width: the kink's dots (radius 4.5 px) cover that much anyway.
function widenGaps(u, seriesIdx, idx0, idx1, gaps) {
  const pad = (u.series[seriesIdx].width ?? 2) * (uPlot.pxRatio || 1) + 1;
  return gaps.map(([a, b]) => [a - pad, b + pad]);
}

export function formatNumber(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

export class ExplorerChart {
  #host;
  #plot = null;
  #key = '';
  #model = null;
  #deriv = true;
  #theme = currentTheme();
  #onDraw;
  #onCursor;
  #pinned = false;
  #hovering = false;
  #pinIdx = null;

  /**
   * host: an element to draw into; onDraw(): called after every redraw (tests count them); onCursor(x):
   * the x the legend reads after a hover or a tap (not after showAt), so the slider can follow it; null
   * when the pointer leaves the chart.
   */
  constructor(host, { onDraw = () => {}, onCursor = () => {} } = {}) {
    this.#host = host;
    this.#onDraw = onDraw;
    this.#onCursor = onCursor;
  }

  get plot() {
    return this.#plot;
  }

  /** The colour of the i-th function, as drawn. */
  colorOf(i) {
    return seriesColor(i, this.#theme);
  }

  /** Draws a model from buildModel(); rebuilds the chart only when the set of lines changes. */
  update(model, showDeriv) {
    const key = JSON.stringify([model.curves.map((c) => c.name), showDeriv, this.#theme]);
    this.#model = model;
    this.#deriv = showDeriv;
    const data = [model.x];
    for (const c of model.curves) {
      data.push(c.y);
      if (showDeriv) data.push(c.dy);
    }
    if (key !== this.#key || !this.#plot) {
      this.#key = key;
      this.#plot?.destroy();
      this.#plot = new uPlot(this.#options(model, showDeriv), data, this.#host);
    } else {
      this.#plot.batch(() => {
        this.#plot.setScale('x', { min: model.from, max: model.to });
        this.#plot.setData(data);
      });
    }
  }

  /** The system theme changed: the next update rebuilds with the new colours. */
  setTheme(theme) {
    this.#theme = theme;
    this.#key = '';
  }

  resize(width) {
    if (!this.#plot) return;
    const size = chartSize(width);
    if (size.width !== this.#plot.width || size.height !== this.#plot.height) this.#plot.setSize(size);
  }

  /**
   * Moves the cursor (and the legend's read-out) to the sample nearest x and returns that sample's x, so
   * the slider can show the very x the legend reads. Several samples can share a pixel (801 on a phone's
   * 340 px): the legend is pinned to the sample itself rather than to whatever the pixel maps back to.
   */
  showAt(x) {
    const u = this.#plot;
    if (!u) return x;
    const idx = u.valToIdx(x);
    this.#pinIdx = idx;
    this.#pinned = true;
    u.setCursor({ left: u.valToPos(u.data[0][idx], 'x'), top: u.bbox.height / (uPlot.pxRatio || window.devicePixelRatio || 1) / 2 });
    if (u.legend.idx !== idx) u.setLegend({ idx });
    this.#pinned = false;
    return u.data[0][idx];
  }

  // A redraw recomputes the cursor from its pixel, which can be the sample next door: put the legend back
  // on the slider's sample (unless a pointer is reading the chart).
  #repin(u) {
    const idx = this.#pinIdx;
    if (this.#hovering || idx == null || idx >= u.data[0].length || u.legend.idx === idx) return;
    this.#pinned = true;
    u.setLegend({ idx });
    this.#pinned = false;
  }

  /** Data -> canvas device pixel, with the chart's own scales (for tests and the kink markers). */
  toCanvas(x, y) {
    const u = this.#plot;
    return [u.valToPos(x, 'x', true), u.valToPos(y, 'y', true)];
  }

  /** Data -> viewport CSS pixel (where a mouse would point at it). */
  toClient(x, y) {
    const u = this.#plot;
    const rect = u.over.getBoundingClientRect();
    return [rect.left + u.valToPos(x, 'x'), rect.top + u.valToPos(y, 'y')];
  }

  destroy() {
    this.#plot?.destroy();
    this.#plot = null;
    this.#key = '';
  }

  #options(model, showDeriv) {
    const axis = cssVar('--axis');
    const grid = cssVar('--grid');
    const font = `12px ${cssVar('--font-sans') || 'sans-serif'}`;
    const series = [{ label: 'x', value: (u, v) => formatNumber(v) }];
    model.curves.forEach((c, i) => {
      const stroke = this.colorOf(i);
      series.push({
        label: `${c.label} f(x)`,
        stroke,
        width: 2.5,
        gaps: widenGaps,
        points: { show: false },
        value: (u, v, si, idx) => formatNumber(idx == null ? null : this.#model.curves[i]?.yShow[idx]),
      });
      if (showDeriv) {
        series.push({
          label: `${c.label} f′(x)`,
          stroke,
          width: 2,
          dash: DASH,
          gaps: widenGaps,
          points: { show: false },
          value: (u, v, si, idx) => formatNumber(idx == null ? null : this.#model.curves[i]?.dyShow[idx]),
        });
      }
    });
    const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font };
    return {
      ...chartSize(this.#host.clientWidth),
      series,
      scales: {
        x: { time: false, auto: false, range: () => [this.#model.from, this.#model.to] },
        y: { auto: true, range: (u, min, max) => this.#yRange(min, max) },
      },
      axes: [
        { ...axisStyle, label: 'x', labelFont: font, labelSize: 20 },
        { ...axisStyle, size: 56 },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      hooks: {
        drawAxes: [(u) => this.#drawGuides(u)],
        draw: [
          (u) => {
            this.#drawMarks(u);
            this.#repin(u);
            this.#onDraw();
          },
        ],
        // Only a pointer over the chart moves the slider (uPlot also sets the legend as it builds).
        setLegend: [
          (u) => {
            const idx = u.legend.idx;
            if (this.#hovering && !this.#pinned && idx != null) this.#onCursor(u.data[0][idx]);
          },
        ],
        ready: [
          (u) => {
            u.over.addEventListener('pointerenter', () => {
              this.#hovering = true;
            });
            u.over.addEventListener('pointerleave', (e) => {
              // A finger leaves as the tap ends, before the tap's mouse events move the cursor: the tap's
              // reading (and the slider it moves) must stay, so a touch does not end the reading.
              if (e.pointerType === 'touch') return;
              this.#hovering = false;
              this.#onCursor(null);
            });
          },
        ],
      },
    };
  }

  // The curves' own range, padded, unless the reader set an end (state ymin/ymax); a set end that would
  // leave nothing to draw (a bottom above the curves' top) falls back to the curves' range.
  #yRange(min, max) {
    const [lo, hi] = padRange(min, max);
    const a = this.#model?.ymin ?? lo;
    const b = this.#model?.ymax ?? hi;
    return b > a ? [a, b] : [lo, hi];
  }

  // Zero lines and a faint vertical rule at every kink, under the curves.
  #drawGuides(u) {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const px = uPlot.pxRatio || window.devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.strokeStyle = cssVar('--axis');
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = px;
    const x0 = Math.round(u.valToPos(0, 'x', true)) + 0.5;
    const y0 = Math.round(u.valToPos(0, 'y', true)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, y0);
    ctx.lineTo(left + width, y0);
    ctx.moveTo(x0, top);
    ctx.lineTo(x0, top + height);
    ctx.stroke();
    ctx.setLineDash([2 * px, 4 * px]);
    ctx.beginPath();
    for (const k of new Set(this.#model.curves.flatMap((c) => c.marks.map((m) => m.x)))) {
      const kx = Math.round(u.valToPos(k, 'x', true)) + 0.5;
      ctx.moveTo(kx, top);
      ctx.lineTo(kx, top + height);
    }
    ctx.stroke();
    ctx.restore();
  }

  // At each kink: f's value (a diamond where f is continuous; at a jump a filled dot for the value and open
  // dots for the one-sided limits), and when f' is shown a filled dot at the slope used there with open
  // dots at the one-sided limits of f'.
  #drawMarks(u) {
    const { ctx } = u;
    const px = uPlot.pxRatio || window.devicePixelRatio || 1;
    const r = 4.5 * px;
    const hole = cssVar('--surface');
    ctx.save();
    ctx.lineWidth = 2 * px;
    const dot = (x, y, color, filled) => {
      const [cx, cy] = this.toCanvas(x, y);
      if (!Number.isFinite(cx) || !Number.isFinite(cy)) return;
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      ctx.fillStyle = filled ? color : hole;
      ctx.fill();
      ctx.strokeStyle = color;
      ctx.stroke();
    };
    const diamond = (x, y, color) => {
      const [cx, cy] = this.toCanvas(x, y);
      ctx.beginPath();
      ctx.moveTo(cx, cy - r * 1.3);
      ctx.lineTo(cx + r * 1.3, cy);
      ctx.lineTo(cx, cy + r * 1.3);
      ctx.lineTo(cx - r * 1.3, cy);
      ctx.closePath();
      ctx.fillStyle = color;
      ctx.fill();
    };
    this.#model.curves.forEach((c, i) => {
      const color = this.colorOf(i);
      for (const m of c.marks) {
        if (m.jump) {
          if (!sameLimit(m.fL, m.f)) dot(m.x, m.fL, color, false);
          if (!sameLimit(m.fR, m.f)) dot(m.x, m.fR, color, false);
          dot(m.x, m.f, color, true);
        } else {
          diamond(m.x, m.f, color);
        }
        if (this.#deriv) {
          if (!sameLimit(m.dL, m.d)) dot(m.x, m.dL, color, false);
          if (!sameLimit(m.dR, m.d)) dot(m.x, m.dR, color, false);
          dot(m.x, m.d, color, true);
        }
      }
    });
    ctx.restore();
  }
}

// A little room above and below the data, so a line along y = 0 (ReLU's left half) is not drawn on the
// plot's edge.
function padRange(min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [-1, 1];
  const span = max - min || Math.max(1, Math.abs(max));
  return [min - 0.06 * span, max + 0.06 * span];
}

function chartSize(width) {
  const w = Math.max(240, Math.floor(width || 600));
  // Taller than wide-screen proportions on a phone, so the curves are not a thin strip.
  const ratio = w < 520 ? 0.9 : 0.62;
  return { width: w, height: Math.round(Math.min(460, Math.max(260, w * ratio))) };
}
