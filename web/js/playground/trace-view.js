// "Trace a point": one data point's forward pass and the backward pass of one training step on it, shown
// layer by layer in the network diagram. This panel holds the trace (the engine's numbers, Session.trace in
// wasm/README.md), the stage the diagram is at, the controls (play/pause, step back and forward by a layer,
// trace again, close) and the current layer's numbers as a table (the text alternative of the diagram).
//
// Stages, for L layers (hidden layers, then the output): 0 shows the inputs; 1..L light layer 1..L going
// forward (z, a = f(z), on or off); L+1..2L go back from the output to layer 1 (dL/da, dL/dz, dL/dW on the
// edges). The trace is the weights at the step it was taken: training may go on, and "Trace again" takes
// the weights of the moment (a live trace every frame would change the numbers under the reader's eyes).
import { h } from '../shell/dom.js';
import { activationLabel, count, featureLabel, fmt } from '../shell/format.js';

const STAGE_MS = 1100; // per layer while playing

/** The layer (0-based into trace.layers; -1: the inputs) and the direction a stage shows. */
export function stageOf(stage, layers) {
  if (stage <= layers) return { forward: true, layer: stage - 1 };
  return { forward: false, layer: 2 * layers - stage };
}

export class TracePanel {
  /** callbacks: stage(view) with view = { trace, stage } or null when closed, retrace(), close(). */
  constructor(callbacks, { reducedMotion }) {
    this.cb = callbacks;
    this.reducedMotion = reducedMotion;
    this.title = h('p', { class: 'pg-trace__title' });
    this.now = h('p', { class: 'pg-trace__now small muted' });
    this.status = h('p', { class: 'pg-trace__stage small', 'aria-live': 'polite' });
    this.back = h(
      'button',
      { type: 'button', class: 'small', 'aria-label': 'Back: step back one layer', onclick: () => this.go(this.stage - 1) },
      '‹ Back',
    );
    this.play = h('button', { type: 'button', class: 'small pg-trace__play', onclick: () => this.togglePlay() });
    this.next = h(
      'button',
      { type: 'button', class: 'small', 'aria-label': 'Next: step forward one layer', onclick: () => this.go(this.stage + 1) },
      'Next ›',
    );
    this.again = h('button', { type: 'button', class: 'small', onclick: () => this.cb.retrace() }, 'Trace again');
    this.close = h('button', { type: 'button', class: 'small', onclick: () => this.cb.close() }, 'Close trace');
    this.table = h('table', { class: 'pg-trace__table small' });
    this.numbers = h('details', { class: 'pg-trace__numbers' }, h('summary', { class: 'small' }, 'Numbers of this layer'), this.table);
    this.el = h(
      'section',
      {
        class: 'pg-trace',
        hidden: true,
        'aria-label': 'Trace of one point',
        onkeydown: (e) => this.#key(e),
      },
      this.title,
      this.now,
      h('div', { class: 'cluster pg-trace__controls' }, this.back, this.play, this.next, this.again, this.close),
      this.status,
      this.numbers,
    );
    this.trace = null;
    this.stage = 0;
    this.timer = 0;
  }

  get open() {
    return Boolean(this.trace);
  }

  get stages() {
    return this.trace ? 2 * this.trace.layers.length + 1 : 0;
  }

  /**
   * Shows a new trace from its first stage: trace is the engine's (RemoteRun.trace), names = { features
   * (the input names), problem, head } to word it. Plays at once unless the reader prefers reduced motion.
   */
  show(trace, names) {
    this.trace = trace;
    this.edited = false;
    this.names = names;
    this.el.hidden = false;
    const p = trace.point;
    const where = names.oneD ? `x = ${fmt(p.x1)}` : `x₁ = ${fmt(p.x1)}, x₂ = ${fmt(p.x2)}`;
    const label = names.problem === 'classification' ? `class ${p.label}` : `target ${fmt(p.label)}`;
    this.title.replaceChildren(
      h('strong', {}, `Tracing the point ${where} (${label})`),
      ` · weights at step ${count(trace.step)} · loss ${fmt(trace.loss, 4)} · prediction ${[...trace.prediction].map((v) => fmt(v, 3)).join(', ')}`,
    );
    this.go(0);
    this.setPlaying(!this.reducedMotion());
  }

  /** The run's step now: says when training (or an edit by hand) has moved on from the traced weights. */
  setNow(step) {
    if (!this.trace) return;
    this.now.textContent = this.edited
      ? 'A weight was changed since this trace: Trace again for the new weights.'
      : step === this.trace.step
        ? ''
        : `Training is at step ${count(step)} now: Trace again for the weights of that step.`;
  }

  /** A weight or bias was set by hand: the trace's numbers are of the weights before. */
  weightsEdited() {
    this.edited = Boolean(this.trace);
    this.setNow(this.trace?.step);
  }

  hide() {
    this.setPlaying(false);
    this.trace = null;
    this.el.hidden = true;
    this.table.replaceChildren();
  }

  togglePlay() {
    if (!this.playing && this.stage >= this.stages - 1) this.go(0);
    this.setPlaying(!this.playing);
  }

  setPlaying(on) {
    this.playing = on && this.open;
    clearInterval(this.timer);
    this.timer = 0;
    if (this.playing) {
      this.timer = setInterval(() => {
        if (this.stage >= this.stages - 1) this.setPlaying(false);
        else this.go(this.stage + 1);
      }, STAGE_MS);
    }
    this.play.textContent = this.playing ? '❚❚ Pause' : '▶ Play';
    this.play.setAttribute('aria-label', this.playing ? 'Pause the trace' : 'Play the trace layer by layer');
    this.play.setAttribute('aria-pressed', String(this.playing));
  }

  /** Moves to a stage (clamped): the diagram, the sentence and the table follow. */
  go(stage) {
    if (!this.trace) return;
    this.stage = Math.max(0, Math.min(this.stages - 1, stage));
    this.back.disabled = this.stage === 0;
    this.next.disabled = this.stage === this.stages - 1;
    this.status.textContent = this.#sentence();
    this.#fillTable();
    this.cb.stage({ trace: this.trace, stage: this.stage });
  }

  #key(e) {
    if (e.target.closest('summary, table')) return;
    if (e.key === 'ArrowRight') this.go(this.stage + 1);
    else if (e.key === 'ArrowLeft') this.go(this.stage - 1);
    else if (e.key === 'Escape') this.cb.close();
    else return;
    e.preventDefault();
  }

  #layerName(l) {
    return l === this.trace.layers.length - 1 ? 'the output layer' : `layer ${l + 1}`;
  }

  #sentence() {
    const t = this.trace;
    const L = t.layers.length;
    const { forward, layer } = stageOf(this.stage, L);
    const at = `${this.stage + 1} of ${this.stages}`;
    if (layer < 0) return `Step ${at}, forward: the inputs the network sees at this point.`;
    const tl = t.layers[layer];
    if (forward) {
      if (layer === L - 1)
        return `Step ${at}, forward: the output layer's z (the logits), then the head's prediction and loss ${fmt(t.loss, 4)}.`;
      const on = tl.on.reduce((n, v) => n + v, 0);
      return `Step ${at}, forward: ${this.#layerName(layer)} (${activationLabel(tl.activation)}) computes z = a·W + b and a = f(z); ${on} of ${tl.units} units on (|f′(z)| > ${t.onAbove}).`;
    }
    if (layer === L - 1)
      return `Step ${at}, backward: the loss's gradient at the output, ∂L/∂z, and ∂L/∂w on the edges into it (width: size, colour: sign).`;
    return `Step ${at}, backward: ${this.#layerName(layer)}: ∂L/∂a from the layer above, ∂L/∂z = ∂L/∂a · f′(z) (zero where the unit is off), and ∂L/∂w on its edges.`;
  }

  /** The current layer's numbers, one row per unit; each cell keeps the engine's full value in data-value. */
  #fillTable() {
    const t = this.trace;
    const { forward, layer } = stageOf(this.stage, t.layers.length);
    // String(-0) is "0": the sign of a zero (an off unit's dz is often -0) is kept for a reader of data-value.
    const cell = (v) => h('td', { dataset: { value: Object.is(v, -0) ? '-0' : String(v) } }, fmt(v, 4));
    if (layer < 0) {
      const names = this.names.features;
      this.table.replaceChildren(
        h('caption', {}, 'The inputs at this point'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Input'), h('th', { scope: 'col' }, 'Value'))),
        h(
          'tbody',
          {},
          [...t.features].map((v, i) => h('tr', {}, h('th', { scope: 'row' }, names[i] ? featureLabel(names[i]) : 'x'), cell(v))),
        ),
      );
      return;
    }
    const tl = t.layers[layer];
    const cols = forward
      ? [
          ['z', tl.z],
          ['a = f(z)', tl.a],
          ['f′(z)', tl.slope],
        ]
      : [
          ['∂L/∂a', tl.dA],
          ['∂L/∂z', tl.dZ],
          ['∂L/∂b', tl.dB],
        ];
    const rows = [];
    for (let j = 0; j < tl.units; ++j) {
      rows.push(
        h(
          'tr',
          { dataset: { unit: String(j) } },
          h('th', { scope: 'row' }, layer === t.layers.length - 1 ? `output ${j}` : `unit ${j + 1}`),
          cols.map(([, arr]) => cell(arr[j])),
          forward ? h('td', {}, tl.on[j] ? 'on' : 'off') : null,
        ),
      );
    }
    this.table.replaceChildren(
      h('caption', {}, `${forward ? 'Forward' : 'Backward'}: ${this.#layerName(layer)}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Unit'),
          cols.map(([name]) => h('th', { scope: 'col' }, name)),
          forward ? h('th', { scope: 'col' }, 'On') : null,
        ),
      ),
      h('tbody', {}, rows),
    );
  }
}
