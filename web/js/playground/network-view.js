// The network diagram: inputs, every hidden unit with its own small output map, the output, and every
// connection coloured (sign) and thickened (magnitude) by its weight. Each hidden layer's column carries
// its controls (units, activation, its parameter) and its live counts (dead units, zeros). Hover, focus or
// tap shows a weight's or a unit's values. Dead units are crossed out, saturated ones outlined.
import { h, sizeCanvas, setOptions } from '../shell/dom.js';
import { divergingInto, weightStyle } from '../shell/colors.js';
import { activationLabel, featureLabel, fmt, headLabel, percent } from '../shell/format.js';
import { MAX_LAYERS, MAX_UNITS } from '../state.js';

const MAX_SHOWN = 16; // units drawn per layer; the rest are counted ("+240 more")
const HEADER = 150;    // px above the first unit: the column's title and controls

export class NetworkView {
  constructor(callbacks, catalog) {
    this.cb = callbacks; // { layers(n), units(layer, n), activation(layer, name), param(layer, which, value) }
    this.catalog = catalog;
    this.links = h('canvas', { class: 'pg-net__links', 'aria-hidden': 'true' });
    this.stage = h('div', { class: 'pg-net__stage' }, this.links);
    this.tip = h('div', { class: 'pg-net__tip', role: 'tooltip', id: 'pg-net-tip', hidden: true });
    this.scroll = h('div', { class: 'pg-net__scroll' }, this.stage, this.tip);
    this.layerCount = h('span', { class: 'pg-net__count' });
    this.removeLayer = h('button', { type: 'button', 'aria-label': 'Remove the last hidden layer', onclick: () => this.cb.layers(this.state.layers.length - 1) }, '− Layer');
    this.addLayer = h('button', { type: 'button', 'aria-label': 'Add a hidden layer', onclick: () => this.cb.layers(this.state.layers.length + 1) }, '+ Layer');
    this.el = h('div', { class: 'pg-net' },
      h('div', { class: 'pg-net__bar cluster' }, this.removeLayer, this.addLayer, this.layerCount),
      this.scroll);
    this.links.addEventListener('pointermove', (e) => this.#linkAt(e, false));
    this.links.addEventListener('pointerdown', (e) => this.#linkAt(e, true));
    this.links.addEventListener('pointerleave', () => { if (!this.tipPinned) this.#hideTip(); });
    this.geometry = null;
    this.focusUnit = null;
  }

  /** Rebuilds the diagram for a new architecture (state) and run. Keeps the focused control focused. */
  build(state, run, shape, compact) {
    const focusKey = document.activeElement?.dataset?.key;
    this.state = state;
    this.run = run;
    this.shape = shape;
    this.compact = compact;
    const colW = compact ? 80 : 112;
    const node = compact ? 28 : 38;
    const gap = compact ? 8 : 10;
    const inputs = shape.dims === 1 ? ['x'] : state.features;
    const hidden = state.layers;
    const shown = hidden.map((n) => Math.min(n, MAX_SHOWN));
    const columns = [inputs.length, ...shown, run.outputs];
    const rows = Math.max(...columns);
    const height = HEADER + rows * (node + gap) + 28;
    const width = columns.length * colW;
    this.geometry = { colW, node, gap, columns, width, height };
    this.stage.style.width = `${width}px`;
    this.stage.style.height = `${height}px`;
    this.stage.replaceChildren(this.links);
    this.units = [];
    this.shownUnits = 0;
    this.layerStats = [];

    const nodeY = (col, i) => HEADER + ((rows - columns[col]) * (node + gap)) / 2 + i * (node + gap);
    const nodeX = (col) => col * colW + (colW - node) / 2;
    this.geometry.nodeX = nodeX;
    this.geometry.nodeY = nodeY;

    // Inputs
    this.stage.append(this.#header(0, h('p', { class: 'pg-net__title' }, 'Inputs'),
      h('p', { class: 'small muted' }, shape.dims === 1 ? '1-D data: the input is x' : `${inputs.length} feature${inputs.length === 1 ? '' : 's'}`)));
    inputs.forEach((f, i) => {
      this.stage.append(h('div', {
        class: 'pg-net__input',
        style: { left: `${nodeX(0) - 6}px`, top: `${nodeY(0, i)}px`, width: `${node + 12}px`, height: `${node}px` },
      }, shape.dims === 1 ? 'x' : featureLabel(f)));
    });

    // Hidden layers
    hidden.forEach((units, l) => {
      const col = l + 1;
      const act = state.activations[l];
      const info = this.catalog.info(act);
      const actSelect = h('select', {
        'aria-label': `Activation of layer ${l + 1}`, dataset: { key: `act-${l}` },
        onchange: () => this.cb.activation(l, actSelect.value),
      });
      setOptions(actSelect, this.catalog.activations.map((a) => [a, activationLabel(a)]), act);
      const param = info.usesAlpha ? 'alphas' : info.usesBeta ? 'betas' : null;
      let paramInput = null;
      if (param) {
        const sym = param === 'alphas' ? 'α' : 'β';
        const [lo, hi] = param === 'alphas' ? [-10, 10] : [0.01, 100];
        paramInput = h('label', { class: 'pg-net__param' }, `${sym} `, h('input', {
          type: 'number', step: param === 'alphas' ? 0.01 : 0.1, min: lo, max: hi, value: state[param][l],
          'aria-label': `${sym === 'α' ? 'Alpha' : 'Beta'} of layer ${l + 1} (${lo} to ${hi})`, dataset: { key: `param-${l}` },
          onchange: (e) => this.cb.param(l, param, e.target.value, e.target),
        }));
      }
      const minus = h('button', {
        type: 'button', class: 'pg-net__step', disabled: units <= 1, dataset: { key: `minus-${l}` },
        'aria-label': `Remove a unit from layer ${l + 1}`, onclick: () => this.cb.units(l, units - 1),
      }, '−');
      const plus = h('button', {
        type: 'button', class: 'pg-net__step', disabled: units >= MAX_UNITS, dataset: { key: `plus-${l}` },
        'aria-label': `Add a unit to layer ${l + 1}`, onclick: () => this.cb.units(l, units + 1),
      }, '+');
      const stats = h('p', { class: 'pg-net__stats small' }, '\u00a0');
      this.layerStats.push(stats);
      this.stage.append(this.#header(col,
        h('p', { class: 'pg-net__title' }, `Layer ${l + 1}`),
        h('div', { class: 'pg-net__units' }, minus,
          h('span', { class: 'small' }, String(units), h('span', { class: compact ? 'visually-hidden' : '' }, ` unit${units === 1 ? '' : 's'}`)), plus),
        actSelect, paramInput, stats));
      const layerUnits = [];
      for (let j = 0; j < shown[l]; ++j) {
        const button = h('button', {
          type: 'button', class: 'pg-net__unit',
          'aria-label': `Layer ${l + 1}, unit ${j + 1} (${activationLabel(act)})`,
          'aria-describedby': 'pg-net-tip',
          style: { left: `${nodeX(col)}px`, top: `${nodeY(col, j)}px`, width: `${node}px`, height: `${node}px` },
          onfocus: () => this.#showUnit(l, j, button),
          onblur: () => this.#hideTip(),
          onpointerenter: () => this.#showUnit(l, j, button),
          onpointerleave: () => { if (document.activeElement !== button) this.#hideTip(); },
        });
        layerUnits.push({ button, x: nodeX(col), y: nodeY(col, j) });
        this.stage.append(button);
      }
        this.units.push(layerUnits);
      this.shownUnits += layerUnits.length;
      if (units > shown[l]) {
        this.stage.append(h('p', {
          class: 'pg-net__more small muted',
          style: { left: `${col * colW}px`, top: `${nodeY(col, shown[l] - 1) + node + 4}px`, width: `${colW}px` },
        }, `+${units - shown[l]} more`));
      }
    });

    // Output
    const out = columns.length - 1;
    this.stage.append(this.#header(out, h('p', { class: 'pg-net__title' }, 'Output'),
      h('p', { class: 'small muted' }, headLabel(state.head))));
    this.outputNodes = [];
    for (let j = 0; j < run.outputs; ++j) {
      const el = h('div', {
        class: 'pg-net__output',
        style: { left: `${nodeX(out)}px`, top: `${nodeY(out, j)}px`, width: `${node}px`, height: `${node}px` },
      }, run.outputs > 1 ? String(j) : 'ŷ');
      this.outputNodes.push(el);
      this.stage.append(el);
    }

    this.layerCount.textContent = `${hidden.length} hidden layer${hidden.length === 1 ? '' : 's'}`;
    this.removeLayer.disabled = hidden.length === 0;
    this.addLayer.disabled = hidden.length >= MAX_LAYERS;
    this.#hideTip();
    if (focusKey) this.el.querySelector(`[data-key="${focusKey}"]`)?.focus();
  }

  #header(col, ...children) {
    const { colW } = this.geometry;
    return h('div', { class: 'pg-net__header', style: { left: `${col * colW}px`, width: `${colW}px`, height: `${HEADER - 8}px` } }, children);
  }

  /**
   * Redraws the whole picture on one canvas (one layer for the browser to composite): the connections from
   * the weights (a copy from the core), then each shown hidden unit's map from grids, the core's
   * (units, res, res) view, or for 1-D data its curve from (units, 1, res). grids may be null (no hidden layer).
   */
  draw(weights, grids, res, oneD, colors) {
    if (!this.geometry) return;
    this.weights = weights;
    const { width, height } = this.geometry;
    const ctx = sizeCanvas(this.links, width, height);
    ctx.clearRect(0, 0, width, height);
    this.#drawLinks(ctx, weights, colors);
    if (grids) this.#drawUnits(ctx, grids, res, oneD, colors);
    if (this.tipLink) this.#showLink(this.tipLink);
  }

  #drawLinks(ctx, weights, colors) {
    const { columns, node, nodeX, nodeY } = this.geometry;
    const segments = [];
    this.run.layers.forEach((layer, l) => {
      const from = l;        // column of this layer's inputs
      const to = l + 1;
      for (let i = 0; i < columns[from]; ++i) {
        const x0 = nodeX(from) + node + (from === 0 ? 6 : 0);
        const y0 = nodeY(from, i) + node / 2;
        for (let j = 0; j < columns[to]; ++j) {
          const x1 = nodeX(to);
          const y1 = nodeY(to, j) + node / 2;
          const index = layer.weightOffset + i * layer.units + j;
          const s = weightStyle(weights[index], colors, 2);
          ctx.globalAlpha = s.alpha;
          ctx.strokeStyle = s.color;
          ctx.lineWidth = s.width;
          const mx = (x0 + x1) / 2;
          ctx.beginPath();
          ctx.moveTo(x0, y0);
          ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1);
          ctx.stroke();
          segments.push({ x0, y0, x1, y1, layer: l, i, j, index });
        }
      }
    });
    ctx.globalAlpha = 1;
    this.segments = segments;
  }

  #drawUnits(ctx, grids, res, oneD, colors) {
    const { node } = this.geometry;
    const size = res * (oneD ? 1 : res);
    if (!oneD) {
      if (!this.scratch) this.scratch = document.createElement('canvas');
      if (this.scratch.width !== res) { this.scratch.width = res; this.scratch.height = res; }
      this.scratchCtx = this.scratch.getContext('2d');
      this.image = this.image?.width === res ? this.image : this.scratchCtx.createImageData(res, res);
    }
    ctx.imageSmoothingEnabled = true;
    let u = 0;
    this.run.layers.slice(0, -1).forEach((layer, l) => {
      const dead = this.diagnostics?.layers[l]?.dead;
      for (let j = 0; j < layer.units; ++j, ++u) {
        const cell = this.units[l]?.[j];
        if (!cell) continue;
        const offset = u * size;
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < size; ++i) {
          const v = grids[offset + i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        ctx.globalAlpha = dead?.[j] ? 0.35 : 1;
        if (oneD) {
          this.#unitCurve(ctx, cell.x, cell.y, node, grids, offset, res, lo, hi, colors);
        } else {
          // Each map on its own scale (ReLU outputs are unbounded): the shape is what matters here.
          const scale = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
          const px = this.image.data;
          for (let i = 0; i < size; ++i) divergingInto(px, i * 4, grids[offset + i] / scale, colors, 0.9);
          this.scratchCtx.putImageData(this.image, 0, 0);
          ctx.drawImage(this.scratch, cell.x, cell.y, node, node);
        }
      }
    });
    ctx.globalAlpha = 1;
  }

  #unitCurve(ctx, x, y, side, grids, offset, res, lo, hi, colors) {
    ctx.fillStyle = colors.surface;
    ctx.fillRect(x, y, side, side);
    const span = hi - lo || 1;
    const base = lo - 0.1 * span;
    const top = hi + 0.1 * span;
    const Y = (v) => y + side - ((v - base) / (top - base)) * side;
    if (lo <= 0 && hi >= 0) {
      ctx.fillStyle = colors.grid;
      ctx.fillRect(x, Y(0), side, 1);
    }
    ctx.strokeStyle = colors.positive;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let i = 0; i < res; ++i) {
      const px = x + ((i + 0.5) / res) * side;
      if (i === 0) ctx.moveTo(px, Y(grids[offset + i])); else ctx.lineTo(px, Y(grids[offset + i]));
    }
    ctx.stroke();
  }

  /** Dead and saturated marks and each layer's counts, from the core's diagnostics. */
  setDiagnostics(d) {
    this.diagnostics = d;
    if (!d || !this.units) return;
    this.units.forEach((cells, l) => {
      const layer = d.layers[l];
      if (!layer) return;
      cells.forEach(({ button }, j) => {
        const dead = layer.dead[j] === 1;
        const saturated = layer.saturated[j] === 1;
        button.classList.toggle('is-dead', dead);
        button.classList.toggle('is-saturated', saturated);
        const base = button.getAttribute('aria-label').replace(/: (dead|saturated)$/, '');
        button.setAttribute('aria-label', dead ? `${base}: dead` : saturated ? `${base}: saturated` : base);
      });
      const parts = [];
      parts.push(`${layer.deadUnits} dead`);
      if (layer.saturatedUnits) parts.push(`${layer.saturatedUnits} saturated`);
      parts.push(`${percent(layer.sparsity)} zeros`);
      this.layerStats[l].textContent = parts.join(' · ');
      this.layerStats[l].classList.toggle('has-dead', layer.deadUnits > 0);
    });
    if (this.focusUnit) this.#showUnit(...this.focusUnit);
  }

  #showUnit(l, j, button) {
    this.focusUnit = [l, j, button];
    this.tipLink = null;
    const layer = this.run.layers[l];
    const w = this.weights;
    const lines = [`Layer ${l + 1}, unit ${j + 1}: ${activationLabel(layer.activation)}`];
    if (w) {
      lines.push(`bias ${fmt(w[layer.biasOffset + j])}`);
      const names = l === 0 ? (this.shape.dims === 1 ? ['x'] : this.state.features.map(featureLabel)) : null;
      const incoming = [];
      const shownInputs = Math.min(layer.inputs, 8);
      for (let i = 0; i < shownInputs; ++i) {
        incoming.push(`${names ? names[i] : `L${l}u${i + 1}`} ${fmt(w[layer.weightOffset + i * layer.units + j])}`);
      }
      lines.push(`weights in: ${incoming.join(', ')}${layer.inputs > shownInputs ? ', …' : ''}`);
    }
    const d = this.diagnostics?.layers[l];
    if (d?.dead[j]) lines.push('dead: outputs 0 for every training point, so it no longer learns');
    if (d?.saturated[j]) lines.push('saturated: its slope is below 0.01 on almost every point');
    this.#placeTip(lines, button.offsetLeft + button.offsetWidth + 6, button.offsetTop);
  }

  #linkAt(e, pin) {
    if (!this.segments) return;
    const r = this.links.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    let best = null;
    let bestD = 6;
    for (const s of this.segments) {
      if (px < s.x0 - 2 || px > s.x1 + 2) continue;
      // The drawn curve's y at px: its x fraction is 1.5t - 1.5t² + t³ (monotone), solved by Newton.
      const u = (px - s.x0) / (s.x1 - s.x0 || 1);
      let t = Math.max(0, Math.min(1, u));
      for (let k = 0; k < 4; ++k) t -= (1.5 * t - 1.5 * t * t + t * t * t - u) / (1.5 - 3 * t + 3 * t * t);
      const y = s.y0 + (s.y1 - s.y0) * (3 * t * t - 2 * t * t * t);
      const d = Math.abs(py - y);
      if (d < bestD) { bestD = d; best = s; }
    }
    if (best) {
      this.tipPinned = pin;
      this.#showLink(best, px, py);
    } else if (!this.tipPinned || pin) {
      this.tipPinned = false;
      this.#hideTip();
    }
  }

  #showLink(s, px, py) {
    this.tipLink = s;
    this.focusUnit = null;
    const w = this.weights?.[s.index];
    const from = s.layer === 0 ? (this.shape.dims === 1 ? 'x' : featureLabel(this.state.features[s.i])) : `layer ${s.layer} unit ${s.i + 1}`;
    const to = s.layer === this.run.layers.length - 1 ? 'the output' : `layer ${s.layer + 1} unit ${s.j + 1}`;
    this.#placeTip([`Weight ${fmt(w, 4)}`, `from ${from} to ${to}`], (px ?? (s.x0 + s.x1) / 2) + 12, (py ?? s.y0) - 10);
  }

  #placeTip(lines, x, y) {
    this.tip.replaceChildren(...lines.map((t) => h('span', {}, t)));
    this.tip.hidden = false;
    const maxX = this.scroll.clientWidth + this.scroll.scrollLeft - this.tip.offsetWidth - 4;
    this.tip.style.left = `${Math.max(4, Math.min(x, maxX))}px`;
    this.tip.style.top = `${Math.max(0, y)}px`;
  }

  #hideTip() {
    this.tip.hidden = true;
    this.tipLink = null;
    this.focusUnit = null;
  }
}
