// The network diagram, the playground's centerpiece: the input features (each a node with its own map,
// switched on and off by a click), every hidden unit with its own output map, the output, and every
// connection coloured (sign) and thickened (magnitude) by its weight; each unit's bias is the small square
// at its lower left. Columns and nodes size themselves to the panel, so 12 layers of 16 drawn units fit at
// 1280 px. A layer's controls live behind its compact header, which opens the layer's editor.
//
// Trace mode (trace-view.js): one point's forward pass lights the layers one by one (each unit's output
// written on it, units that are off dimmed), then its backward pass colours the edges by dLoss/dw (colour:
// sign, width: size against the largest in the trace) from the output back; the tips give every number.
//
// Touch: click a weight or a bias (or focus the diagram, move with the arrow keys and press Enter) to edit
// its value in place; hover or focus a unit or an input and the output panel draws its map large.
import { h, sizeCanvas, setOptions, uid } from '../shell/dom.js';
import { divergingPixels, weightStyle } from '../shell/colors.js';
import { activationLabel, featureLabel, fmt, headLabel, percent } from '../shell/format.js';
import { FEATURES, FORMULA, MAX_LAYERS, MAX_UNITS } from '../state.js';
import { plotBounds } from '../catalog.js';
import { stageOf } from './trace-view.js';

const MAX_SHOWN = 16; // units drawn per layer; the rest are counted ("+240 more")
const HEADER = 62; // px above the first node: a layer's compact header (four lines of 11-12 px text)
const LABEL_W = 44; // px left of the input nodes for their names
const MIN_COL = 34;
const OUT_EXTRA = 14; // narrowest column; below it (phones) the diagram scrolls sideways in its own box
const MAX_NODE = 76;
const MIN_NODE = 16;
const FEATURE_RES = 32;

// The input features as functions of the plane: the same ones the core computes (core/features.cpp).
const FEATURE_FNS = {
  x1: (a) => a,
  x2: (a, b) => b,
  x1sq: (a) => a * a,
  x2sq: (a, b) => b * b,
  x1x2: (a, b) => a * b,
  sin1: (a) => Math.sin(a),
  sin2: (a, b) => Math.sin(b),
};

/** A feature's values over a res x res grid of the plane (row 0 at the top, like the core's grids). */
export function featureGrid(code, res, extent = plotBounds()) {
  const f = FEATURE_FNS[code];
  const out = new Float32Array(res * res);
  for (let r = 0; r < res; ++r) {
    const b = extent.yMax - ((r + 0.5) / res) * (extent.yMax - extent.yMin);
    for (let c = 0; c < res; ++c) out[r * res + c] = f(extent.xMin + ((c + 0.5) / res) * (extent.xMax - extent.xMin), b);
  }
  return out;
}

const SHORT_HEAD = { sigmoid_bce: 'sigmoid', tanh_mse: 'tanh', softmax_ce: 'softmax', linear_mse: 'linear' };

export class NetworkView {
  /**
   * callbacks: layers(n), units(layer, n), activation(layer, name), param(layer, which, text, input),
   * features(codes), editParameter(index, value, what), focus(target | null) with target
   * { kind: 'unit', layer, unit } or { kind: 'input', code }, sharedScale(on), error(message).
   */
  constructor(callbacks, catalog) {
    this.cb = callbacks;
    this.catalog = catalog;
    this.links = h('canvas', {
      class: 'pg-net__links',
      tabindex: 0,
      role: 'application',
      'aria-roledescription': 'weights and biases',
      'aria-label': 'Weights and biases: arrow keys move from one to the next, Page Up and Page Down between layers, Enter edits the value',
      onkeydown: (e) => this.#edgeKey(e),
      onfocus: () => this.#edgeFocus(),
      onblur: () => {
        this.#drawAgain();
      },
    });
    this.stage = h('div', { class: 'pg-net__stage' }, this.links);
    this.tip = h('div', { class: 'pg-net__tip', role: 'tooltip', id: 'pg-net-tip', hidden: true });
    this.scroll = h('div', { class: 'pg-net__scroll' }, this.stage, this.tip);
    this.layerCount = h('span', { class: 'pg-net__count' });
    this.removeLayer = h(
      'button',
      { type: 'button', 'aria-label': 'Remove the last hidden layer', onclick: () => this.cb.layers(this.state.layers.length - 1) },
      '− Layer',
    );
    this.addLayer = h(
      'button',
      { type: 'button', 'aria-label': 'Add a hidden layer', onclick: () => this.cb.layers(this.state.layers.length + 1) },
      '+ Layer',
    );
    this.shared = h('input', {
      type: 'checkbox',
      onchange: () => {
        this.cb.sharedScale(this.shared.checked);
      },
    });
    this.announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.editor = h('div', { class: 'pg-net__editor', id: uid('layer-editor'), role: 'group', hidden: true });
    for (const el of [this.removeLayer, this.addLayer, this.layerCount]) el.dataset.control = 'layers';
    this.bar = h(
      'div',
      { class: 'pg-net__bar cluster' },
      this.removeLayer,
      this.addLayer,
      this.layerCount,
      h('label', { class: 'check small pg-net__shared' }, this.shared, 'One colour scale for all units'),
    );
    this.el = h('div', { class: 'pg-net' }, this.bar, this.editor, this.scroll, this.announce);
    this.links.addEventListener('pointermove', (e) => this.#hoverAt(e));
    this.links.addEventListener('pointerdown', (e) => this.#clickAt(e));
    this.links.addEventListener('pointerleave', () => this.#hideTip());
    this.geometry = null;
    this.focusUnit = null;
    this.current = -1; // the parameter the keyboard is on (index into this.params)
    this.editing = -1; // the layer whose editor is open
    this.sharedScale = false;
    this.featureMaps = new Map();
  }

  /** Trace mode: view = { trace, stage } (trace-view.js) or null; redraws at once. */
  setTrace(view) {
    this.trace = view;
    if (view) {
      let hi = 0;
      for (const l of view.trace.layers) for (const g of l.dW) hi = Math.max(hi, Math.abs(g));
      this.traceScale = hi || 1;
    }
    this.#drawAgain();
  }

  /** Where the trace is: { forward, layer } (stageOf), or null out of trace mode or for another network. */
  #traceAt() {
    const t = this.trace?.trace;
    if (!t || t.layers.length !== this.run?.layers.length) return null;
    return stageOf(this.trace.stage, t.layers.length);
  }

  setSharedScale(on) {
    this.sharedScale = on;
    this.shared.checked = on;
  }

  /** Rebuilds the diagram for a new architecture (state) and run, sized to the panel. Keeps focus. */
  build(state, run, shape, room = {}) {
    const focusKey = document.activeElement?.dataset?.key;
    const edgeFocused = document.activeElement === this.links;
    if (this.run !== run) this.current = -1;
    this.state = state;
    this.run = run;
    this.shape = shape;
    if (room.width) this.room = room;
    const availW = Math.max(260, (this.room?.width ?? 600) - 4);
    const availH = Math.max(240, this.room?.height ?? 460);

    const oneD = shape.dims === 1;
    // Input rows: every feature for 2-D data (those off are drawn faded and unlinked), x alone for 1-D.
    this.inputRows = oneD
      ? [{ code: 'x', on: true, index: 0 }]
      : FEATURES.map((f) => ({ code: f.code, on: state.features.includes(f.code), index: state.features.indexOf(f.code) }));
    const hidden = state.layers;
    const shown = hidden.map((n) => Math.min(n, MAX_SHOWN));
    const counts = [this.inputRows.length, ...shown, run.outputs];
    const cols = counts.length;
    // The output column gets OUT_EXTRA more, so that its head ("Output", "sigmoid") is never cut.
    const colW = Math.max(MIN_COL, Math.floor((availW - LABEL_W - OUT_EXTRA) / cols));
    const rows = Math.max(...counts);
    const pitchH = (availH - HEADER - 20) / rows;
    const node = Math.round(Math.max(MIN_NODE, Math.min(MAX_NODE, colW * 0.62, pitchH * 0.8)));
    const gap = Math.round(Math.max(4, Math.min(node * 0.35, pitchH - node)));
    const colX = (c) => (c === 0 ? 0 : LABEL_W + c * colW);
    const colWidth = (c) => (c === 0 ? LABEL_W + colW : c === cols - 1 ? colW + OUT_EXTRA : colW);
    const nodeX = (c) => colX(c) + (c === 0 ? LABEL_W : 0) + (colWidth(c) - (c === 0 ? LABEL_W : 0) - node) / 2;
    const nodeY = (c, i) => HEADER + ((rows - counts[c]) * (node + gap)) / 2 + i * (node + gap);
    const height = HEADER + rows * (node + gap) + 24;
    const width = LABEL_W + cols * colW + OUT_EXTRA;
    const narrow = colW < 66;
    this.geometry = { colW, node, gap, counts, width, height, nodeX, nodeY, colX, colWidth, HEADER };
    this.stage.style.width = `${width}px`;
    this.stage.style.height = `${height}px`;
    this.stage.replaceChildren(this.links);
    this.units = [];
    this.layerStats = [];
    this.headers = [];
    const fs = node < 26 ? 11 : 12;

    // Inputs
    this.stage.append(
      this.#header(
        0,
        h('span', { class: 'pg-net__title' }, 'Inputs'),
        h('span', { class: 'pg-net__line muted' }, oneD ? 'x' : `${state.features.length} on`),
      ),
    );
    this.inputNodes = this.inputRows.map((r, i) => {
      const label = oneD ? 'x' : featureLabel(r.code);
      const button = h('button', {
        type: 'button',
        class: `pg-net__input${r.on ? ' is-on' : ''}`,
        'aria-pressed': oneD ? null : String(r.on),
        disabled: oneD,
        'aria-label': oneD ? 'Input x' : `Input ${label}: ${r.on ? 'on' : 'off'}; press to switch it ${r.on ? 'off' : 'on'}`,
        dataset: { key: `in-${r.code}` },
        style: { left: `${nodeX(0)}px`, top: `${nodeY(0, i)}px`, width: `${node}px`, height: `${node}px` },
        onclick: () => this.#toggleFeature(r.code),
        onfocus: () => this.cb.focus({ kind: 'input', code: r.code }),
        onblur: () => this.cb.focus(null),
        onpointerenter: () => this.cb.focus({ kind: 'input', code: r.code }),
        onpointerleave: () => {
          if (document.activeElement !== button) this.cb.focus(null);
        },
      });
      this.stage.append(
        h(
          'span',
          {
            class: `pg-net__inlabel${r.on ? '' : ' muted'}`,
            'aria-hidden': 'true',
            style: { left: '0px', top: `${nodeY(0, i)}px`, width: `${nodeX(0) - 4}px`, height: `${node}px`, fontSize: `${fs}px` },
          },
          label,
        ),
      );
      this.stage.append(button);
      return { button, x: nodeX(0), y: nodeY(0, i) };
    });

    // Hidden layers: a compact header each (opens the layer's editor), then the unit maps.
    hidden.forEach((units, l) => {
      const col = l + 1;
      const act = state.activations[l];
      const stats = h('span', { class: 'pg-net__line pg-net__stats' }, '\u00a0');
      this.layerStats.push(stats);
      const head = h(
        'button',
        {
          type: 'button',
          class: 'pg-net__head',
          'aria-expanded': String(this.editing === l),
          'aria-controls': this.editor.id,
          // Its name is its visible text (what a voice-control user reads out); aria-expanded says it opens.
          dataset: { key: `head-${l}` },
          title: `Layer ${l + 1}: ${units} units, ${activationLabel(act)}. Click to edit`,
          onclick: () => this.#openEditor(this.editing === l ? -1 : l),
        },
        h('span', { class: 'pg-net__title' }, narrow ? `L${l + 1}` : `Layer ${l + 1}`),
        h('span', { class: 'pg-net__line' }, narrow ? String(units) : `${units} unit${units === 1 ? '' : 's'}`),
        h('span', { class: 'pg-net__line pg-net__act' }, activationLabel(act)),
        stats,
      );
      this.headers.push(head);
      this.stage.append(this.#header(col, head));
      const layerUnits = [];
      for (let j = 0; j < shown[l]; ++j) {
        const button = h('button', {
          type: 'button',
          class: 'pg-net__unit',
          'aria-label': `Layer ${l + 1}, unit ${j + 1} (${activationLabel(act)})`,
          'aria-describedby': 'pg-net-tip',
          dataset: { key: `u-${l}-${j}` },
          style: { left: `${nodeX(col)}px`, top: `${nodeY(col, j)}px`, width: `${node}px`, height: `${node}px` },
          onfocus: () => this.#enterUnit(l, j, button),
          onblur: () => this.#leaveUnit(),
          onpointerenter: () => this.#enterUnit(l, j, button),
          onpointerleave: () => {
            if (document.activeElement !== button) this.#leaveUnit();
          },
          onkeydown: (e) => this.#unitKey(e, l, j),
          // One tab stop for all the units (a roving focus): the arrow keys move between them.
          tabindex: l === 0 && j === 0 ? 0 : -1,
        });
        layerUnits.push({ button, x: nodeX(col), y: nodeY(col, j) });
        this.stage.append(button);
      }
      this.units.push(layerUnits);
      if (units > shown[l]) {
        this.stage.append(
          h(
            'p',
            {
              class: 'pg-net__more muted',
              style: { left: `${colX(col)}px`, top: `${nodeY(col, shown[l] - 1) + node + 2}px`, width: `${colW}px` },
            },
            `+${units - shown[l]}`,
            h('span', { class: narrow ? 'visually-hidden' : '' }, ' more'),
          ),
        );
      }
    });

    // Output
    const out = cols - 1;
    this.stage.append(
      this.#header(
        out,
        h(
          'div',
          { class: 'pg-net__outhead', title: headLabel(state.head) },
          h('span', { class: 'pg-net__title' }, 'Output'),
          h('span', { class: 'pg-net__line muted' }, SHORT_HEAD[state.head] ?? state.head),
        ),
      ),
    );
    this.outputNodes = [];
    for (let j = 0; j < run.outputs; ++j) {
      const el = h(
        'div',
        {
          class: 'pg-net__output',
          style: { left: `${nodeX(out)}px`, top: `${nodeY(out, j)}px`, width: `${node}px`, height: `${node}px`, fontSize: `${fs}px` },
        },
        run.outputs > 1 ? String(j) : 'ŷ',
      );
      this.outputNodes.push({ el, x: nodeX(out), y: nodeY(out, j) });
      this.stage.append(el);
    }
    this.editInput = null;

    this.layerCount.textContent = `${hidden.length} hidden layer${hidden.length === 1 ? '' : 's'}`;
    this.removeLayer.disabled = hidden.length === 0;
    this.addLayer.disabled = hidden.length >= MAX_LAYERS;
    this.#listParams();
    this.#hideTip();
    if (this.editing >= hidden.length) this.editing = -1;
    this.#fillEditor();
    if (this.diagnostics) this.setDiagnostics(this.diagnostics);
    if (edgeFocused) this.links.focus();
    else if (focusKey) this.el.querySelector(`[data-key="${focusKey}"]`)?.focus();
    if (this.weights) this.#drawAgain();
  }

  #header(col, ...children) {
    const { colX, colWidth } = this.geometry;
    const left = col === 0 ? colX(0) + LABEL_W / 2 : colX(col);
    const w = col === 0 ? colWidth(0) - LABEL_W / 2 : colWidth(col);
    return h('div', { class: 'pg-net__header', style: { left: `${left}px`, width: `${w}px`, height: `${HEADER - 6}px` } }, children);
  }

  // ---- The layer editor ----

  #openEditor(l) {
    this.editing = l;
    this.headers.forEach((b, k) => b.setAttribute('aria-expanded', String(k === l)));
    this.#fillEditor();
    if (l >= 0) this.editor.querySelector('button, select, input')?.focus();
  }

  #fillEditor() {
    const l = this.editing;
    if (l < 0 || !this.state || l >= this.state.layers.length) {
      this.editor.hidden = true;
      this.editor.replaceChildren();
      return;
    }
    const state = this.state;
    const units = state.layers[l];
    const act = state.activations[l];
    const info = this.catalog.info(act);
    const actSelect = h('select', {
      'aria-label': `Activation of layer ${l + 1}`,
      dataset: { key: `act-${l}` },
      onchange: () => this.cb.activation(l, actSelect.value),
    });
    setOptions(
      actSelect,
      [...this.catalog.activations.map((a) => [a, activationLabel(a)]), [FORMULA, `${activationLabel(FORMULA)}…`]],
      act,
    );
    const param = info.usesAlpha ? 'alphas' : info.usesBeta ? 'betas' : null;
    let paramInput = null;
    if (param) {
      const sym = param === 'alphas' ? 'α' : 'β';
      const [lo, hi] = param === 'alphas' ? [-10, 10] : [0.01, 100];
      paramInput = h(
        'label',
        { class: 'pg-net__param' },
        `${sym} `,
        h('input', {
          type: 'number',
          step: param === 'alphas' ? 0.01 : 0.1,
          min: lo,
          max: hi,
          value: state[param][l],
          'aria-label': `${sym === 'α' ? 'Alpha' : 'Beta'} of layer ${l + 1} (${lo} to ${hi})`,
          dataset: { key: `param-${l}` },
          onchange: (e) => this.cb.param(l, param, e.target.value, e.target),
        }),
      );
    }
    const formulaPart = act === FORMULA ? this.#formulaEditor(l) : null;
    const minus = h(
      'button',
      {
        type: 'button',
        class: 'pg-net__step',
        disabled: units <= 1,
        dataset: { key: `minus-${l}` },
        'aria-label': `Remove a unit from layer ${l + 1}`,
        onclick: () => this.cb.units(l, units - 1),
      },
      '−',
    );
    const plus = h(
      'button',
      {
        type: 'button',
        class: 'pg-net__step',
        disabled: units >= MAX_UNITS,
        dataset: { key: `plus-${l}` },
        'aria-label': `Add a unit to layer ${l + 1}`,
        onclick: () => this.cb.units(l, units + 1),
      },
      '+',
    );
    const close = h('button', { type: 'button', class: 'small', onclick: () => this.#closeEditor() }, 'Done');
    this.editorStats = h('span', { class: 'small muted' });
    // replaceChildren would write a missing part (null) as the text "null": only the parts this layer has.
    this.editor.replaceChildren(
      ...[
        h('strong', {}, `Layer ${l + 1}`),
        h('span', { class: 'pg-net__units' }, minus, h('span', {}, `${units} unit${units === 1 ? '' : 's'}`), plus),
        actSelect,
        paramInput,
        formulaPart,
        this.editorStats,
        close,
      ].filter(Boolean),
    );
    this.editor.setAttribute('aria-label', `Layer ${l + 1} settings`);
    this.editor.onkeydown = (e) => {
      if (e.key === 'Escape') this.#closeEditor();
    };
    this.editor.hidden = false;
    this.#editorStatsText();
  }

  // A formula layer's text (checked by the core when it is applied: Enter or leaving the field) and a, b.
  // A refused text stays in the field with the core's message next to it; the network keeps the last good one.
  #formulaEditor(l) {
    const state = this.state;
    const range = this.catalog.ranges.formulaParam;
    const errorId = `pg-formula-error-${l}`;
    const error = h('p', { id: errorId, class: 'pg-net__formula-error small', 'aria-live': 'polite' });
    const text = h('input', {
      type: 'text',
      class: 'pg-net__formula-text',
      value: state.formulas[l],
      spellcheck: 'false',
      autocomplete: 'off',
      maxlength: this.catalog.limits.maxFormulaLength,
      'aria-label': `Formula f(x) of layer ${l + 1}`,
      'aria-describedby': errorId,
      dataset: { key: `formula-${l}` },
      onchange: (e) => this.cb.formula(l, e.target.value, e.target, error),
    });
    const param = (key) =>
      h(
        'label',
        { class: 'pg-net__param' },
        `${key} `,
        h('input', {
          type: 'number',
          step: 0.1,
          min: range.min,
          max: range.max,
          value: state[key === 'a' ? 'formulaAs' : 'formulaBs'][l],
          'aria-label': `${key} of layer ${l + 1}'s formula (${range.min} to ${range.max})`,
          dataset: { key: `formula-${key}-${l}` },
          onchange: (e) => this.cb.formulaParam(l, key, e.target.value, e.target),
        }),
      );
    return h('span', { class: 'pg-net__formula' }, h('label', {}, 'f(x) = ', text), param('a'), param('b'), error);
  }

  #closeEditor() {
    const l = this.editing;
    this.#openEditor(-1);
    this.headers[l]?.focus();
  }

  /** Layer l's dead and saturated counts as text, '–' where its activation can do neither (catalog.js). */
  #counts(l, layer) {
    const act = this.run?.layers[l]?.activation;
    return {
      dead: this.catalog.canDie(act) ? String(layer.deadUnits) : '–',
      saturated: this.catalog.canSaturate(act) ? String(layer.saturatedUnits) : '–',
    };
  }

  #editorStatsText() {
    const layer = this.diagnostics?.layers[this.editing];
    if (!this.editorStats || !layer) return;
    const { dead } = this.#counts(this.editing, layer);
    const parts = [`${dead} dead`];
    if (layer.saturatedUnits) parts.push(`${layer.saturatedUnits} saturated`);
    parts.push(`${percent(layer.sparsity)} zeros`);
    this.editorStats.textContent = parts.join(' · ');
  }

  #toggleFeature(code) {
    const on = this.state.features.includes(code);
    if (on && this.state.features.length === 1) {
      this.cb.error('At least one input must stay on: the network needs an input.');
      return;
    }
    const next = FEATURES.map((f) => f.code).filter((c) => (c === code ? !on : this.state.features.includes(c)));
    this.cb.features(next);
  }

  // ---- Drawing ----

  /**
   * Redraws the whole picture on one canvas: the connections from the weights (a copy from the core), the
   * biases, each input's map, then each shown hidden unit's map from grids, the core's (units, res, res)
   * view, or for 1-D data its curve from (units, 1, res). grids may be null (no hidden layer).
   */
  draw(weights, grids, res, oneD, colors) {
    if (!this.geometry) return;
    this.weights = weights;
    this.last = { grids, res, oneD, colors };
    const { width, height } = this.geometry;
    const ctx = sizeCanvas(this.links, width, height);
    ctx.clearRect(0, 0, width, height);
    this.#drawLinks(ctx, weights, colors);
    this.#drawInputs(ctx, colors);
    if (grids) this.#drawUnits(ctx, grids, res, oneD, colors);
    this.#drawBiases(ctx, weights, colors);
    if (this.#traceAt()) this.#drawTrace(ctx, colors);
    this.#drawCurrent(ctx, colors);
    if (this.tipParam) this.#showParam(this.tipParam);
    else if (this.focusUnit && this.trace) this.#showUnit(...this.focusUnit);
  }

  #drawAgain() {
    if (this.weights && this.last) this.draw(this.weights, this.last.grids, this.last.res, this.last.oneD, this.last.colors);
  }

  /** The source node of input i of layer l: [x, y] at its right edge, middle. */
  #from(l, i) {
    const { node, nodeX, nodeY } = this.geometry;
    if (l === 0) {
      const row = this.shape.dims === 1 ? 0 : FEATURES.findIndex((f) => f.code === this.state.features[i]);
      return [nodeX(0) + node, nodeY(0, row) + node / 2];
    }
    return [nodeX(l) + node, nodeY(l, i) + node / 2];
  }

  #listParams() {
    const { counts, node, nodeX, nodeY } = this.geometry;
    const params = [];
    this.run.layers.forEach((layer, l) => {
      const to = l + 1;
      const fromShown = l === 0 ? layer.inputs : counts[l];
      for (let j = 0; j < counts[to]; ++j) {
        for (let i = 0; i < fromShown; ++i) {
          const [x0, y0] = this.#from(l, i);
          params.push({
            kind: 'weight',
            layer: l,
            i,
            j,
            index: layer.weightOffset + i * layer.units + j,
            x0,
            y0,
            x1: nodeX(to),
            y1: nodeY(to, j) + node / 2,
          });
        }
        const b = Math.max(5, Math.round(node * 0.18));
        params.push({ kind: 'bias', layer: l, j, index: layer.biasOffset + j, bx: nodeX(to) - b - 1, by: nodeY(to, j) + node - b, b });
      }
    });
    this.params = params;
    if (this.current >= params.length) this.current = params.length - 1;
  }

  #drawLinks(ctx, weights, colors) {
    const at = this.#traceAt();
    for (const s of this.params) {
      if (s.kind !== 'weight') continue;
      let st = weightStyle(weights[s.index], colors, 2);
      if (at) {
        const back = !at.forward && s.layer >= at.layer;
        // Backward: the edges the gradient has reached, by dLoss/dw; forward: the edges not reached yet fade.
        if (back) st = weightStyle(this.#traceGrad(s), colors, this.traceScale);
        else st = { ...st, alpha: st.alpha * (at.forward && s.layer <= at.layer ? 1 : 0.15) };
      }
      ctx.globalAlpha = st.alpha;
      ctx.strokeStyle = st.color;
      ctx.lineWidth = st.width;
      const mx = (s.x0 + s.x1) / 2;
      ctx.beginPath();
      ctx.moveTo(s.x0, s.y0);
      ctx.bezierCurveTo(mx, s.y0, mx, s.y1, s.x1, s.y1);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  #drawBiases(ctx, weights, colors) {
    const at = this.#traceAt();
    for (const s of this.params) {
      if (s.kind !== 'bias') continue;
      // Backward, where the gradient has reached: dLoss/db on the trace's scale, as the edges.
      const grad = at && !at.forward && s.layer >= at.layer;
      const v = grad ? this.#traceGrad(s) : weights[s.index];
      const m = Math.min(1, Math.abs(v) / (grad ? this.traceScale : 2));
      ctx.fillStyle = colors.surface;
      ctx.fillRect(s.bx, s.by, s.b, s.b);
      ctx.globalAlpha = 0.3 + 0.7 * m;
      ctx.fillStyle = v < 0 ? colors.negative : colors.positive;
      ctx.fillRect(s.bx, s.by, s.b, s.b);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colors.border;
      ctx.lineWidth = 1;
      ctx.strokeRect(s.bx + 0.5, s.by + 0.5, s.b - 1, s.b - 1);
    }
  }

  /** dLoss/dw of a weight (or dLoss/db of a bias) in the trace. */
  #traceGrad(s) {
    const tl = this.trace.trace.layers[s.layer];
    return s.kind === 'bias' ? tl.dB[s.j] : tl.dW[s.i * tl.units + s.j];
  }

  /**
   * The trace over the units: layers not reached yet and units that are off dimmed, the current layer
   * outlined, and on each node (if it is big enough to read) its output going forward, dLoss/dz going back.
   */
  #drawTrace(ctx, colors) {
    const { node } = this.geometry;
    const at = this.#traceAt();
    const t = this.trace.trace;
    const L = t.layers.length;
    const label = (text, x, y) => {
      if (node < 26) return;
      ctx.font = '10px system-ui, sans-serif';
      const w = Math.min(node, ctx.measureText(text).width + 4);
      ctx.globalAlpha = 0.9;
      ctx.fillStyle = colors.surface;
      ctx.fillRect(x + (node - w) / 2, y + node - 13, w, 13);
      ctx.globalAlpha = 1;
      ctx.fillStyle = colors.fg;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.fillText(text, x + node / 2, y + node - 1, node);
    };
    const veil = (x, y, alpha) => {
      ctx.globalAlpha = alpha;
      ctx.fillStyle = colors.surface;
      ctx.fillRect(x, y, node, node);
      ctx.globalAlpha = 1;
    };
    let k = 0;
    for (let r = 0; r < this.inputRows.length; ++r) {
      if (!this.inputRows[r].on) continue;
      const { x, y } = this.inputNodes[r];
      label(fmt(t.features[k++], 2), x, y);
    }
    for (let l = 0; l < L; ++l) {
      const tl = t.layers[l];
      const cells = l < L - 1 ? this.units[l] : this.outputNodes;
      const reached = !at.forward || l <= at.layer;
      const back = !at.forward && l >= at.layer;
      cells.forEach(({ x, y }, j) => {
        if (!reached) {
          veil(x, y, 0.75);
          return;
        }
        if (!tl.on[j]) {
          // Off: faded, and a dashed border, so it does not rest on the fading alone.
          veil(x, y, 0.6);
          ctx.setLineDash([3, 3]);
          ctx.strokeStyle = colors.muted;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x + 1, y + 1, node - 2, node - 2);
          ctx.setLineDash([]);
        }
        if (l === L - 1) {
          // The output node is an element over the canvas: its value goes just below it.
          const v = back ? tl.dZ[j] : tl.z[j];
          ctx.font = '10px system-ui, sans-serif';
          ctx.fillStyle = colors.fg;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'top';
          ctx.fillText(`${back ? '∂z ' : 'z '}${fmt(v, 2)}`, x + node / 2, y + node + 2);
        } else {
          label(fmt(back ? tl.dZ[j] : tl.a[j], 2), x, y);
        }
        if (l === at.layer) {
          ctx.strokeStyle = colors.focus ?? colors.fg;
          ctx.lineWidth = 2;
          ctx.strokeRect(x - 2, y - 2, node + 4, node + 4);
        }
      });
    }
    ctx.textAlign = 'start';
    ctx.textBaseline = 'alphabetic';
  }

  /** The trace's numbers for unit j of layer l, as far as the trace has gone. */
  #traceLines(l, j) {
    const at = this.#traceAt();
    if (!at) return [];
    const tl = this.trace.trace.layers[l];
    const lines = [];
    if (!at.forward || l <= at.layer) {
      lines.push(`traced point (step ${this.trace.trace.step}): z ${fmt(tl.z[j], 4)}, a ${fmt(tl.a[j], 4)}`);
      lines.push(`f′(z) ${fmt(tl.slope[j], 4)}: ${tl.on[j] ? 'on' : 'off, passes (almost) no gradient back'}`);
    }
    if (!at.forward && l >= at.layer) lines.push(`∂L/∂a ${fmt(tl.dA[j], 4)}, ∂L/∂z ${fmt(tl.dZ[j], 4)} (= ∂L/∂b)`);
    return lines;
  }

  /** The parameter the keyboard is on, outlined in the focus colour. */
  #drawCurrent(ctx, colors) {
    const s = this.params?.[this.current];
    if (!s || (document.activeElement !== this.links && !this.editInput)) return;
    ctx.strokeStyle = colors.focus ?? colors.error;
    ctx.lineWidth = 3;
    ctx.setLineDash([]);
    if (s.kind === 'bias') {
      ctx.strokeRect(s.bx - 2, s.by - 2, s.b + 4, s.b + 4);
    } else {
      const mx = (s.x0 + s.x1) / 2;
      ctx.beginPath();
      ctx.moveTo(s.x0, s.y0);
      ctx.bezierCurveTo(mx, s.y0, mx, s.y1, s.x1, s.y1);
      ctx.stroke();
    }
  }

  #drawInputs(ctx, colors) {
    const { node } = this.geometry;
    if (this.shape.dims === 1) {
      const { x, y } = this.inputNodes[0];
      ctx.fillStyle = colors.surface;
      ctx.fillRect(x, y, node, node);
      ctx.strokeStyle = colors.positive;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x + 2, y + node - 2);
      ctx.lineTo(x + node - 2, y + 2);
      ctx.stroke();
      return;
    }
    this.inputRows.forEach((r, i) => {
      const { x, y } = this.inputNodes[i];
      ctx.globalAlpha = r.on ? 1 : 0.3;
      ctx.drawImage(this.#featureImage(r.code, colors), x, y, node, node);
    });
    ctx.globalAlpha = 1;
  }

  #featureImage(code, colors) {
    const key = `${code}:${colors.positive}:${colors.surface}`;
    if (!this.featureMaps.has(key)) {
      const data = featureGrid(code, FEATURE_RES);
      let hi = 0;
      for (const v of data) hi = Math.max(hi, Math.abs(v));
      const c = document.createElement('canvas');
      c.width = FEATURE_RES;
      c.height = FEATURE_RES;
      const cx = c.getContext('2d');
      const img = cx.createImageData(FEATURE_RES, FEATURE_RES);
      divergingPixels(img.data, data, 0, data.length, hi || 1, colors, 0.9);
      cx.putImageData(img, 0, 0);
      this.featureMaps.set(key, c);
    }
    return this.featureMaps.get(key);
  }

  /** The largest |value| over every shown unit's map: the shared colour scale. */
  static sharedScaleOf(grids, size, layers) {
    let hi = 0;
    let u = 0;
    layers.forEach((layer) => {
      for (let j = 0; j < layer.units; ++j, ++u) {
        if (j >= MAX_SHOWN) continue;
        for (let i = u * size; i < (u + 1) * size; ++i) hi = Math.max(hi, Math.abs(grids[i]));
      }
    });
    return hi || 1;
  }

  #drawUnits(ctx, grids, res, oneD, colors) {
    const { node } = this.geometry;
    const size = res * (oneD ? 1 : res);
    if (!oneD) {
      if (!this.scratch) this.scratch = document.createElement('canvas');
      if (this.scratch.width !== res) {
        this.scratch.width = res;
        this.scratch.height = res;
      }
      this.scratchCtx = this.scratch.getContext('2d');
      this.image = this.image?.width === res ? this.image : this.scratchCtx.createImageData(res, res);
    }
    const hiddenLayers = this.run.layers.slice(0, -1);
    const shared = this.sharedScale ? NetworkView.sharedScaleOf(grids, size, hiddenLayers) : 0;
    ctx.imageSmoothingEnabled = true;
    let u = 0;
    hiddenLayers.forEach((layer, l) => {
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
          this.#unitCurve(ctx, cell.x, cell.y, node, grids, offset, res, shared ? -shared : lo, shared || hi, colors);
        } else {
          // Each map on its own scale by default (ReLU outputs are unbounded: the shape is what matters);
          // with the shared scale, sizes compare across units.
          const scale = shared || Math.max(Math.abs(lo), Math.abs(hi)) || 1;
          divergingPixels(this.image.data, grids, offset, size, scale, colors, 0.9);
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
      if (i === 0) ctx.moveTo(px, Y(grids[offset + i]));
      else ctx.lineTo(px, Y(grids[offset + i]));
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
      const stats = this.layerStats[l];
      const narrow = this.geometry.colW < 56;
      const { dead, saturated } = this.#counts(l, layer);
      stats.textContent = layer.deadUnits
        ? narrow
          ? `${layer.deadUnits}✕`
          : `${layer.deadUnits} dead`
        : narrow
          ? percent(layer.sparsity)
          : `${percent(layer.sparsity)} zeros`;
      stats.title = `${dead} dead, ${saturated} saturated, ${percent(layer.sparsity)} zeros`;
      stats.classList.toggle('has-dead', layer.deadUnits > 0);
      this.headers[l]?.classList.toggle('has-dead', layer.deadUnits > 0);
    });
    this.#editorStatsText();
    if (this.focusUnit) this.#showUnit(...this.focusUnit);
  }

  // ---- Units: the tip, and the large map in the output panel ----

  #enterUnit(l, j, button) {
    this.#showUnit(l, j, button);
    this.cb.focus({ kind: 'unit', layer: l, unit: j });
  }

  #unitKey(e, l, j) {
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    const nl = Math.max(0, Math.min(this.units.length - 1, l + m[0]));
    const nj = Math.max(0, Math.min(this.units[nl].length - 1, m[0] ? Math.min(j, this.units[nl].length - 1) : j + m[1]));
    const next = this.units[nl][nj].button;
    for (const cells of this.units) for (const c of cells) c.button.tabIndex = c.button === next ? 0 : -1;
    next.focus();
  }

  #leaveUnit() {
    this.#hideTip();
    this.cb.focus(null);
  }

  #showUnit(l, j, button) {
    this.focusUnit = [l, j, button];
    this.tipParam = null;
    const layer = this.run.layers[l];
    const w = this.weights;
    const lines = [`Layer ${l + 1}, unit ${j + 1}: ${activationLabel(layer.activation)}`];
    if (w) {
      lines.push(`bias ${fmt(w[layer.biasOffset + j])}`);
      const incoming = [];
      const shownInputs = Math.min(layer.inputs, 8);
      for (let i = 0; i < shownInputs; ++i) incoming.push(`${this.#inputName(l, i)} ${fmt(w[layer.weightOffset + i * layer.units + j])}`);
      lines.push(`weights in: ${incoming.join(', ')}${layer.inputs > shownInputs ? ', …' : ''}`);
    }
    const d = this.diagnostics?.layers[l];
    if (d?.dead[j]) lines.push('dead: outputs 0 for every training point, so it no longer learns');
    if (d?.saturated[j]) lines.push('saturated: its slope is below 0.01 on almost every point');
    lines.push(...this.#traceLines(l, j));
    lines.push('Its map is drawn large in the Output panel.');
    this.#placeTip(lines, button.offsetLeft + button.offsetWidth + 6, button.offsetTop);
  }

  #inputName(l, i) {
    if (l > 0) return `L${l}u${i + 1}`;
    return this.shape.dims === 1 ? 'x' : featureLabel(this.state.features[i]);
  }

  /** A parameter in words: "weight from x₁ to layer 1 unit 2". */
  describe(s) {
    const last = s.layer === this.run.layers.length - 1;
    const to = last ? (this.run.outputs > 1 ? `output ${s.j}` : 'the output') : `layer ${s.layer + 1} unit ${s.j + 1}`;
    if (s.kind === 'bias') return `bias of ${to}`;
    const from = s.layer === 0 ? this.#inputName(0, s.i) : `layer ${s.layer} unit ${s.i + 1}`;
    return `weight from ${from} to ${to}`;
  }

  // ---- Weights and biases: pointer and keyboard ----

  #paramAt(e) {
    if (!this.params) return null;
    const r = this.links.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    let best = null;
    let bestD = 6;
    for (const s of this.params) {
      if (s.kind === 'bias') {
        if (px >= s.bx - 3 && px <= s.bx + s.b + 3 && py >= s.by - 3 && py <= s.by + s.b + 3) return s;
        continue;
      }
      if (px < s.x0 - 2 || px > s.x1 + 2) continue;
      // The drawn curve's y at px: its x fraction is 1.5t - 1.5t² + t³ (monotone), solved by Newton.
      const u = (px - s.x0) / (s.x1 - s.x0 || 1);
      let t = Math.max(0, Math.min(1, u));
      for (let k = 0; k < 4; ++k) t -= (1.5 * t - 1.5 * t * t + t * t * t - u) / (1.5 - 3 * t + 3 * t * t);
      const y = s.y0 + (s.y1 - s.y0) * (3 * t * t - 2 * t * t * t);
      const d = Math.abs(py - y);
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    return best;
  }

  #hoverAt(e) {
    const s = this.#paramAt(e);
    this.links.style.cursor = s ? 'pointer' : '';
    if (s) {
      const r = this.links.getBoundingClientRect();
      this.#showParam(s, e.clientX - r.left, e.clientY - r.top);
    } else if (!this.editInput) {
      this.#hideTip();
    }
  }

  #clickAt(e) {
    const s = this.#paramAt(e);
    if (!s) return;
    e.preventDefault();
    this.current = this.params.indexOf(s);
    this.startEdit(s);
  }

  #edgeFocus() {
    if (this.current < 0 && this.params?.length) this.current = 0;
    this.#announceCurrent();
    this.#drawAgain();
  }

  #edgeKey(e) {
    if (!this.params?.length) return;
    const n = this.params.length;
    let k = this.current < 0 ? 0 : this.current;
    const layerStart = (l) => this.params.findIndex((p) => p.layer === l);
    const cur = this.params[k];
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        k = Math.min(n - 1, k + 1);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        k = Math.max(0, k - 1);
        break;
      case 'PageDown':
        k = cur.layer + 1 < this.run.layers.length ? layerStart(cur.layer + 1) : k;
        break;
      case 'PageUp':
        k = cur.layer > 0 ? layerStart(cur.layer - 1) : 0;
        break;
      case 'Home':
        k = 0;
        break;
      case 'End':
        k = n - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.startEdit(this.params[k]);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.current = k;
    this.#announceCurrent();
    this.#drawAgain();
  }

  #announceCurrent() {
    const s = this.params?.[this.current];
    if (!s) return;
    const v = this.weights?.[s.index];
    const text = `${this.describe(s)}: ${fmt(v, 4)} (${this.current + 1} of ${this.params.length})`;
    this.announce.textContent = `${text[0].toUpperCase()}${text.slice(1)}`;
    this.#showParam(s);
  }

  #showParam(s, px, py) {
    this.tipParam = s;
    this.focusUnit = null;
    const w = this.weights?.[s.index];
    const [x, y] = s.kind === 'bias' ? [s.bx + s.b, s.by] : [(s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2];
    const at = this.#traceAt();
    const grad =
      at && !at.forward && s.layer >= at.layer ? `traced point: ∂L/∂${s.kind === 'bias' ? 'b' : 'w'} ${fmt(this.#traceGrad(s), 4)}` : null;
    this.#placeTip(
      [`${s.kind === 'bias' ? 'Bias' : 'Weight'} ${fmt(w, 4)}`, this.describe(s), grad, 'Click or Enter to edit'].filter(Boolean),
      (px ?? x) + 12,
      (py ?? y) - 10,
    );
  }

  /** An input over the parameter: Enter (or leaving it changed) sets the value, Escape cancels. */
  startEdit(s) {
    this.#stopEdit();
    this.tipParam = null;
    this.tip.hidden = true;
    const old = this.weights?.[s.index];
    const [x, y] = s.kind === 'bias' ? [s.bx - 20, s.by + s.b + 2] : [(s.x0 + s.x1) / 2 - 36, (s.y0 + s.y1) / 2 - 14];
    const { width, height } = this.geometry;
    const input = h('input', {
      type: 'text',
      inputmode: 'decimal',
      class: 'pg-net__edit',
      value: old === undefined ? '' : String(Number(old.toPrecision(4))),
      'aria-label': `New value of the ${this.describe(s)} (now ${fmt(old, 4)}); Enter sets it, Escape cancels`,
      style: { left: `${Math.max(0, Math.min(width - 80, x))}px`, top: `${Math.max(0, Math.min(height - 30, y))}px` },
    });
    let done = false;
    const finish = (commit) => {
      if (done) return;
      done = true;
      const text = input.value.trim();
      const v = Number(text);
      const keyboard = document.activeElement === input;
      this.#stopEdit();
      if (keyboard) this.links.focus();
      if (!commit || text === '' || (old !== undefined && v === Number(old.toPrecision(4)))) return;
      if (!Number.isFinite(v) || Math.abs(v) > 1e6) {
        this.cb.error(`A ${s.kind} must be a number from -1e6 to 1e6; got "${text}". Kept ${fmt(old, 4)}.`);
        return;
      }
      this.cb.editParameter(s.index, v, this.describe(s), old);
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        finish(true);
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        finish(false);
      }
    });
    input.addEventListener('blur', () => finish(true));
    this.editInput = input;
    this.stage.append(input);
    input.focus();
    input.select();
    this.#drawAgain();
  }

  #stopEdit() {
    const input = this.editInput;
    this.editInput = null;
    input?.remove();
  }

  /** Shows an edited value at once (the next round brings the core's). */
  setParameter(index, value) {
    if (this.weights) {
      this.weights = Float64Array.from(this.weights);
      this.weights[index] = value;
      this.#drawAgain();
    }
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
    this.tipParam = null;
    this.focusUnit = null;
  }
}
