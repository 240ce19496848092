// The settings panels: data, features, training and the network's shared settings. Every control is a
// real, labelled form element; each change goes to onSet(name, value), and sync(state) shows a state.
// The layers, units and activations are edited in the network diagram, next to what they change.
import { h, uid, select, setOptions } from '../shell/dom.js';
import { BATCH_SIZES, DATASETS, FEATURES, INITS, OPTIMIZERS, PROBLEMS, REGULARIZATIONS, dataShape, headsFor, property } from '../state.js';
import { datasetLabel, featureLabel, headLabel, initLabel, optimizerLabel, regularizationLabel } from '../shell/format.js';
import { drawThumbnail } from './thumbnails.js';

const CLIPS = [0, 0.1, 0.5, 1, 2, 5, 10];

/** Marks an element as a hideable control (shell/page-options.js); returns it. */
function tag(el, name) {
  el.dataset.control = name;
  return el;
}

/** A field that spans both columns of a two-column group. */
function wide(field) {
  field.classList.add('pg-field--wide');
  return field;
}

function range(labelText, name, { min, max, step, suffix = '' }, onSet) {
  const id = uid('rng');
  const out = h('output', { for: id });
  const input = h('input', {
    id,
    type: 'range',
    min,
    max,
    step,
    oninput: () => {
      out.textContent = `${input.value}${suffix}`;
    },
    onchange: () => onSet(name, Number(input.value)),
  });
  const field = h(
    'div',
    { class: 'pg-field pg-field--range' },
    h('label', { for: id, class: 'pg-field__label' }, labelText, ' ', out),
    input,
  );
  return {
    field,
    set: (v) => {
      input.value = String(v);
      out.textContent = `${v}${suffix}`;
    },
    input,
  };
}

/** A number input that only commits valid values: an invalid one shows the allowed range and reverts. */
function numberField(labelText, name, { step, min, max }, onSet, onError) {
  const id = uid('num');
  const p = property(name);
  const lo = min ?? p.min;
  const hi = max ?? p.max;
  let current = 0;
  const input = h('input', {
    id,
    type: 'number',
    step,
    min: lo,
    max: hi,
    inputmode: 'decimal',
    onchange: () => {
      const v = Number(input.value);
      const ok = input.value.trim() !== '' && Number.isFinite(v) && v >= lo && v <= hi && (p.type !== 'int' || Number.isInteger(v));
      if (!ok) {
        onError(
          `${labelText} must be ${p.type === 'int' ? 'an integer' : 'a number'} from ${lo} to ${hi}; got "${input.value}". Kept ${current}.`,
        );
        input.value = String(current);
        return;
      }
      onSet(name, v);
    },
  });
  const field = h('div', { class: 'pg-field' }, h('label', { for: id, class: 'pg-field__label' }, labelText), input);
  return {
    field,
    input,
    set: (v) => {
      current = v;
      if (document.activeElement !== input || Number(input.value) !== v) input.value = String(v);
    },
  };
}

export class Controls {
  /** catalog: the core's (catalog.js), for its menus. */
  constructor(cb, thumbnails, colors, catalog) {
    this.catalog = catalog;
    this.cb = cb; // { set(name, value), regenerate(), openCsv(), addMode(mode|null), error(msg) }
    this.thumbnails = thumbnails;
    const set = (name, value) => cb.set(name, value);

    // ---- Data ----
    this.problem = select(
      'Problem',
      PROBLEMS.map((p) => [p, p === 'classification' ? 'Classification' : 'Regression']),
      (v) => set('problem', v),
    );
    this.datasetGroup = h('div', { class: 'pg-datasets', role: 'radiogroup', 'aria-label': 'Dataset' });
    this.datasetRadios = new Map();
    const groupName = uid('dataset');
    for (const d of DATASETS) {
      const canvas = h('canvas', { 'aria-hidden': 'true' });
      const input = h('input', {
        type: 'radio',
        name: groupName,
        value: d.name,
        class: 'visually-hidden',
        onchange: () => set('dataset', d.name),
      });
      const label = h(
        'label',
        // data-problem: which problem the set belongs to, so that a test can tell when the list has followed a change.
        { class: 'pg-dataset', title: datasetLabel(d.name), 'data-problem': d.name === 'custom' ? null : d.problem },
        input,
        canvas,
        h('span', {}, datasetLabel(d.name)),
      );
      this.datasetRadios.set(d.name, { input, label, canvas, info: d });
      this.datasetGroup.append(label);
    }
    const classes = property('classes');
    this.classes = select(
      'Classes',
      Array.from({ length: classes.max - classes.min + 1 }, (_, i) => String(classes.min + i)).map((k) => [k, k]),
      (v) => set('classes', Number(v)),
    );
    this.noise = range('Noise', 'noise', { min: 0, max: 50, step: 5, suffix: '%' }, set);
    this.trainPercent = range('Training data', 'trainPercent', { min: 10, max: 90, step: 10, suffix: '%' }, set);
    this.numPoints = range('Points', 'numPoints', { min: 50, max: 2000, step: 50 }, set);
    this.seed = numberField('Seed', 'seed', { step: 1 }, set, cb.error);
    this.regenerate = h(
      'button',
      {
        type: 'button',
        onclick: () => cb.regenerate(),
        title: 'A new random seed: new data and new initial weights',
        'aria-label': 'Regenerate: a new random seed',
      },
      '↻',
    );
    this.customButton = h('button', { type: 'button', onclick: () => cb.openCsv() }, 'Paste your own points…');
    this.addToggle = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => this.#toggleAdd() }, 'Add points');
    this.eraseToggle = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => this.#toggleErase() }, 'Erase points');
    this.addClass = h('select', { 'aria-label': 'Class of the points to add', onchange: () => this.#addModeChanged() });
    this.addValue = h('input', {
      type: 'number',
      step: 0.1,
      value: 1,
      'aria-label': 'Value of the points to add (2-D regression)',
      onchange: () => this.#addModeChanged(),
    });
    this.addHint = h('p', { class: 'small muted', hidden: true });

    const ownPoints = { 'data-control': 'own-points' };
    const data = h(
      'fieldset',
      { class: 'pg-panel pg-data', 'data-control': 'data' },
      h('legend', {}, 'Data'),
      tag(this.problem.field, 'problem'),
      h('p', { class: 'pg-field__label', id: uid('dl'), 'data-control': 'dataset' }, 'Dataset'),
      tag(this.datasetGroup, 'dataset'),
      tag(this.classes.field, 'dataset'),
      h('div', { class: 'pg-data__pair' }, tag(this.noise.field, 'noise'), tag(this.trainPercent.field, 'train-share')),
      h(
        'div',
        { class: 'pg-data__pair' },
        tag(this.numPoints.field, 'points'),
        h(
          'div',
          { class: 'pg-field', 'data-control': 'seed' },
          this.seed.field.firstChild,
          h('div', { class: 'pg-data__seed' }, this.seed.input, this.regenerate),
        ),
      ),
      h('div', { class: 'cluster pg-data__points', ...ownPoints }, this.addToggle, this.eraseToggle),
      h('div', { class: 'cluster pg-data__points', ...ownPoints }, this.customButton),
      h('div', { class: 'cluster', ...ownPoints }, this.addClass, this.addValue),
      tag(this.addHint, 'own-points'),
    );

    // ---- Features ----
    this.featureBoxes = new Map();
    const featureList = h('div', { class: 'pg-features' });
    for (const f of FEATURES) {
      const input = h('input', { type: 'checkbox', value: f.code, onchange: () => this.#features() });
      this.featureBoxes.set(f.code, input);
      featureList.append(h('label', { class: 'check' }, input, featureLabel(f.code)));
    }
    this.featureNote = h('p', { class: 'small muted', hidden: true }, "1-D data: the network's input is x alone.");
    const features = h('fieldset', { class: 'pg-panel' }, h('legend', {}, 'Features'), featureList, this.featureNote);

    // ---- Training ----
    this.lr = select('Learning rate', [], (v) => set('learningRate', Number(v)));
    this.optimizer = select(
      'Optimizer',
      OPTIMIZERS.map((o) => [o, optimizerLabel(o)]),
      (v) => set('optimizer', v),
    );
    this.momentum = numberField('Momentum', 'momentum', { step: 0.01 }, set, cb.error);
    this.rho = numberField('RMSprop ρ', 'rho', { step: 0.01 }, set, cb.error);
    this.beta1 = numberField('Adam β₁', 'beta1', { step: 0.01 }, set, cb.error);
    this.beta2 = numberField('Adam β₂', 'beta2', { step: 0.001 }, set, cb.error);
    this.batch = select('Batch size', [], (v) => set('batchSize', Number(v)));
    this.reg = select(
      'Regularisation',
      REGULARIZATIONS.map((r) => [r, regularizationLabel(r)]),
      (v) => set('regularization', v),
    );
    this.regRate = select('Regularisation rate', [], (v) => set('regRate', Number(v)));
    this.clip = select('Gradient clipping (max norm)', [], (v) => set('clipNorm', Number(v)));
    const training = h(
      'fieldset',
      { class: 'pg-panel', 'data-control': 'training' },
      h('legend', {}, 'Training'),
      h(
        'div',
        { class: 'pg-grid2' },
        tag(this.lr.field, 'learning-rate'),
        tag(wide(this.optimizer.field), 'optimizer'),
        tag(this.momentum.field, 'optimizer'),
        tag(this.rho.field, 'optimizer'),
        tag(this.beta1.field, 'optimizer'),
        tag(this.beta2.field, 'optimizer'),
        tag(this.batch.field, 'batch'),
        tag(this.clip.field, 'clipping'),
        tag(this.reg.field, 'regularization'),
        tag(this.regRate.field, 'regularization'),
      ),
    );

    // ---- Network-wide settings ----
    this.head = select('Output and loss', [], (v) => set('head', v));
    this.init = select(
      'Initialisation',
      INITS.map((i) => [i, initLabel(i)]),
      (v) => set('init', v),
    );
    this.initRange = numberField('Uniform range ±', 'initRange', { step: 0.1 }, set, cb.error);
    this.initBias = numberField('Initial bias', 'initBias', { step: 0.1 }, set, cb.error);
    this.g0 = select(
      'ReLU slope at 0',
      [
        ['0', 'f′(0) = 0'],
        ['0.5', 'f′(0) = 0.5'],
        ['1', 'f′(0) = 1'],
      ],
      (v) => set('reluGradAtZero', v),
    );
    const network = h(
      'fieldset',
      { class: 'pg-panel', 'data-control': 'network-settings' },
      h('legend', {}, 'Network'),
      // The head's and the initialisation's names are long: each takes the panel's whole width.
      h(
        'div',
        { class: 'pg-grid2' },
        wide(this.head.field),
        wide(this.init.field),
        this.initRange.field,
        this.initBias.field,
        this.g0.field,
      ),
    );

    this.data = data;
    this.features = features;
    this.training = training;
    this.network = network;
    this.setColors(colors);
  }

  drawThumbnails(colors) {
    for (const [name, r] of this.datasetRadios) {
      if (name === 'custom') {
        r.canvas.width = 1;
        continue;
      }
      drawThumbnail(r.canvas, r.info, this.thumbnails.get(name), colors);
    }
  }

  /** Shows a state in every control. */
  sync(state) {
    const shape = dataShape(state);
    this.state = state;
    this.problem.el.value = shape.problem;
    for (const [name, r] of this.datasetRadios) {
      const visible = name === 'custom' ? state.dataset === 'custom' : r.info.problem === shape.problem;
      r.label.hidden = !visible;
      r.input.checked = name === state.dataset;
      r.label.classList.toggle('is-selected', name === state.dataset);
    }
    if (state.dataset === 'custom') {
      const r = this.datasetRadios.get('custom');
      drawThumbnail(
        r.canvas,
        shape,
        Float64Array.from(state.points.flatMap((p) => (p.length === 2 ? [p[0], 0, p[1]] : p))),
        this.lastColors,
      );
    }
    this.classes.el.value = String(state.classes);
    this.classes.field.hidden = state.dataset !== 'blobs';
    this.noise.set(state.noise);
    this.trainPercent.set(state.trainPercent);
    this.numPoints.input.max = String(Math.max(2000, state.numPoints));
    this.numPoints.set(state.numPoints);
    this.numPoints.field.hidden = state.dataset === 'custom';
    this.seed.set(state.seed);
    for (const [code, box] of this.featureBoxes) {
      box.checked = state.features.includes(code);
      box.disabled = shape.dims === 1;
    }
    this.featureNote.hidden = shape.dims !== 1;

    setOptions(
      this.lr.el,
      this.catalog.learningRates.map((v) => [String(v), String(v)]),
      state.learningRate,
    );
    this.optimizer.el.value = state.optimizer;
    this.momentum.set(state.momentum);
    this.rho.set(state.rho);
    this.beta1.set(state.beta1);
    this.beta2.set(state.beta2);
    this.momentum.field.hidden = state.optimizer !== 'momentum' && state.optimizer !== 'nesterov';
    this.rho.field.hidden = state.optimizer !== 'rmsprop';
    this.beta1.field.hidden = state.optimizer !== 'adam';
    this.beta2.field.hidden = state.optimizer !== 'adam';
    setOptions(
      this.batch.el,
      BATCH_SIZES.map((v) => [String(v), String(v)]),
      state.batchSize,
    );
    this.reg.el.value = state.regularization;
    setOptions(
      this.regRate.el,
      this.catalog.regularizationRates.map((v) => [String(v), String(v)]),
      state.regRate,
    );
    this.regRate.field.hidden = state.regularization === 'none';
    setOptions(
      this.clip.el,
      CLIPS.map((v) => [String(v), v === 0 ? 'Off' : String(v)]),
      state.clipNorm,
    );

    setOptions(
      this.head.el,
      headsFor(state).map((x) => [x, headLabel(x)]),
      state.head,
    );
    this.head.el.disabled = headsFor(state).length === 1;
    this.init.el.value = state.init;
    this.initRange.set(state.initRange);
    this.initRange.field.hidden = state.init !== 'uniform';
    this.initBias.set(state.initBias);
    this.g0.el.value = state.reluGradAtZero;

    setOptions(this.addClass, this.#addableClasses(shape), this.addClass.value || '1');
    this.#showAddInputs();
  }

  /** The classes a new point may take: those the data has, and one more up to the core's limit. */
  #addableClasses(shape) {
    const names = this.lastColors?.classNames ?? [];
    const count = shape.problem === 'classification' ? Math.min(shape.classes + 1, this.catalog.limits.maxClasses) : 0;
    return Array.from({ length: count }, (_, k) => {
      const name = `class ${k}${names[k] ? ` (${names[k]})` : ''}`;
      return [String(k), k >= shape.classes ? `${name}: a new class` : name];
    });
  }

  setColors(colors) {
    this.lastColors = colors;
    this.drawThumbnails(colors);
  }

  #features() {
    const chosen = FEATURES.map((f) => f.code).filter((c) => this.featureBoxes.get(c).checked);
    if (chosen.length === 0) {
      this.cb.error('At least one feature must stay on: the network needs an input.');
      this.featureBoxes.get(this.state.features[0]).checked = true;
      return;
    }
    this.cb.set('features', chosen);
  }

  #showAddInputs() {
    const on = this.addToggle.getAttribute('aria-pressed') === 'true';
    const shape = dataShape(this.state);
    this.addClass.hidden = !on || shape.problem !== 'classification';
    this.addValue.hidden = !on || !(shape.problem === 'regression' && shape.dims === 2);
  }

  #toggleErase() {
    const on = this.eraseToggle.getAttribute('aria-pressed') !== 'true';
    if (on && this.addToggle.getAttribute('aria-pressed') === 'true') this.#toggleAdd();
    this.eraseToggle.setAttribute('aria-pressed', String(on));
    this.eraseToggle.classList.toggle('primary', on);
    this.addHint.hidden = !on;
    this.addHint.textContent =
      'Click a point on the output map to erase it; or focus the map, move the cross with the arrow keys and press Enter or Delete.';
    this.cb.addMode(on ? { erase: true } : null);
  }

  #toggleAdd() {
    const on = this.addToggle.getAttribute('aria-pressed') !== 'true';
    if (on && this.eraseToggle.getAttribute('aria-pressed') === 'true') this.#toggleErase();
    this.addToggle.setAttribute('aria-pressed', String(on));
    this.addToggle.classList.toggle('primary', on);
    this.#addModeChanged();
  }

  #addModeChanged() {
    const on = this.addToggle.getAttribute('aria-pressed') === 'true';
    const shape = dataShape(this.state);
    let mode = null;
    if (on) {
      if (shape.problem === 'classification') mode = { label: Number(this.addClass.value) };
      else if (shape.dims === 2) mode = { label: Number(this.addValue.value) || 0 };
      else mode = { label: null }; // 1-D: the click's height is the value
    }
    this.addHint.hidden = !on;
    this.#showAddInputs();
    this.addHint.textContent =
      shape.dims === 1
        ? 'Click on the plot to add a point (x, y); or focus the plot and use the arrow keys and Enter.'
        : 'Click on the output map to add a point; or focus the map and use the arrow keys and Enter. The current points become your own data set.';
    this.cb.addMode(mode);
  }

  /** Turns the add-points mode off (e.g. when the data changes shape). */
  stopAdding() {
    if (this.addToggle.getAttribute('aria-pressed') === 'true') this.#toggleAdd();
    if (this.eraseToggle.getAttribute('aria-pressed') === 'true') this.#toggleErase();
  }
}
