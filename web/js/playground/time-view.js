// Time travel's controls: a scrubber over the run's steps (a range input, arrow keys move one step), the
// snapshots' memory against the core's budget, and a strip that marks when each hidden unit died (it outputs
// 0 on every training point) or came back. It only draws: the page seeks (index.js scrubTo) and the core
// recomputes the step exactly from its nearest snapshot (core/timeline.hpp).
import { h } from '../shell/dom.js';
import { count } from '../shell/format.js';

const ROW_PX = 4; // a unit's row in the strip
const MAX_ROWS = 32; // more hidden units than this: one row per layer, shaded by its share of dead units

/** 32 MB, 1.4 MB, 3.2 kB: the snapshots' memory in the units the budget is named in. */
function megabytes(bytes) {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  const mb = bytes / 1e6;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

export class TimeView {
  /** seek(step): the user moved the scrubber. */
  constructor({ seek }) {
    this.range = h('input', {
      type: 'range',
      id: 'pg-time-range',
      min: '0',
      max: '0',
      step: '1',
      value: '0',
      class: 'pg-time__range',
      oninput: () => seek(Number(this.range.value)),
    });
    this.readout = h('output', { for: 'pg-time-range', class: 'pg-time__step' }, 'step 0');
    this.memory = h('p', { class: 'small muted pg-time__memory' });
    this.strip = h('canvas', { class: 'pg-time__strip', 'aria-hidden': 'true' });
    this.units = h('p', { class: 'small muted pg-time__units' });
    this.el = h(
      'div',
      { class: 'pg-time', 'data-control': 'timeline' },
      h('div', { class: 'pg-time__row' }, h('label', { for: 'pg-time-range', class: 'small' }, 'Step shown'), this.range, this.readout),
      this.strip,
      this.units,
      this.memory,
    );
    this.drawn = '';
    // The strip is as wide as the scrubber. Read when the layout changes, not while drawing: reading it after
    // the readout's text changed would make the browser lay the page out again in the middle of a frame.
    this.width = 0;
    new ResizeObserver(() => {
      this.width = this.range.clientWidth || this.el.clientWidth;
      this.drawn = '';
    }).observe(this.el);
  }

  /** The run's timeline as the page's mirror has it (run.timeline, run.unitEvents), the step shown. */
  update(run, colors) {
    const t = run.timeline;
    if (!t) return;
    this.updateStep(run);
    const kept = t.kept === 1 ? '1 kept' : `${count(t.kept)} kept`;
    const since = t.earliest > 0 ? `; the earliest step that can be shown is ${count(t.earliest)}` : '';
    this.memory.textContent =
      t.kept === 0
        ? `This network is too big for snapshots within ${megabytes(t.budget)}: only the current step can be shown.`
        : `Snapshots every ${count(t.every)} steps, ${kept}, ${megabytes(t.bytes)} of ${megabytes(t.budget)}${since}. Drag or use the arrow keys to show an earlier step exactly.`;
    this.#drawStrip(run, colors);
  }

  /** The scrubber and its readout only: cheap, so they keep up with the step counter while training. */
  updateStep(run) {
    const t = run.timeline;
    if (!t) return;
    const step = run.step;
    this.range.min = String(t.earliest);
    this.range.max = String(t.head);
    this.range.value = String(step);
    this.range.disabled = t.head <= t.earliest;
    const where = step < t.head ? `step ${count(step)} of ${count(t.head)}` : `step ${count(step)}`;
    this.range.setAttribute('aria-valuetext', where);
    this.readout.textContent = where;
  }

  /** One row per hidden unit (or per layer): dead stretches shaded, a mark where a unit died or came back. */
  #drawStrip(run, colors) {
    const t = run.timeline;
    const ev = run.unitEvents;
    const hidden = run.layers.slice(0, -1);
    const perUnit = t.units <= MAX_ROWS;
    const rows = perUnit ? t.units : hidden.length;
    const width = Math.max(60, this.width || 300);
    const key = `${run.eventsKey}|${t.head}|${t.earliest}|${run.step}|${width}|${colors.dark}`;
    if (key === this.drawn) return;
    this.drawn = key;
    const dpr = devicePixelRatio || 1;
    this.strip.hidden = rows === 0;
    const [w, hgt] = [Math.round(width * dpr), Math.round(rows * ROW_PX * dpr)];
    // A new size reallocates the canvas: only when it changes, not at every drawing.
    if (this.strip.width !== w || this.strip.height !== hgt) {
      this.strip.style.width = `${width}px`;
      this.strip.style.height = `${rows * ROW_PX}px`;
      this.strip.width = w;
      this.strip.height = hgt;
    }
    const ctx = this.strip.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.grid;
    ctx.fillRect(0, 0, width, rows * ROW_PX);
    const span = Math.max(1, t.head - t.earliest);
    const x = (s) => ((Math.max(t.earliest, s) - t.earliest) / span) * width;
    const layerOf = [];
    hidden.forEach((l, i) => {
      for (let u = 0; u < l.units; ++u) layerOf.push(i);
    });
    // Each unit's dead stretches, from its events in step order.
    const since = new Map(); // unit -> step it died
    let died = 0;
    let back = 0;
    const shade = (unit, from, to) => {
      const row = perUnit ? unit : layerOf[unit];
      ctx.globalAlpha = perUnit ? 0.55 : Math.min(0.8, 0.15 + 0.8 / Math.max(1, hidden[layerOf[unit]].units));
      ctx.fillStyle = colors.muted;
      ctx.fillRect(x(from), row * ROW_PX, Math.max(1, x(to) - x(from)), ROW_PX - 1);
      ctx.globalAlpha = 1;
    };
    const marks = [];
    for (let i = 0; i < ev.length; i += 3) {
      const [s, unit, dead] = [ev[i], ev[i + 1], ev[i + 2]];
      if (dead) {
        since.set(unit, s);
        died += 1;
      } else {
        if (since.has(unit)) shade(unit, since.get(unit), s);
        since.delete(unit);
        back += 1;
      }
      marks.push([s, unit, dead]);
    }
    for (const [unit, s] of since) shade(unit, s, t.head);
    for (const [s, unit, dead] of marks) {
      const row = perUnit ? unit : layerOf[unit];
      ctx.fillStyle = dead ? colors.error : colors.positive;
      ctx.fillRect(Math.min(width - 2, x(s)), row * ROW_PX, 2, ROW_PX - 1);
    }
    // The step shown.
    ctx.fillStyle = colors.fg;
    ctx.fillRect(Math.min(width - 1, x(run.step)), 0, 1, rows * ROW_PX);
    const deadNow = since.size;
    this.units.textContent =
      rows === 0
        ? ''
        : `Units over time (${perUnit ? 'a row per hidden unit' : 'a row per layer'}): ${died ? `${count(died)} ${died === 1 ? 'death' : 'deaths'}` : 'no unit died'}${back ? `, ${count(back)} came back` : ''}${deadNow ? `; ${count(deadNow)} dead at step ${count(t.head)}` : ''}. Grey: dead; a mark where a unit died or came back.`;
  }
}
