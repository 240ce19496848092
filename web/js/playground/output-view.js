// The network's output over the input plane: a heatmap with the data points on top (2-D data), or the
// fitted curve over the data with each kink of a hidden unit marked (1-D data). Only draws: the values
// come from the engine's last frame (outputGrid, unitGrid), the points from the run.
import { h, sizeCanvas } from '../shell/dom.js';
import { divergingInto, divergingPixels } from '../shell/colors.js';
import { paintOutput, paintRegions } from '../shell/output-paint.js';
import { PLOT_EXTENT, plotBounds } from '../catalog.js';
import { fmt, niceTicks, tickLabel } from '../shell/format.js';
import { regionLayerLimit, regionSentence, smoothActivations, smoothSentence } from './regions.js';
import { HiddenSpaceView } from './hidden-view.js';
import { hiddenPick } from '../state.js';

// The axes' ticks over the plot extent: its ends, halves and 0 (−6, −3, 0, 3, 6).
const axisTicks = () => [-1, -0.5, 0, 0.5, 1].map((f) => f * PLOT_EXTENT);
const MARGIN = { left: 30, bottom: 22, top: 6, right: 6 };
// A 1-D fit's y labels are values like "−0.25": they need a wider left margin than the map's −6..6.
const MARGIN_LEFT_1D = 44;
// The corner card's map (CSS pixels).
const PEEK = { w: 140, h: 140 };
// While training, the region count is read out to a screen reader at most this often (it changes every frame).
const ANNOUNCE_EVERY_MS = 4000;

export class OutputView {
  constructor({ onAddPoint, onErase, onPick }) {
    this.onAddPoint = onAddPoint;
    this.onErase = onErase;
    this.onPick = onPick; // ({ x1, x2, label }) when a data point is clicked or picked by keyboard: trace it
    this.heat = h('canvas', { class: 'pg-out__heat', 'aria-hidden': 'true' });
    this.overlay = h('canvas', {
      class: 'pg-out__overlay',
      role: 'img',
      'aria-label': "The network's output over the input plane, with the data points",
      onpointerdown: (e) => this.#pointer(e),
      onpointermove: (e) => this.#hover(e),
      onpointerleave: () => {
        this.readout.textContent = '';
      },
      onkeydown: (e) => this.#key(e),
    });
    this.stack = h('div', { class: 'pg-out__stack' }, this.heat, this.overlay);
    this.readout = h('p', { class: 'pg-out__readout small muted', 'aria-live': 'off' });
    this.kinkNote = h('p', { class: 'pg-out__kinks small', hidden: true });
    // The linear-region view's sentence (the count, or why there are none), and its quieter twin for
    // screen readers: the visible one changes every frame while training.
    this.regionNote = h('p', { class: 'pg-out__regions small', hidden: true });
    this.regionStatus = h('p', { class: 'visually-hidden', role: 'status' });
    this.announcedAt = 0;
    this.legend = h('div', { class: 'pg-out__legend small' });
    // The map's text alternative: the network's output at a few points of the plane (visually hidden).
    // (Hidden by its wrapper: a table's own box grows to its content whatever its width says.)
    this.values = h('table', { class: 'chart-values' });
    this.valuesAt = 0;
    this.focusNote = h('p', { class: 'pg-out__focus small', 'aria-live': 'polite' });
    // Where the output panel is off screen (a phone's single column puts it above the network), the
    // focused map is drawn in a small card pinned to the viewport's corner instead of out of sight.
    this.peekCanvas = h('canvas', { 'aria-hidden': 'true' });
    this.peekTitle = h('p', { class: 'pg-peek__title small' });
    this.peek = h('div', { class: 'pg-peek', hidden: true }, this.peekTitle, this.peekCanvas);
    this.hidden = new HiddenSpaceView();
    this.el = h(
      'div',
      { class: 'pg-out' },
      this.focusNote,
      this.stack,
      this.hidden.el,
      this.kinkNote,
      this.regionNote,
      this.regionStatus,
      h('div', { class: 'pg-out__under' }, this.legend, this.readout),
      h('div', { class: 'visually-hidden' }, this.values),
      this.peek,
    );
    this.focus = null;
    this.offscreen = document.createElement('canvas');
    this.size = 320;
    this.addMode = null; // { label } while the user adds points by clicking
    this.cursor = { x: 0, y: 0 };
    this.picking = false; // choosing a point to trace with the arrow keys
    this.pickAt = null; // { which: 'train' | 'test', index } the keyboard is on
    this.traced = null; // { x1, x2, label } the point being traced, ringed on the map
  }

  /** Whether the panel takes up room on the page (an embed can hide it: hide=output). */
  get visible() {
    return this.el.offsetParent !== null;
  }

  /** A new run or new data: remembers the points and the data's shape. */
  setRun(run, shape, head) {
    this.run = run;
    this.shape = shape;
    this.head = head;
    // Regression colours scale with the largest |target| so the data and the surface share one scale.
    let scale = 0;
    for (const pts of [run.trainPoints, run.testPoints]) for (let i = 2; i < pts.length; i += 3) scale = Math.max(scale, Math.abs(pts[i]));
    this.valueScale = scale || 1;
    // Each data row's label, train then test: the hidden space's rows come in that order.
    this.labels = Float64Array.from([...run.trainPoints, ...run.testPoints].filter((_, i) => i % 3 === 2));
    this.hidden.refit();
    if (shape.dims === 1) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const pts of [run.trainPoints, run.testPoints]) {
        for (let i = 2; i < pts.length; i += 3) {
          lo = Math.min(lo, pts[i]);
          hi = Math.max(hi, pts[i]);
        }
      }
      const pad = 0.15 * (hi - lo || 1);
      this.yRange = [lo - pad, hi + pad];
    }
    if (this.plot) this.resize(this.size);
    this.#legend();
  }

  /**
   * Picking a point to trace by keyboard: the map takes focus; the arrow keys move to the nearest point in
   * that direction, Enter traces it, Escape stops.
   */
  setPicking(on) {
    this.picking = on && !this.addMode;
    this.overlay.tabIndex = this.picking || this.addMode ? 0 : -1;
    this.overlay.classList.toggle('is-picking', this.picking);
    if (!this.picking) {
      this.readout.textContent = '';
      this.setAddMode(this.addMode);
      return;
    }
    this.overlay.setAttribute(
      'aria-label',
      'Trace a point: the arrow keys move to the nearest point that way, Enter traces it, Escape stops',
    );
    if (!this.pickAt || !this.#pointRow(this.pickAt)) this.pickAt = this.#count('train') ? { which: 'train', index: 0 } : null;
    this.overlay.focus();
    this.#sayPick();
  }

  /** Where training point i is drawn, in page (client) pixels, and the point: { x, y, point }; null if none. */
  trainPointOnScreen(i) {
    const point = this.#pointRow({ which: 'train', index: i });
    if (!point || !this.plot) return null;
    const [px, py] = this.#toPixel(point.x1, this.shape.dims === 1 ? point.label : point.x2);
    const r = this.overlay.getBoundingClientRect();
    return { x: r.left + px, y: r.top + py, point };
  }

  /** Rings the traced point on the map (null: none). */
  setTraced(point) {
    this.traced = point;
  }

  #count(which) {
    return (which === 'test' ? this.run.testPoints : this.run.trainPoints).length / 3;
  }

  /** { x1, x2, label } of a point by where it is kept, or null. */
  #pointRow({ which, index }) {
    const pts = which === 'test' ? this.run?.testPoints : this.run?.trainPoints;
    if (!pts || index < 0 || 3 * index + 2 >= pts.length) return null;
    return { x1: pts[3 * index], x2: pts[3 * index + 1], label: pts[3 * index + 2] };
  }

  /** Every point drawn, with its pixel: train points, and test points when they are shown. */
  #drawnPoints() {
    const one = this.shape.dims === 1;
    const out = [];
    for (const which of this.showTest ? ['train', 'test'] : ['train']) {
      const pts = which === 'test' ? this.run.testPoints : this.run.trainPoints;
      for (let i = 0; i < pts.length; i += 3) {
        const [px, py] = this.#toPixel(pts[i], one ? pts[i + 2] : pts[i + 1]);
        out.push({ which, index: i / 3, px, py });
      }
    }
    return out;
  }

  /** The drawn point nearest a pixel, within `radius` px; null if none. */
  #pointNear(cx, cy, radius = 9) {
    let best = null;
    let bestD = radius * radius;
    for (const p of this.#drawnPoints()) {
      const d = (p.px - cx) ** 2 + (p.py - cy) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  }

  #sayPick() {
    const p = this.pickAt && this.#pointRow(this.pickAt);
    if (!p) {
      this.readout.textContent = 'No points to trace.';
      return;
    }
    const where = this.shape.dims === 1 ? `x = ${fmt(p.x1)}` : `x₁ = ${fmt(p.x1)}, x₂ = ${fmt(p.x2)}`;
    const label = this.shape.problem === 'classification' ? `class ${p.label}` : `target ${fmt(p.label)}`;
    this.readout.textContent = `${this.pickAt.which === 'test' ? 'Test' : 'Training'} point ${this.pickAt.index + 1}: ${where}, ${label}. Enter traces it.`;
  }

  /** Moves the pick to the nearest drawn point in a direction (dx, dy in pixels' sense). */
  #pickMove(dx, dy) {
    const all = this.#drawnPoints();
    const cur = all.find((p) => p.which === this.pickAt?.which && p.index === this.pickAt?.index) ?? all[0];
    if (!cur) return;
    let best = null;
    let bestScore = Infinity;
    for (const p of all) {
      const along = (p.px - cur.px) * dx + (p.py - cur.py) * dy;
      if (along <= 0.5) continue;
      const across = Math.abs((p.px - cur.px) * dy - (p.py - cur.py) * dx);
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = p;
      }
    }
    if (best) this.pickAt = { which: best.which, index: best.index };
    this.#sayPick();
  }

  setAddMode(mode) {
    this.addMode = mode;
    if (mode) this.picking = false;
    this.overlay.tabIndex = mode ? 0 : -1;
    this.overlay.classList.toggle('is-adding', Boolean(mode));
    this.overlay.classList.toggle('is-erasing', Boolean(mode?.erase));
    this.overlay.setAttribute(
      'aria-label',
      mode?.erase
        ? 'Erase points: click a point, or move the cross with the arrow keys and press Enter or Delete to erase the nearest'
        : mode
          ? 'Add points: click, or move the cross with the arrow keys and press Enter'
          : "The network's output over the input plane, with the data points",
    );
  }

  /** Lays out for the available width (CSS pixels). */
  resize(width, most = 420) {
    this.size = Math.max(200, Math.min(420, most, Math.floor(width)));
    const left = this.shape?.dims === 1 ? MARGIN_LEFT_1D : MARGIN.left;
    this.plot = { x: left, y: MARGIN.top, w: this.size - left - MARGIN.right, h: this.size - MARGIN.top - MARGIN.bottom };
    this.stack.style.width = `${this.size}px`;
    this.hidden.resize(this.size);
    this.stack.style.height = `${this.size}px`;
    // The map canvas covers the plot area only; its backing store is the grid, scaled by the browser.
    Object.assign(this.heat.style, {
      left: `${this.plot.x}px`,
      top: `${this.plot.y}px`,
      width: `${this.plot.w}px`,
      height: `${this.plot.h}px`,
    });
  }

  /**
   * A unit's or an input's map shown large instead of the output, while it is hovered or focused:
   * f = { title, data, res, oneD, scale } (data: res x res, or res values along x for 1-D), or null.
   */
  setFocus(f, colors) {
    const was = Boolean(this.focus);
    this.focus = f;
    this.stack.classList.toggle('is-focus', Boolean(f));
    if (!f) {
      this.focusNote.textContent = '';
      this.peek.hidden = true;
      if (was) this.#legend();
      return;
    }
    const title = `${f.title[0].toUpperCase()}${f.title.slice(1)}`;
    this.focusNote.textContent = `${title} (leave it for the output)`;
    const r = this.stack.getBoundingClientRect();
    this.peek.hidden = r.bottom > 0 && r.top < window.innerHeight;
    this.peekTitle.textContent = `${title}: ${f.oneD ? 'its output along x' : `−${fmt(f.scale)} to +${fmt(f.scale)}`}`;
    this.#focusLegend(f, colors);
  }

  /** Draws the output; res is the grid side (2-D) chosen by the caller's frame budget. Returns ms spent in the core. */
  draw(state, colors, res, catalog) {
    if (!this.run || !this.plot) return 0;
    if (this.focus) {
      this.hidden.el.hidden = true;
      this.stack.hidden = false;
      this.#drawFocus(this.focus, colors, this.heat, this.plot);
      if (!this.peek.hidden) this.#drawFocus(this.focus, colors, this.peekCanvas, PEEK);
      return 0;
    }
    const hiddenMode = state.outputMode === 'hidden';
    this.#showHidden(hiddenMode);
    if (hiddenMode) {
      this.#showRegionNote(null);
      return this.#drawHidden(state, colors);
    }
    if (this.shape.dims === 2 && state.outputMode === 'regions') return this.#drawRegions(state, colors, res, catalog);
    this.#showRegionNote(null);
    return this.shape.dims === 1 ? this.#drawCurve(colors, catalog) : this.#drawHeat(state, colors, res);
  }

  /** Shows the hidden space in place of the map (on), or the map again. */
  #showHidden(on) {
    if (this.hidden.el.hidden === !on) return;
    this.hidden.el.hidden = !on;
    this.stack.hidden = on;
    if (on) this.#hiddenLegend();
    else this.#legend();
  }

  /** The data and the input plane's grid in two units' coordinates (hidden-view.js), as last computed. */
  #drawHidden(state, colors) {
    // Nothing to draw where no one sees it (and nothing asked of the engine for it).
    if (!this.visible) return 0;
    const layers = this.run.layers;
    const pick = hiddenPick({ ...state, layers: layers.slice(0, -1).map((l) => l.units) });
    if (pick.error) {
      this.hidden.showMessage(pick.error);
      return 0;
    }
    // Read only: the playground asks for it before each round, as often as its cost allows.
    const hs = this.run.hiddenSpace(pick.layer, pick.x, pick.y, state.showTest, false);
    if (!hs) return 0;
    if (hs.error) {
      this.hidden.showMessage(hs.error);
      return hs.ms ?? 0;
    }
    this.hidden.draw(hs, pick, {
      colors,
      showTest: state.showTest && hs.test > 0,
      head: this.head,
      valueScale: this.valueScale,
      regression: this.shape.problem === 'regression',
      labels: this.labels,
      layers,
    });
    return hs.ms ?? 0;
  }

  #hiddenLegend() {
    const items = [];
    const swatch = (cls, text) => h('span', { class: 'pg-legend__item' }, h('span', { class: `pg-swatch ${cls}` }), text);
    if (this.shape.problem === 'classification') for (let k = 0; k < this.shape.classes; ++k) items.push(swatch(`is-c${k}`, `class ${k}`));
    items.push(swatch('is-test', 'test point'));
    items.push(
      h(
        'span',
        { class: 'muted' },
        this.shape.dims === 1 ? 'line: the x axis, carried through' : 'grid: darker lines x₂ fixed, lighter lines x₁ fixed',
      ),
    );
    this.legend.replaceChildren(...items);
    this.kinkNote.hidden = true;
  }

  /**
   * The plane coloured by linear region, with the boundaries drawn, from the same pass of the core as the
   * output (regionGrid); a network with a smooth hidden activation keeps its prediction map and says why.
   */
  #drawRegions(state, colors, res, catalog) {
    const hidden = this.run.layers.slice(0, -1);
    const layers = regionLayerLimit(state.regionLayers, hidden.length);
    const g = this.run.regionGrid(res, res, plotBounds(), layers);
    if (!g) return 0;
    res = g.width;
    const smooth = smoothActivations(this.run.layers, catalog);
    if (smooth.length) {
      paintOutput(this.heat, g.data, res, { outputs: this.run.outputs, head: this.head, valueScale: this.valueScale, colors });
      this.heat.classList.remove('is-discrete');
      this.#showRegionNote(smoothSentence(smooth), null);
    } else {
      // Canvas pixels per grid pixel: the backing store about as fine as the screen, so boundary lines stay thin.
      const scale = Math.max(1, Math.ceil((this.plot.w * Math.min(2, window.devicePixelRatio || 1)) / res));
      paintRegions(this.heat, g.patterns, res, scale, colors, this.offscreen);
      this.heat.classList.add('is-discrete');
      const curved = (this.run.config.network.features ?? []).some((f) => f !== 'x1' && f !== 'x2');
      this.#showRegionNote(regionSentence(g.regions, layers || hidden.length, hidden, curved), g.regions);
    }
    this.#writeValues(g.data, res, res);
    return g.ms;
  }

  /** Shows the region sentence (null: hides it); regions: the count it states, for tests and the status. */
  #showRegionNote(text, regions = null) {
    if (text === null) {
      if (!this.regionNote.hidden) {
        this.regionNote.hidden = true;
        this.regionStatus.textContent = '';
        this.#legend();
      }
      return;
    }
    const turnedOn = this.regionNote.hidden;
    this.regionNote.hidden = false;
    this.regionNote.textContent = text;
    this.regionNote.dataset.regions = regions === null ? '' : String(regions);
    if (turnedOn || this.legendRegions !== (regions !== null)) this.#regionLegend(regions !== null);
    this.#announce(turnedOn);
  }

  // The sentence to the status line now, or, if one was read out lately, once the pause is over: the
  // count a run stops at is always the one heard last.
  #announce(now) {
    const wait = this.announcedAt + ANNOUNCE_EVERY_MS - performance.now();
    if (now || wait <= 0) {
      clearTimeout(this.announceTimer);
      this.announceTimer = 0;
      this.announcedAt = performance.now();
      const text = this.regionNote.hidden ? '' : this.regionNote.textContent;
      if (this.regionStatus.textContent !== text) this.regionStatus.textContent = text;
    } else if (!this.announceTimer) {
      this.announceTimer = setTimeout(() => {
        this.announceTimer = 0;
        this.#announce(true);
      }, wait);
    }
  }

  #regionLegend(on) {
    this.legendRegions = on;
    this.legend.replaceChildren(
      h(
        'span',
        { class: 'muted' },
        on
          ? 'Colour: linear region (which piece every hidden unit is on); lines: where a unit switches piece.'
          : 'Colour: prediction (this network has no linear regions).',
      ),
    );
    this.kinkNote.hidden = true;
  }

  /** Draws a focused map into canvas c, shown at box.w x box.h CSS pixels. */
  #drawFocus(f, colors, c, box) {
    const { w, h: ph } = box;
    c.classList.remove('is-discrete');
    if (!f.oneD) {
      if (c.width !== f.res || c.height !== f.res) {
        c.width = f.res;
        c.height = f.res;
      }
      c.style.width = `${w}px`;
      c.style.height = `${ph}px`;
      const ctx = c.getContext('2d');
      const img = ctx.createImageData(f.res, f.res);
      divergingPixels(img.data, f.data, 0, f.res * f.res, f.scale, colors, 0.9);
      ctx.putImageData(img, 0, 0);
      return;
    }
    const ctx = sizeCanvas(c, w, ph);
    ctx.clearRect(0, 0, w, ph);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of f.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const pad = 0.1 * (hi - lo || 1);
    const [a, b] = [lo - pad, hi + pad];
    const Y = (v) => ph - ((v - a) / (b - a)) * ph;
    if (a < 0 && b > 0) {
      ctx.fillStyle = colors.grid;
      ctx.fillRect(0, Y(0), w, 1);
    }
    ctx.strokeStyle = colors.positive;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    f.data.forEach((v, i) => {
      const px = ((i + 0.5) / f.data.length) * w;
      if (i === 0) ctx.moveTo(px, Y(v));
      else ctx.lineTo(px, Y(v));
    });
    ctx.stroke();
    ctx.fillStyle = colors.fg;
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(`max ${fmt(hi)}`, 6, 14);
    ctx.fillText(`min ${fmt(lo)}`, 6, ph - 6);
  }

  #focusLegend(f, colors) {
    const bar = h('span', {
      class: 'pg-legend__bar',
      style: { background: `linear-gradient(to right, ${colors.negative}, ${colors.surface}, ${colors.positive})` },
    });
    this.legend.replaceChildren(
      f.oneD
        ? h('span', { class: 'muted' }, `${f.title}: its output along x, on its own scale.`)
        : h(
            'span',
            { class: 'pg-legend__item' },
            `−${fmt(f.scale)}`,
            bar,
            `+${fmt(f.scale)}`,
            h('span', { class: 'muted' }, f.shared ? ' (one scale for all units)' : ' (its own scale)'),
          ),
    );
    this.kinkNote.hidden = true;
  }

  #drawHeat(state, colors, res) {
    const g = this.run.outputGrid(res, res, plotBounds());
    if (!g) return 0;
    res = g.width;
    const discrete = state.discretize;
    paintOutput(this.heat, g.data, res, { outputs: this.run.outputs, head: this.head, valueScale: this.valueScale, discrete, colors });
    this.#writeValues(g.data, res, res);
    this.heat.classList.toggle('is-discrete', discrete);
    return g.ms;
  }

  #drawCurve(colors, catalog) {
    const { w, h: ph } = this.plot;
    // One prediction per pixel column: fine enough that every kink of a ReLU network shows as a corner.
    const g = this.run.outputGrid(Math.min(512, Math.round(w)), 1, plotBounds());
    if (!g) return 0;
    const ctx = sizeCanvas(this.heat, w, ph);
    ctx.clearRect(0, 0, w, ph);
    const { data: grid, width } = g;
    this.#writeValues(grid, width, 1);
    const [lo, hi] = this.yRange;
    const toY = (v) => ph - ((v - lo) / (hi - lo)) * ph;
    ctx.strokeStyle = colors.fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < width; ++i) {
      const px = ((i + 0.5) / width) * w;
      const py = Math.max(-10, Math.min(ph + 10, toY(grid[i])));
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
    const kinks = this.#bends(this.#kinks(width, catalog), grid, width);
    ctx.fillStyle = colors.error;
    for (const k of kinks) {
      const px = ((k + 1) / width) * w;
      ctx.beginPath();
      ctx.moveTo(px, ph - 8);
      ctx.lineTo(px - 4, ph);
      ctx.lineTo(px + 4, ph);
      ctx.closePath();
      ctx.fill();
    }
    this.kinkNote.hidden = false;
    this.kinkNote.textContent = kinks.length
      ? `▲ ${kinks.length} kink${kinks.length === 1 ? '' : 's'} in view: where a hidden unit switches between its two linear pieces.`
      : `No kinks in view: the fit does not bend between −${PLOT_EXTENT} and ${PLOT_EXTENT}.`;
    return g.ms;
  }

  // Of the units' kinks, those where the fitted curve itself bends: a kink of a unit whose output the
  // next layers ignore (a dead unit downstream, a zero weight) leaves the fit straight and is no kink of it.
  // The slope two columns either side must differ by more than 1% of the plot's height over its width.
  #bends(candidates, grid, width) {
    const [lo, hi] = this.yRange;
    const tol = (0.01 * (hi - lo)) / width;
    const kept = [];
    for (const k of candidates) {
      const a = Math.max(0, k - 2);
      const b = Math.min(width - 1, k + 3);
      if (k - a < 1 || b - (k + 1) < 1) continue;
      const before = (grid[k] - grid[a]) / (k - a);
      const after = (grid[b] - grid[k + 1]) / (b - k - 1);
      if (Math.abs(after - before) > tol && (kept.length === 0 || k - kept.at(-1) > 1)) kept.push(k);
    }
    return kept;
  }

  // Where along the fine x grid each kinked hidden unit crosses its kink: the unit's output crosses
  // f(kink) there. Returns the grid indices i with the crossing between columns i and i + 1.
  // At most once a second: the output at x (and x₂) = −6, −3, 0, 3, 6, read from the grid just drawn
  // (cell centres nearest those points; rows run from the top, x₂ = 6). Several outputs (softmax): the
  // most likely class.
  #writeValues(data, cols, rows) {
    const now = performance.now();
    if (now - this.valuesAt < 1000) return;
    this.valuesAt = now;
    const at = axisTicks();
    const k = this.run.outputs;
    const cell = (x, y) => {
      const i = Math.min(cols - 1, Math.floor(((x + PLOT_EXTENT) / (2 * PLOT_EXTENT)) * cols));
      const j = rows === 1 ? 0 : Math.min(rows - 1, Math.floor(((PLOT_EXTENT - y) / (2 * PLOT_EXTENT)) * rows));
      const base = (j * cols + i) * k;
      if (k === 1) return fmt(data[base]);
      let best = 0;
      for (let c = 1; c < k; ++c) if (data[base + c] > data[base + best]) best = c;
      return `class ${best}`;
    };
    const head = (text) => h('th', { scope: 'col' }, text);
    if (rows === 1) {
      this.values.replaceChildren(
        h('caption', {}, "The network's fit y at five values of x"),
        h(
          'tr',
          {},
          head('x'),
          at.map((x) => head(fmt(x))),
        ),
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, 'y'),
          at.map((x) => h('td', {}, cell(x, 0))),
        ),
      );
    } else {
      this.values.replaceChildren(
        h(
          'caption',
          {},
          `The network's output at 25 points of the plane (${k === 1 ? 'its value' : 'the class it predicts'}); rows are x₂, columns x₁`,
        ),
        h(
          'tr',
          {},
          head('x₂ \\ x₁'),
          at.map((x) => head(fmt(x))),
        ),
        [...at].reverse().map((y) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, fmt(y)),
            at.map((x) => h('td', {}, cell(x, y))),
          ),
        ),
      );
    }
  }

  #kinks(width, catalog) {
    const layers = this.run.layers.slice(0, -1);
    const kinked = layers.map((l) => catalog.info(l.activation).kinks.length > 0);
    if (!kinked.some(Boolean)) return [];
    const g = this.run.unitGrid(width, 1, plotBounds());
    if (!g || g.width !== width) return [];
    const units = g.data;
    const found = [];
    let u = 0;
    layers.forEach((layer, l) => {
      const levels = kinked[l] ? catalog.kinkLevels(layer.activation, this.run.config.network.hidden[l]) : [];
      for (let j = 0; j < layer.units; ++j, ++u) {
        for (const level of levels) {
          let prev = 0;
          for (let i = 0; i < width; ++i) {
            const d = units[u * width + i] - level;
            const s = Math.abs(d) < 1e-7 ? 0 : Math.sign(d);
            // A sign change, or leaving/entering the flat piece at the kink's level (ReLU's zero side).
            if (i > 0 && s !== prev) found.push(i - 1);
            prev = s;
          }
        }
      }
    });
    return found.sort((a, b) => a - b);
  }

  #axes(ctx, colors, yRange) {
    const { x, y, w, h: ph } = this.plot;
    ctx.strokeStyle = colors.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, y + 0.5, w - 1, ph - 1);
    ctx.fillStyle = colors.muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of axisTicks()) {
      const px = x + ((v + PLOT_EXTENT) / (2 * PLOT_EXTENT)) * w;
      ctx.fillText(fmt(v), px, y + ph + 8);
      ctx.fillRect(px, y + ph, 1, 4);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    // Round values (1, 2 or 5 times a power of ten) where they fall, not the padded range's quarters.
    const [lo, hi] = yRange;
    this.yTicks = (this.shape.dims === 1 ? niceTicks(lo, hi, 4) : axisTicks()).map(tickLabel);
    for (const label of this.yTicks) {
      const v = Number(label.replace('\u2212', '-'));
      const py = Math.round(y + ph - ((v - lo) / (hi - lo)) * ph);
      ctx.fillText(label, x - 5, py);
      ctx.fillRect(x - 3, py, 3, 1);
    }
  }

  #toPixel(px, py) {
    const { x, y, w, h: ph } = this.plot;
    const X = x + ((px + PLOT_EXTENT) / (2 * PLOT_EXTENT)) * w;
    if (this.shape.dims === 1) {
      const [lo, hi] = this.yRange;
      return [X, y + ph - ((py - lo) / (hi - lo)) * ph];
    }
    return [X, y + ((PLOT_EXTENT - py) / (2 * PLOT_EXTENT)) * ph];
  }

  #fromPixel(cx, cy) {
    const { x, y, w, h: ph } = this.plot;
    const X = -PLOT_EXTENT + ((cx - x) / w) * 2 * PLOT_EXTENT;
    if (this.shape.dims === 1) {
      const [lo, hi] = this.yRange;
      return [X, lo + ((y + ph - cy) / ph) * (hi - lo)];
    }
    return [X, PLOT_EXTENT - ((cy - y) / ph) * 2 * PLOT_EXTENT];
  }

  /** The data points (and the add-point cross): redrawn only when the data, the toggles or the size change. */
  drawPoints(state, colors) {
    if (!this.run || !this.plot) return;
    this.showTest = state.showTest;
    const ctx = sizeCanvas(this.overlay, this.size, this.size);
    ctx.clearRect(0, 0, this.size, this.size);
    this.#axes(ctx, colors, this.shape.dims === 1 ? this.yRange : [-PLOT_EXTENT, PLOT_EXTENT]);
    const regression = this.shape.problem === 'regression';
    const pointColor = (label) => {
      if (!regression) return colors.classes[label] ?? colors.fg;
      const c = [];
      divergingInto(c, 0, label / this.valueScale, colors, 1);
      return `rgb(${c[0]},${c[1]},${c[2]})`;
    };
    const one = this.shape.dims === 1;
    const draw = (pts, hollow) => {
      ctx.lineWidth = hollow ? 1.5 : 1;
      for (let i = 0; i < pts.length; i += 3) {
        const [px, py] = this.#toPixel(pts[i], one ? pts[i + 2] : pts[i + 1]);
        ctx.beginPath();
        ctx.arc(px, py, one ? 2.6 : 3.2, 0, 2 * Math.PI);
        const c = one ? colors.positive : pointColor(pts[i + 2]);
        if (hollow) {
          ctx.fillStyle = colors.surface;
          ctx.strokeStyle = c;
        } else {
          ctx.fillStyle = c;
          ctx.strokeStyle = colors.dark ? '#000' : '#fff';
        }
        ctx.fill();
        ctx.stroke();
      }
    };
    draw(this.run.trainPoints, false);
    if (state.showTest) draw(this.run.testPoints, true);
    const ring = (p, color, r) => {
      const [px, py] = this.#toPixel(p.x1, one ? p.label : p.x2);
      ctx.strokeStyle = color;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.stroke();
    };
    if (this.traced) ring(this.traced, colors.fg, 8);
    const picked = this.picking && this.pickAt && this.#pointRow(this.pickAt);
    if (picked && document.activeElement === this.overlay) ring(picked, colors.focus, 11);
    if (this.addMode && document.activeElement === this.overlay) {
      const [px, py] = this.#toPixel(this.cursor.x, this.cursor.y);
      ctx.strokeStyle = colors.fg;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(px - 8, py);
      ctx.lineTo(px + 8, py);
      ctx.moveTo(px, py - 8);
      ctx.lineTo(px, py + 8);
      ctx.stroke();
    }
  }

  #legend() {
    if (!this.hidden.el.hidden) return this.#hiddenLegend();
    if (!this.regionNote.hidden) return this.#regionLegend(this.legendRegions);
    const items = [];
    const swatch = (cls, text) => h('span', { class: 'pg-legend__item' }, h('span', { class: `pg-swatch ${cls}` }), text);
    if (this.shape.problem === 'classification') {
      for (let k = 0; k < this.shape.classes; ++k) items.push(swatch(`is-c${k}`, `class ${k}`));
      items.push(swatch('is-test', 'test point'));
      items.push(h('span', { class: 'muted' }, 'shade: prediction'));
    } else if (this.shape.dims === 2) {
      items.push(
        swatch('is-c0', `−${fmt(this.valueScale)}`),
        swatch('is-c1', `+${fmt(this.valueScale)}`),
        h('span', { class: 'muted' }, "shade: the network's value"),
      );
    } else {
      items.push(swatch('is-c1', 'data'), swatch('is-test', 'test point'), swatch('is-line', "the network's fit"));
    }
    this.legend.replaceChildren(...items);
    this.kinkNote.hidden = this.shape.dims !== 1;
  }

  #hover(e) {
    if (!this.plot) return;
    const r = this.overlay.getBoundingClientRect();
    const [a, b] = this.#fromPixel(e.clientX - r.left, e.clientY - r.top);
    if (a < -PLOT_EXTENT || a > PLOT_EXTENT) return;
    if (!this.addMode) this.overlay.style.cursor = this.#pointNear(e.clientX - r.left, e.clientY - r.top) ? 'pointer' : '';
    this.readout.textContent = this.shape.dims === 1 ? `x = ${fmt(a)}, y = ${fmt(b)}` : `x₁ = ${fmt(a)}, x₂ = ${fmt(b)}`;
  }

  #pointer(e) {
    if (!this.plot) return;
    const r = this.overlay.getBoundingClientRect();
    if (!this.addMode) {
      const hit = this.#pointNear(e.clientX - r.left, e.clientY - r.top);
      if (hit) {
        this.pickAt = { which: hit.which, index: hit.index };
        this.onPick?.(this.#pointRow(this.pickAt));
      }
      return;
    }
    const [a, b] = this.#fromPixel(e.clientX - r.left, e.clientY - r.top);
    if (Math.abs(a) > PLOT_EXTENT || (this.shape.dims === 2 && Math.abs(b) > PLOT_EXTENT)) return;
    if (this.addMode.erase) this.onErase(a, b);
    else this.onAddPoint(a, b);
  }

  #key(e) {
    if (this.picking && !this.addMode) {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (moves[e.key]) {
        e.preventDefault();
        this.#pickMove(...moves[e.key]);
        this.onCursor?.();
      } else if ((e.key === 'Enter' || e.key === ' ') && this.pickAt) {
        e.preventDefault();
        this.onPick?.(this.#pointRow(this.pickAt));
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.setPicking(false);
        this.onCursor?.();
        this.onPickEnd?.();
      }
      return;
    }
    if (!this.addMode) return;
    const step = e.shiftKey ? 1 : 0.25;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      e.preventDefault();
      const [dx, dy] = moves[e.key];
      const ySpan = this.shape.dims === 1 ? (this.yRange[1] - this.yRange[0]) / 12 : 1;
      const [lo, hi] = this.shape.dims === 1 ? this.yRange : [-PLOT_EXTENT, PLOT_EXTENT];
      this.cursor.x = Math.max(-PLOT_EXTENT, Math.min(PLOT_EXTENT, this.cursor.x + dx));
      this.cursor.y = Math.max(lo, Math.min(hi, this.cursor.y + dy * ySpan));
      this.readout.textContent = `Cross at ${fmt(this.cursor.x)}, ${fmt(this.cursor.y)}: ${this.addMode.erase ? 'Enter or Delete erases the nearest point' : 'Enter adds a point'}`;
      this.onCursor?.();
    } else if (e.key === 'Enter' || e.key === ' ' || (this.addMode.erase && (e.key === 'Delete' || e.key === 'Backspace'))) {
      e.preventDefault();
      if (this.addMode.erase) this.onErase(this.cursor.x, this.cursor.y);
      else this.onAddPoint(this.cursor.x, this.cursor.y);
    }
  }
}
