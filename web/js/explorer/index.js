// The activation explorer: state (query.js) -> core (model.js) -> views (chart.js, cards.js), with one
// render per animation frame however many inputs fired in between.
import '../../css/explorer.css';
import { EmbedDialog } from '../shell/embed-dialog.js';
import { errorMessage } from '../engine/local.js';
import { onThemeChange, currentTheme } from '../palette.js';
import { ExplorerChart, formatNumber } from './chart.js';
import { renderCards } from './cards.js';
import { buildModel } from './model.js';
import { labelOf } from './content.js';
import { conventionsSection, revealIfAsked } from './conventions.js';
import {
  PARAM_SPECS,
  GRAD_AT_ZERO_CHOICES,
  FORMULA,
  FORMULA_PARAM_SPEC,
  defaultState,
  readQuery,
  writeQuery,
  rangeProblem,
  yRangeProblem,
} from './query.js';

const SAMPLES = 801; // points per curve: ~1 per pixel on a wide chart, and x = 0 is one of them for -10..10
const RELU_FAMILY_AT_ZERO = new Set(['relu', 'leaky_relu', 'prelu', 'relu6']); // read the g0 convention

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (v !== false && v !== undefined) node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of [].concat(children)) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function cloneState(s) {
  return { ...s, fns: [...s.fns], params: { ...s.params }, formula: { ...s.formula } };
}

export function mount(section, { engine, router }) {
  const names = engine.activations();
  const infos = new Map(names.map((name) => [name, engine.activationInfo(name)]));
  let state = defaultState(infos);
  let good = cloneState(state);
  let visible = false;
  let frame = 0;
  let draws = 0;
  let model = null;

  // ---- DOM ----
  const notes = el('div', { class: 'note', role: 'status', hidden: true });
  const error = el('p', { class: 'error-message', role: 'alert', hidden: true });

  const fnBoxes = new Map();
  const fnList = el('div', { class: 'fn-list' });
  for (const name of names) {
    const box = el('input', { type: 'checkbox', id: `fn-${name}`, value: name });
    fnBoxes.set(name, box);
    fnList.append(
      el('label', { class: 'check fn-option', for: `fn-${name}` }, [
        box,
        el('span', { class: 'swatch', 'aria-hidden': 'true' }),
        el('span', { text: labelOf(name) }),
      ]),
    );
  }
  // The user's own activation: a checkbox like the built-ins', and its formula field with a and b.
  const formulaBox = el('input', { type: 'checkbox', id: `fn-${FORMULA}`, value: FORMULA });
  fnBoxes.set(FORMULA, formulaBox);
  fnList.append(
    el('label', { class: 'check fn-option', for: `fn-${FORMULA}` }, [
      formulaBox,
      el('span', { class: 'swatch', 'aria-hidden': 'true' }),
      el('span', { text: labelOf(FORMULA) }),
    ]),
  );
  const formulaInput = el('input', {
    type: 'text',
    id: 'formula-text',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    maxlength: String(engine.catalog().limits.maxFormulaLength),
    'aria-describedby': 'formula-error formula-help',
  });
  const formulaError = el('p', { id: 'formula-error', class: 'field-error', 'aria-live': 'polite' });
  const formulaHelp = el('p', {
    id: 'formula-help',
    class: 'muted small',
    text: `Use x, a, b, numbers, + − * / ^, ${engine.catalog().formulaFunctions.join(', ')}, and if(x > 0, then, else). Example: x*sigmoid(a*x).`,
  });
  const formulaSliders = ['a', 'b'].map((key) => {
    const id = `formula-${key}`;
    const input = el('input', { type: 'range', id, ...FORMULA_PARAM_SPEC });
    const output = el('output', { for: id });
    return { key, input, output, row: el('div', { class: 'param' }, [el('label', { for: id }, [`${key} = `, output]), input]) };
  });
  const formulaSet = el('fieldset', { class: 'formula-field stack', 'data-control': 'formula', hidden: true }, [
    el('legend', { text: 'Your own activation' }),
    el('label', { for: 'formula-text', text: 'f(x) =' }),
    formulaInput,
    formulaError,
    formulaHelp,
    ...formulaSliders.map((s) => s.row),
  ]);
  const derivBox = el('input', { type: 'checkbox', id: 'show-deriv' });
  const fromInput = el('input', { type: 'number', id: 'range-from', step: 'any', inputmode: 'decimal', 'aria-describedby': 'range-error' });
  const toInput = el('input', { type: 'number', id: 'range-to', step: 'any', inputmode: 'decimal', 'aria-describedby': 'range-error' });
  const rangeError = el('p', { id: 'range-error', class: 'field-error', 'aria-live': 'polite' });
  const resetRange = el('button', { type: 'button', id: 'range-reset', text: 'Reset to −10..10' });
  // y: empty means "follow the curves" (the default), so sigmoid's f′ can be read next to ReLU's f.
  const yminInput = el('input', {
    type: 'number',
    id: 'range-ymin',
    step: 'any',
    inputmode: 'decimal',
    placeholder: 'auto',
    'aria-describedby': 'yrange-error',
  });
  const ymaxInput = el('input', {
    type: 'number',
    id: 'range-ymax',
    step: 'any',
    inputmode: 'decimal',
    placeholder: 'auto',
    'aria-describedby': 'yrange-error',
  });
  const yRangeError = el('p', { id: 'yrange-error', class: 'field-error', 'aria-live': 'polite' });
  const autoY = el('button', { type: 'button', id: 'yrange-auto', text: 'Fit y to the curves' });

  const paramRows = new Map();
  const paramBox = el('div', { class: 'params' });
  for (const [name, spec] of Object.entries(PARAM_SPECS)) {
    if (!infos.has(name)) continue;
    const id = `param-${name}`;
    const input = el('input', { type: 'range', id, min: spec.min, max: spec.max, step: spec.step });
    const output = el('output', { for: id });
    const row = el('div', { class: 'param', hidden: true }, [
      el('label', { for: id }, [`${labelOf(name)} ${spec.symbol} `, output]),
      input,
    ]);
    paramRows.set(name, { row, input, output });
    paramBox.append(row);
  }

  const g0Radios = GRAD_AT_ZERO_CHOICES.map((v) => el('input', { type: 'radio', name: 'relu-g0', id: `g0-${v}`, value: String(v) }));
  const g0Set = el('fieldset', { class: 'g0', hidden: true }, [
    el('legend', { text: 'ReLU’s slope used at x = 0' }),
    el(
      'div',
      { class: 'cluster' },
      g0Radios.map((r, i) => el('label', { class: 'check', for: r.id }, [r, String(GRAD_AT_ZERO_CHOICES[i])])),
    ),
    el('p', { class: 'muted small', text: 'Undefined in maths; frameworks use 0. Also applies to leaky ReLU, PReLU and ReLU6.' }),
  ]);

  const controls = el('div', { class: 'explorer__controls panel stack' }, [
    el('fieldset', { 'data-control': 'pick' }, [el('legend', { text: 'Functions' }), fnList]),
    formulaSet,
    el('label', { class: 'check', for: 'show-deriv' }, [derivBox, 'Show derivatives f′(x) (dashed)']),
    el('fieldset', { class: 'range', 'data-control': 'range' }, [
      el('legend', { text: 'Range of x' }),
      el('div', { class: 'cluster' }, [
        el('label', { for: 'range-from', text: 'from' }),
        fromInput,
        el('label', { for: 'range-to', text: 'to' }),
        toInput,
      ]),
      rangeError,
      resetRange,
    ]),
    el('fieldset', { class: 'range', 'data-control': 'range' }, [
      el('legend', { text: 'Range of y' }),
      el('div', { class: 'cluster' }, [
        el('label', { for: 'range-ymin', text: 'from' }),
        yminInput,
        el('label', { for: 'range-ymax', text: 'to' }),
        ymaxInput,
      ]),
      yRangeError,
      autoY,
    ]),
    paramBox,
    g0Set,
  ]);

  const chartHost = el('div', { class: 'explorer__chart', role: 'img' });
  const empty = el('p', { class: 'muted explorer__empty', text: 'Pick at least one function to plot it.', hidden: true });
  const probe = el('input', { type: 'range', id: 'probe-x', min: -10, max: 10, step: 'any', value: 0 });
  const probeOut = el('output', { for: 'probe-x' });
  const plot = el('div', { class: 'explorer__plot panel' }, [
    chartHost,
    empty,
    el('div', { class: 'probe' }, [el('label', { for: 'probe-x' }, ['Read the values at x = ', probeOut]), probe]),
    el('p', { class: 'muted small key' }, [
      'Hover or tap the chart to read x, f(x) and f′(x). Solid: f; dashed: f′. ',
      el('span', { class: 'glyph', text: '◆' }),
      ' a kink of f; ',
      el('span', { class: 'glyph', text: '●' }),
      ' the value used at a kink; ',
      el('span', { class: 'glyph', text: '○' }),
      ' a one-sided limit.',
    ]),
  ]);
  const cards = el('div', { class: 'explorer__cards', 'data-control': 'cards' });
  const embedButton = el('button', { type: 'button', id: 'explorer-embed', class: 'small', text: 'Embed…' });
  let embedDialog = null;
  embedButton.addEventListener('click', () => {
    embedDialog ??= new EmbedDialog(router, notes);
    embedDialog.open();
  });
  plot.append(el('div', { class: 'cluster' }, [embedButton]));
  const conventions = conventionsSection();

  section.replaceChildren(
    el('div', { class: 'explorer' }, [
      el('h1', { text: 'Activation explorer' }),
      el(
        'p',
        { class: 'lede-small' },
        'Tick functions to overlay them, move the sliders to change their parameters, and read the formula, the explanation and the core’s own code for each below the chart.',
      ),
      notes,
      error,
      el('div', { class: 'explorer__layout' }, [controls, plot]),
      el('h2', { text: 'The functions' }),
      cards,
      conventions,
    ]),
  );

  const chart = new ExplorerChart(chartHost, {
    onDraw: () => {
      draws += 1;
      publish();
    },
    // A hover reads one sample: the slider moves there, so both say the same x.
    onCursor: (x) => {
      if (x === null) {
        // The pointer left: the legend goes back to the slider's x.
        requestAnimationFrame(() => {
          if (model?.curves.length) probeOut.textContent = formatNumber(chart.showAt(Number(probe.value)));
        });
        return;
      }
      probe.value = String(x);
      probeOut.textContent = formatNumber(x);
    },
  });

  // ---- state -> controls ----
  // A field being typed in keeps what the user typed: a render in between (a resize, a theme change, the
  // other field's change) would otherwise put the old value back before its change event applies it.
  function showValue(input, text) {
    if (document.activeElement !== input) input.value = text;
  }

  function syncControls() {
    state.fns.forEach((name, i) => fnBoxes.get(name)?.closest('label').style.setProperty('--swatch', chart.colorOf(i)));
    for (const [name, box] of fnBoxes) {
      box.checked = state.fns.includes(name);
      if (!box.checked) box.closest('label').style.removeProperty('--swatch');
    }
    derivBox.checked = state.deriv;
    showValue(fromInput, String(state.from));
    showValue(toInput, String(state.to));
    showValue(yminInput, state.ymin === null ? '' : String(state.ymin));
    showValue(ymaxInput, state.ymax === null ? '' : String(state.ymax));
    for (const [name, { row, input, output }] of paramRows) {
      row.hidden = !state.fns.includes(name);
      input.value = String(state.params[name]);
      output.textContent = formatNumber(state.params[name]);
    }
    formulaSet.hidden = !state.fns.includes(FORMULA);
    // The field keeps what the user is typing (and a refused text with its message) until it is fixed.
    if (document.activeElement !== formulaInput && formulaInput.getAttribute('aria-invalid') !== 'true')
      formulaInput.value = state.formula.text;
    for (const { key, input, output } of formulaSliders) {
      input.value = String(state.formula[key]);
      output.textContent = formatNumber(state.formula[key]);
    }
    g0Set.hidden = !state.fns.some((n) => RELU_FAMILY_AT_ZERO.has(n));
    for (const r of g0Radios) r.checked = Number(r.value) === state.g0;
    probe.min = String(state.from);
    probe.max = String(state.to);
    probe.step = String((state.to - state.from) / (SAMPLES - 1));
  }

  // ---- one render per frame ----
  function schedule() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function render() {
    frame = 0;
    if (!visible) return;
    let next;
    try {
      next = buildModel(engine, infos, state, SAMPLES);
    } catch (e) {
      // The core refused (or failed): say why and go back to the last state that drew.
      error.textContent = `Could not plot that: ${errorMessage(e)}. The previous settings are kept.`;
      error.hidden = false;
      state = cloneState(good);
      syncControls();
      return;
    }
    error.hidden = true;
    good = cloneState(state);
    model = next;
    const hasCurves = model.curves.length > 0;
    empty.hidden = hasCurves;
    chartHost.hidden = !hasCurves;
    if (hasCurves) {
      chart.update(model, state.deriv);
      chart.resize(chartHost.clientWidth);
      chartHost.setAttribute(
        'aria-label',
        `Plot of ${model.curves.map((c) => c.label).join(', ')}${state.deriv ? ' and their derivatives' : ''} for x from ${state.from} to ${state.to}${state.ymin !== null || state.ymax !== null ? `, y from ${state.ymin ?? 'auto'} to ${state.ymax ?? 'auto'}` : ''}`,
      );
    } else {
      chart.destroy();
    }
    renderCards(
      cards,
      state.fns,
      state.fns.map((_, i) => chart.colorOf(i)),
      state.formula,
    );
    syncControls();
    // The legend starts at the slider's x (and stays there after a range change clamps the slider).
    // After uPlot's own commit of the new data, which places its cursor from scratch.
    if (hasCurves)
      requestAnimationFrame(() => {
        if (model?.curves.length) probeOut.textContent = formatNumber(chart.showAt(Number(probe.value)));
      });
    router.replace('explorer', writeQuery(state));
    publish();
  }

  // For the browser tests: where the chart puts a data point, and what it drew.
  function publish() {
    window.__explorer = {
      draws,
      state: cloneState(state),
      colors: Object.fromEntries(state.fns.map((n, i) => [n, chart.colorOf(i)])),
      marks: Object.fromEntries((model?.curves ?? []).map((c) => [c.name, c.marks])),
      canvas: () => chartHost.querySelector('canvas'),
      toCanvas: (x, y) => chart.toCanvas(x, y),
      toClient: (x, y) => chart.toClient(x, y),
      legend: () =>
        [...chartHost.querySelectorAll('.u-legend .u-series')].map((row) => ({
          label: row.querySelector('.u-label')?.textContent ?? '',
          value: row.querySelector('.u-value')?.textContent ?? '',
        })),
    };
  }

  // ---- controls -> state ----
  for (const [name, box] of fnBoxes) {
    box.addEventListener('change', () => {
      state.fns = box.checked ? [...state.fns.filter((n) => n !== name), name] : state.fns.filter((n) => n !== name);
      schedule();
    });
  }
  // Every keystroke is checked by the core: a good formula redraws at once; a bad one leaves the last good
  // curve (and every other setting) in place and says where the text went wrong.
  formulaInput.addEventListener('input', () => {
    const text = formulaInput.value;
    const problem = engine.validateFormula(text);
    formulaInput.setAttribute('aria-invalid', String(problem !== ''));
    formulaError.textContent = problem ? `Not applied: ${problem}.` : '';
    if (problem) return;
    state.formula.text = text;
    schedule();
  });
  for (const { key, input, output } of formulaSliders) {
    input.addEventListener('input', () => {
      state.formula[key] = Number(input.value);
      output.textContent = formatNumber(state.formula[key]);
      schedule();
    });
  }
  derivBox.addEventListener('change', () => {
    state.deriv = derivBox.checked;
    schedule();
  });

  function applyRange() {
    const from = fromInput.value === '' ? NaN : Number(fromInput.value);
    const to = toInput.value === '' ? NaN : Number(toInput.value);
    const problem = !Number.isFinite(from) || !Number.isFinite(to) ? 'both ends must be numbers' : rangeProblem(from, to);
    fromInput.setAttribute('aria-invalid', String(problem !== ''));
    toInput.setAttribute('aria-invalid', String(problem !== ''));
    rangeError.textContent = problem ? `Not applied: ${problem}.` : '';
    if (problem) return;
    state.from = from;
    state.to = to;
    schedule();
  }
  fromInput.addEventListener('change', applyRange);
  toInput.addEventListener('change', applyRange);
  function applyYRange() {
    const read = (input) => (input.value.trim() === '' ? null : Number(input.value));
    const ymin = read(yminInput);
    const ymax = read(ymaxInput);
    const problem = Number.isNaN(ymin) || Number.isNaN(ymax) ? 'each end must be a number or empty (auto)' : yRangeProblem(ymin, ymax);
    yminInput.setAttribute('aria-invalid', String(problem !== ''));
    ymaxInput.setAttribute('aria-invalid', String(problem !== ''));
    yRangeError.textContent = problem ? `Not applied: ${problem}.` : '';
    if (problem) return;
    state.ymin = ymin;
    state.ymax = ymax;
    schedule();
  }
  yminInput.addEventListener('change', applyYRange);
  ymaxInput.addEventListener('change', applyYRange);
  autoY.addEventListener('click', () => {
    yminInput.value = '';
    ymaxInput.value = '';
    applyYRange();
  });
  resetRange.addEventListener('click', () => {
    fromInput.value = '-10';
    toInput.value = '10';
    applyRange();
  });

  for (const [name, { input, output }] of paramRows) {
    input.addEventListener('input', () => {
      state.params[name] = Number(input.value);
      output.textContent = formatNumber(state.params[name]);
      schedule();
    });
  }
  for (const r of g0Radios)
    r.addEventListener('change', () => {
      if (r.checked) {
        state.g0 = Number(r.value);
        schedule();
      }
    });

  probe.addEventListener('input', () => {
    // The legend reads the sample nearest the slider (kinks are samples too): show that sample's x.
    probeOut.textContent = formatNumber(chart.showAt(Number(probe.value)));
  });
  probeOut.textContent = '0';

  new ResizeObserver(() => {
    if (visible && model?.curves.length) chart.resize(chartHost.clientWidth);
  }).observe(chartHost);
  onThemeChange((theme) => {
    chart.setTheme(theme ?? currentTheme());
    syncControls();
    schedule();
  });

  return {
    show(query) {
      visible = true;
      const { state: read, notes: problems } = readQuery(query, infos, (text) => engine.validateFormula(text));
      formulaInput.removeAttribute('aria-invalid');
      formulaError.textContent = '';
      state = read;
      notes.hidden = problems.length === 0;
      notes.textContent = problems.length ? `Some settings in the link were ignored and their defaults used: ${problems.join('; ')}.` : '';
      syncControls();
      schedule();
      revealIfAsked(query, conventions);
    },
    hide() {
      visible = false;
    },
  };
}
