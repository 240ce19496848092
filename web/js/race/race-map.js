// One racing network's output over the input plane, small: the prediction as a heatmap (2-D data) or the
// fitted curve (1-D data), with the training points on top. Only draws: the values come from the engine.
import { h, sizeCanvas } from '../shell/dom.js';
import { divergingInto } from '../shell/colors.js';
import { paintOutput } from '../shell/output-paint.js';
import { PLOT_EXTENT, plotBounds } from '../catalog.js';

export class RaceMap {
  /** label: the run's name; color: its series colour (the chart's and the table's). */
  constructor(label, color, href) {
    this.canvas = h('canvas', {
      class: 'race-map__canvas',
      role: 'img',
      'aria-label': `${label}: the network's output over the input plane, with the training points`,
    });
    this.status = h('p', { class: 'race-map__status small' }, '\u00a0');
    this.swatch = h('span', { class: 'race-swatch', style: { background: color } });
    this.link = h('a', { href, class: 'small' }, 'Open in Playground');
    this.el = h(
      'figure',
      { class: 'race-map' },
      h('figcaption', { class: 'race-map__title' }, this.swatch, h('span', {}, label)),
      this.canvas,
      this.status,
      this.link,
    );
    this.heat = document.createElement('canvas');
    this.size = 160;
  }

  setRun(run, shape, head) {
    this.run = run;
    this.shape = shape;
    this.head = head;
    let lo = Infinity;
    let hi = -Infinity;
    let scale = 0;
    for (const pts of [run.trainPoints, run.testPoints]) {
      for (let i = 2; i < pts.length; i += 3) {
        lo = Math.min(lo, pts[i]);
        hi = Math.max(hi, pts[i]);
        scale = Math.max(scale, Math.abs(pts[i]));
      }
    }
    this.valueScale = scale || 1;
    const pad = 0.15 * (hi - lo || 1);
    this.yRange = [lo - pad, hi + pad];
  }

  resize(size) {
    this.size = Math.max(96, Math.floor(size));
    // The figure is as wide as its map, so the status line wraps instead of pushing the next map down.
    this.el.style.width = `${this.size}px`;
  }

  /** Asks the run for the grid the next draw needs, so the engine's next round brings it. */
  want(res) {
    if (!this.run) return;
    if (this.shape.dims === 1) this.run.outputGrid(Math.min(256, Math.round(this.size)), 1, plotBounds());
    else this.run.outputGrid(res, res, plotBounds());
  }

  /** Draws at grid side res (2-D), from the engine's last frame; returns the worker's milliseconds for it. */
  draw(res, colors) {
    if (!this.run) return 0;
    const s = this.size;
    const ctx = sizeCanvas(this.canvas, s, s);
    ctx.fillStyle = colors.surface;
    ctx.fillRect(0, 0, s, s);
    let coreMs = 0;
    if (this.shape.dims === 1) {
      coreMs = this.#curve(ctx, colors);
    } else {
      const g = this.run.outputGrid(res, res, plotBounds());
      if (g) {
        coreMs = g.ms;
        paintOutput(this.heat, g.data, g.width, { outputs: this.run.outputs, head: this.head, valueScale: this.valueScale, colors });
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(this.heat, 0, 0, s, s);
      }
    }
    this.#points(ctx, colors);
    ctx.strokeStyle = colors.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, s - 1, s - 1);
    return coreMs;
  }

  #curve(ctx, colors) {
    const s = this.size;
    const g = this.run.outputGrid(Math.min(256, Math.round(s)), 1, plotBounds());
    if (!g) return 0;
    const { data: grid, width } = g;
    const [lo, hi] = this.yRange;
    ctx.strokeStyle = colors.fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < width; ++i) {
      const x = ((i + 0.5) / width) * s;
      const y = Math.max(-4, Math.min(s + 4, s - ((grid[i] - lo) / (hi - lo)) * s));
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
    return g.ms;
  }

  #points(ctx, colors) {
    const s = this.size;
    const pts = this.run.trainPoints;
    const one = this.shape.dims === 1;
    const [lo, hi] = this.yRange;
    const regression = this.shape.problem === 'regression';
    const rgb = [];
    const r = s < 140 ? 1.6 : 2.2;
    ctx.lineWidth = 0.75;
    ctx.strokeStyle = colors.dark ? '#000' : '#fff';
    for (let i = 0; i < pts.length; i += 3) {
      const x = ((pts[i] + PLOT_EXTENT) / (2 * PLOT_EXTENT)) * s;
      const y = one ? s - ((pts[i + 2] - lo) / (hi - lo)) * s : ((PLOT_EXTENT - pts[i + 1]) / (2 * PLOT_EXTENT)) * s;
      if (one) {
        ctx.fillStyle = colors.positive;
      } else if (regression) {
        divergingInto(rgb, 0, pts[i + 2] / this.valueScale, colors, 1);
        ctx.fillStyle = `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
      } else {
        ctx.fillStyle = colors.classes[pts[i + 2]] ?? colors.fg;
      }
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
