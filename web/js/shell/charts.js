// Live line charts (uPlot): loss, accuracy and per-layer gradient norm over training steps. uPlot redraws
// a few thousand points in well under a millisecond and shows each series' value under the cursor in its
// legend, which is the hover readout.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';
import { seriesColor } from '../palette.js';
import { fmt } from './format.js';
import { canvasBlob, composeChart, download, stamp } from '../share.js';

// Before training a chart has one point (step 0), and uPlot's automatic range of a single value is that
// value at both ends: an axis labelled "0.61 / 0.61". These ranges open a lone value (or none) into a span.
function stepRange(min, max) {
  if (min == null || max == null) return [0, 100];
  return max > min ? [min, max] : [min, min + 100];
}

// At least a tenth of the values' size, so two losses 0.607 and 0.613 do not fill the axis alone.
function valueRange(min, max) {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const least = 0.1 * Math.max(Math.abs(min), Math.abs(max)) || 1;
  if (max - min >= least) return uPlot.rangeNum(min, max, 0.1, true);
  const mid = (min + max) / 2;
  return uPlot.rangeNum(mid - least, mid + least, 0, true);
}

// A tick's label with as many decimals as its step needs (0.605 and 0.61 stay apart); a log axis's ticks
// (incr 0) and very large or small values in fmt's short form; a tick the axis skips (null) blank.
function tickText(t, incr) {
  if (t == null) return '';
  const a = Math.abs(t);
  if (!(incr > 0) || (a !== 0 && (a < 1e-3 || a >= 1e5))) return fmt(t, 2);
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(incr) + 1e-9)));
  return (Number(t.toFixed(decimals)) + 0).toFixed(decimals).replace('-', '\u2212');
}

function logRange(min, max) {
  if (min == null || max == null || !(min > 0) || !(max > 0)) return [0.1, 10];
  if (max / min > 1 + 1e-9) return uPlot.rangeLog(min, max, 10, true);
  return uPlot.rangeLog(min / 10, max * 10, 10, true);
}

/**
 * A line chart over steps. series: [{ label, dash?, color?, edgeOf? }]: color is the palette index (default:
 * the series' position); a series with edgeOf: j is one edge of a band around series j (two edges make the
 * band, lower first): a faint line and a filled band in j's colour, left out of the legend, the values
 * table and the PNG's legend (the values table gives the line's range instead). log: a log-scale y axis
 * (non-positive values hidden); saveAs: a file name stem, which adds a "Save PNG" button to the caption.
 */
export class LineChart {
  constructor({ title, series, log = false, height = 170, yLabel = '', percent = false, saveAs = '' }) {
    this.title = title;
    this.series = series;
    this.log = log;
    this.height = height;
    this.yLabel = yLabel;
    this.percent = percent;
    this.saveAs = saveAs;
    const caption = h('figcaption', { class: 'pg-chart__title' }, h('span', {}, title));
    if (saveAs) {
      this.saveButton = h(
        'button',
        {
          type: 'button',
          class: 'pg-chart__save small',
          'aria-label': `PNG of the ${title} chart`,
          onclick: () => this.save(),
        },
        'PNG',
      );
      caption.append(this.saveButton);
    }
    this.el = h('figure', { class: 'pg-chart' }, caption);
    this.host = h('div', { class: 'pg-chart__host' });
    // The canvas's text alternative: the latest value of each series, in a table a screen reader can read
    // (visually hidden; not a live region, which would speak at every redraw).
    // (The wrapper hides it: a table's own box grows to its content whatever its width says.)
    this.values = h('table', { class: 'chart-values' });
    this.valuesAt = 0;
    this.el.append(this.host, h('div', { class: 'visually-hidden' }, this.values));
    this.data = [[], ...series.map(() => [])];
    this.width = 300;
    this.plot = null;
    this.markAt = null; // a step marked by a vertical line (the step the time-travel scrubber shows)
    this.#writeValues();
  }

  /** Marks step x with a vertical line (null: none). */
  mark(x) {
    if (x === this.markAt) return;
    this.markAt = x;
    this.plot?.redraw(false, false);
  }

  #drawMark(u) {
    if (this.markAt === null || !this.colors) return;
    const x = u.valToPos(this.markAt, 'x', true);
    if (!Number.isFinite(x)) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = this.colors.fg ?? this.colors.axis;
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  }

  #options(colors) {
    const axis = {
      stroke: colors.axis,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1 },
      font: '11px system-ui, sans-serif',
    };
    // A short chart (the playground's first screen) still gets three or more y ticks: uPlot's default of
    // one tick per 30 px leaves a 120 px chart with a single label, an axis that says nothing.
    const ySpace = Math.max(14, Math.min(30, (this.height - 60) / 4));
    const y = this.percent
      ? { ...axis, values: (u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`), size: 44 }
      : { ...axis, values: (u, ticks, ai, space, incr) => ticks.map((t) => tickText(t, this.log ? 0 : incr)), size: 52 };
    return {
      width: this.width,
      height: this.height,
      legend: { live: true },
      hooks: { draw: [(u) => this.#drawMark(u)] },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
      scales: {
        x: { time: false, range: (u, min, max) => stepRange(min, max) },
        y: this.log
          ? { distr: 3, log: 10, range: (u, min, max) => logRange(min, max) }
          : { auto: true, range: this.percent ? [0, 1] : (u, min, max) => valueRange(min, max) },
      },
      axes: [
        { ...axis, label: 'step', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
        { ...y, space: ySpace, label: this.yLabel, labelSize: this.yLabel ? 16 : 0, labelFont: '11px system-ui, sans-serif' },
      ],
      series: [
        { label: 'step', value: (u, v) => (v == null ? '–' : String(v)) },
        ...this.series.map((s, i) => ({
          label: s.label,
          stroke: this.#color(i) + (s.edgeOf === undefined ? '' : '66'),
          width: s.edgeOf === undefined ? 2 : 1,
          dash: s.dash,
          spanGaps: true,
          points: { show: false },
          value: (u, v) => (v == null ? '–' : this.percent ? `${(v * 100).toFixed(1)}%` : fmt(v, 4)),
        })),
      ],
      // uPlot fills between a band's two series (upper first); series indices count the step column as 0.
      bands: this.series.flatMap((s, j) => {
        const [lo, hi] = this.#edges(j);
        return lo === undefined || hi === undefined ? [] : [{ series: [hi + 1, lo + 1], fill: `${this.#color(j)}33` }];
      }),
    };
  }

  /** A series' colour (#rrggbb) in the chart's theme. */
  #color(i) {
    return seriesColor(this.series[i].color ?? i, this.colors?.dark ? 'dark' : 'light');
  }

  /** The indices of the series that are series j's band edges, lower first. */
  #edges(j) {
    return this.series.flatMap((s, k) => (s.edgeOf === j ? [k] : []));
  }

  /** (Re)creates the chart, e.g. for a theme or scale change. */
  rebuild(colors) {
    this.colors = colors;
    this.plot?.destroy();
    this.plot = new uPlot(this.#options(colors), this.#clean(this.data), this.host);
    // The picture says nothing a screen reader can use: the values table (this.values) stands for it.
    this.plot.ctx.canvas.setAttribute('aria-hidden', 'true');
    // A band's edges have no legend entry of their own (the legend's first row is the step).
    const rows = this.plot.root.querySelectorAll('.u-legend .u-series');
    this.series.forEach((s, i) => {
      if (s.edgeOf !== undefined && rows[i + 1]) rows[i + 1].hidden = true;
    });
  }

  // Caption and one row per series: its value at the latest step. At most twice a second.
  #writeValues(force = true) {
    const now = performance.now();
    if (!force && now - this.valuesAt < 500) {
      // Skipped: write once the half second is up, so the table ends on the latest values.
      this.valuesTimer ??= setTimeout(() => {
        this.valuesTimer = null;
        this.#writeValues();
      }, 500);
      return;
    }
    this.valuesAt = now;
    const steps = this.data[0];
    const last = steps.length - 1;
    const show = (v) => (v == null || !Number.isFinite(v) ? 'none yet' : this.percent ? `${(v * 100).toFixed(1)}%` : fmt(v, 4));
    const at = (i) => (last >= 0 ? this.data[i + 1][last] : null);
    const value = (i) => {
      const [lo, hi] = this.#edges(i);
      const range = lo !== undefined && hi !== undefined && Number.isFinite(at(lo)) ? ` (range ${show(at(lo))} to ${show(at(hi))})` : '';
      return show(at(i)) + range;
    };
    this.values.replaceChildren(
      h('caption', {}, last >= 0 ? `${this.title} at step ${steps[last]}` : `${this.title}: no steps yet`),
      h('tr', {}, h('th', { scope: 'col' }, 'Series'), h('th', { scope: 'col' }, 'Value')),
      // Spread: replaceChildren, unlike h(), does not flatten an array (it would print "[object ...]").
      ...this.series.flatMap((sr, i) =>
        sr.edgeOf === undefined ? [h('tr', {}, h('th', { scope: 'row' }, sr.label), h('td', {}, value(i)))] : [],
      ),
    );
  }

  setLog(log) {
    if (log === this.log) return;
    this.log = log;
    if (this.colors) this.rebuild(this.colors);
  }

  resize(width) {
    const w = Math.max(200, Math.floor(width));
    if (w === this.width) return;
    this.width = w;
    this.plot?.setSize({ width: w, height: this.height });
  }

  /** columns: [steps, ...one array per series]; copied lazily by uPlot on draw. */
  setData(columns) {
    this.data = columns;
    this.plot?.setData(this.#clean(columns));
    this.#writeValues(false);
  }

  // Non-finite values (NaN accuracy for regression, a diverged loss) and, on a log axis, non-positive ones
  // would break the scale: they become gaps.
  #clean(columns) {
    return columns.map((col, i) => {
      if (i === 0) return col;
      const out = new Array(col.length);
      for (let k = 0; k < col.length; ++k) {
        const v = col[k];
        out[k] = Number.isFinite(v) && (!this.log || v > 0) ? v : null;
      }
      return out;
    });
  }

  /** The chart as a PNG Blob: its title, the plot and a legend drawn under it. */
  png() {
    if (!this.plot) return Promise.reject(new Error('the chart is not drawn yet'));
    const theme = this.colors.dark ? 'dark' : 'light';
    const legend = this.series.flatMap((s, i) =>
      s.edgeOf === undefined ? [{ label: s.label, color: seriesColor(s.color ?? i, theme), dash: s.dash }] : [],
    );
    return canvasBlob(composeChart({ title: this.title, canvas: this.plot.ctx.canvas, legend, colors: this.colors }));
  }

  async save() {
    try {
      download(await this.png(), `${this.saveAs}-${stamp()}.png`);
    } catch (error) {
      this.saveButton.textContent = 'PNG failed';
      console.warn(error);
    }
  }

  destroy() {
    this.plot?.destroy();
    this.plot = null;
  }
}
