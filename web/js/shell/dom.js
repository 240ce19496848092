// A small element builder, so each view states its markup in one expression.

/**
 * h('button', { class: 'x', onclick: fn, 'aria-label': 'Play' }, 'text', child)
 * Attributes starting with "on" become listeners; true/false toggle boolean attributes; null is skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key in el && typeof value !== 'string' && key !== 'list') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Sets el's text to `parts` joined by ' · ', each part in a span that does not wrap, so a narrow status line
 * breaks between "Test loss 0.691" and "Train loss 0.7", never inside one. The spans are reused from frame
 * to frame.
 */
export function setPhrases(el, parts) {
  const spans = el.querySelectorAll(':scope > .phrase');
  if (spans.length !== parts.length) {
    el.replaceChildren(
      ...parts.flatMap((text, i) => {
        const phrase = h('span', { class: 'phrase' }, text);
        return i ? [' · ', phrase] : [phrase];
      }),
    );
    return;
  }
  parts.forEach((text, i) => {
    if (spans[i].textContent !== text) spans[i].textContent = text;
  });
}

let idCounter = 0;
/** A unique id for label/for and aria links. */
export function uid(prefix = 'pg') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled <select>: options as [value, text] pairs. */
export function select(labelText, options, onchange, attrs = {}) {
  const id = uid('sel');
  const el = h(
    'select',
    { id, onchange: () => onchange(el.value), ...attrs },
    options.map(([value, text]) => h('option', { value }, text)),
  );
  const label = h('label', { for: id, class: 'pg-field__label' }, labelText);
  return { el, label, field: h('div', { class: 'pg-field' }, label, el) };
}

/** Sets a <select>'s options (keeping its focus) and its value; adds the value as an option if missing. */
export function setOptions(el, options, value) {
  const key = JSON.stringify(options);
  if (el.dataset.options !== key) {
    el.replaceChildren(...options.map(([v, text]) => h('option', { value: v }, text)));
    el.dataset.options = key;
  }
  const text = String(value);
  if (![...el.options].some((o) => o.value === text)) el.append(h('option', { value: text }, text));
  if (el.value !== text) el.value = text;
}

/** A canvas sized for the device's pixel ratio: CSS size w x h, backing store scaled; returns its context. */
export function sizeCanvas(canvas, w, h2) {
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  const bw = Math.max(1, Math.round(w * ratio));
  const bh = Math.max(1, Math.round(h2 * ratio));
  if (canvas.width !== bw || canvas.height !== bh) {
    canvas.width = bw;
    canvas.height = bh;
  }
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h2}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
