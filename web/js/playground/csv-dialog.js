// "Paste your own points": a dialog that reads CSV text into rows of numbers (splitting only; the core
// validates the values, labels and counts when it builds the data) and reports problems by line.
import { h, uid } from '../shell/dom.js';
import { MAX_CUSTOM_POINTS } from '../state.js';

// The points live in the link (state.js's pts), so a CSV holds at most what a link can carry; its text is
// bounded before it is split, so a huge paste or file costs one length check, not a parse.
export const MAX_CSV_CHARS = 1_000_000;

const EXAMPLE = `# x1, x2, label (a class 0 to 5) for classification; or x, y for 1-D regression
-2, -2, 0
-1.5, -2.5, 0
2, 2, 1
2.5, 1.5, 1`;

/**
 * Splits CSV text into rows. Returns { rows, lines } (lines[i]: the text line of row i) or { error }.
 * Blank lines, '#' comments and a header line of words are skipped; commas, semicolons, tabs or spaces separate.
 */
export function parseCsv(text) {
  if (text.length > MAX_CSV_CHARS) {
    return {
      error: `the text has ${text.length.toLocaleString('en')} characters, at most ${MAX_CSV_CHARS.toLocaleString('en')} (${MAX_CUSTOM_POINTS} points) can be loaded`,
    };
  }
  const rows = [];
  const lines = [];
  const all = text.split(/\r?\n/);
  for (let n = 0; n < all.length; ++n) {
    const line = all[n].replace(/#.*/, '').trim();
    if (line === '') continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/).filter((c) => c !== '');
    if (rows.length === 0 && lines.length === 0 && cells.some((c) => /^[a-z_]/i.test(c))) {
      lines.push(-1); // a header: remembered so a second one is an error
      continue;
    }
    const values = cells.map((c) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(c) ? Number(c) : NaN));
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return { error: `line ${n + 1}: "${cells[bad].slice(0, 20)}" is not a number` };
    if (values.length !== 2 && values.length !== 3) {
      return { error: `line ${n + 1}: expected 3 numbers (x1, x2, label) or 2 (x, y), got ${values.length}` };
    }
    if (rows.length && values.length !== rows[0].length) {
      return { error: `line ${n + 1}: ${values.length} numbers, but the first point has ${rows[0].length}` };
    }
    if (rows.length === MAX_CUSTOM_POINTS) {
      return {
        error: `line ${n + 1}: more than ${MAX_CUSTOM_POINTS} points; at most ${MAX_CUSTOM_POINTS} fit in a link, where your points are kept`,
      };
    }
    rows.push(values);
    lines.push(n + 1);
  }
  if (rows.length < 4) return { error: `at least 4 points are needed, got ${rows.length}` };
  return { rows, lines: lines.filter((l) => l > 0) };
}

export class CsvDialog {
  /** onLoad(rows, problem) applies the points; it rejects with the core's message if they are refused. */
  constructor(onLoad) {
    this.onLoad = onLoad;
    const id = uid('csv');
    this.text = h('textarea', { id, rows: 10, spellcheck: false, class: 'pg-csv__text', placeholder: EXAMPLE });
    this.regression = h('input', { type: 'checkbox' });
    this.message = h('p', { class: 'error-message', role: 'alert', hidden: true });
    this.file = h('input', { type: 'file', accept: '.csv,.txt,text/csv,text/plain', hidden: true, onchange: () => this.#readFile() });
    this.el = h(
      'dialog',
      { class: 'pg-csv', 'aria-labelledby': `${id}-title` },
      h(
        'form',
        { method: 'dialog', onsubmit: (e) => this.#submit(e) },
        h('h2', { id: `${id}-title` }, 'Your own points'),
        h(
          'p',
          { class: 'small' },
          'One point a line: ',
          h('code', {}, 'x1, x2, label'),
          ' with a class label 0 to 5 (classification; more than two classes train with softmax), or ',
          h('code', {}, 'x, y'),
          ' (1-D regression). Coordinates around −6..6 fit the plot. A header line and # comments are fine.',
        ),
        h('label', { for: id, class: 'pg-field__label' }, 'Points (CSV)'),
        this.text,
        h('label', { class: 'check' }, this.regression, 'Three columns are x1, x2 and a value (2-D regression)'),
        this.message,
        h(
          'div',
          { class: 'cluster pg-csv__buttons' },
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                this.text.value = EXAMPLE;
                this.text.focus();
              },
            },
            'Insert an example',
          ),
          h('button', { type: 'button', onclick: () => this.file.click() }, 'Open a CSV file…'),
          this.file,
          h('button', { type: 'button', onclick: () => this.el.close() }, 'Cancel'),
          h('button', { type: 'submit', class: 'primary' }, 'Use these points'),
        ),
      ),
    );
  }

  open(currentPoints) {
    this.message.hidden = true;
    if (currentPoints?.length && !this.text.value) this.text.value = currentPoints.map((p) => p.join(', ')).join('\n');
    this.el.showModal();
    this.text.focus();
  }

  async #submit(e) {
    e.preventDefault();
    const parsed = parseCsv(this.text.value);
    if (parsed.error) return this.#fail(parsed.error);
    try {
      await this.onLoad(parsed.rows, this.regression.checked ? 'regression' : 'classification');
    } catch (error) {
      // The core names the point by index (data.points[7].label ...): say which line that is.
      const text = String(error.message ?? error);
      const index = text.match(/data\.points\[(\d+)\]/)?.[1];
      const message = index === undefined ? text : `line ${parsed.lines[Number(index)] ?? '?'}: ${text}`;
      return this.#fail(message);
    }
    this.el.close();
    return undefined;
  }

  /** A chosen file goes into the text box (so it can be corrected there) and is loaded like a paste. */
  async #readFile() {
    const file = this.file.files?.[0];
    this.file.value = '';
    if (!file) return;
    if (file.size > MAX_CSV_CHARS) {
      this.#fail(
        `${file.name} is ${file.size.toLocaleString('en')} bytes, at most ${MAX_CSV_CHARS.toLocaleString('en')} (${MAX_CUSTOM_POINTS} points) can be loaded`,
      );
      return;
    }
    try {
      this.text.value = await file.text();
    } catch (error) {
      this.#fail(`${file.name} could not be read: ${error?.message ?? error}`);
      return;
    }
    await this.#submit(new Event('submit'));
  }

  #fail(message) {
    this.message.textContent = `These points were not loaded: ${message}. Your current data is unchanged.`;
    this.message.hidden = false;
  }
}
