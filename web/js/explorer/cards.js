// One card per chosen activation: formula and derivative (KaTeX), a paragraph, and the code (the core's
// C++, and for ReLU the article's two Python forms).
import 'katex/dist/katex.min.css';
import codeTable from '../../generated/activation-code.json';
import { ACTIVATION_TEXT, RELU_PYTHON, RELU_PYTHON_NOTE, labelOf } from './content.js';

// KaTeX is loaded after the chart is up: the plot is what people look at first.
const katexReady = import('katex').then((m) => m.default);

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of [].concat(children)) if (child) node.append(child);
  return node;
}

function codeBlock(title, code, language) {
  return el('figure', { class: 'code-figure' }, [
    el('figcaption', { text: title }),
    el('pre', { tabindex: '0', 'aria-label': title }, el('code', { class: `language-${language}`, text: code })),
  ]);
}

function formula(tex, label) {
  const box = el('div', { class: 'formula', role: 'math', 'aria-label': label });
  box.textContent = tex; // shown as TeX until KaTeX arrives (and if it failed to load)
  katexReady.then(
    (katex) => {
      katex.render(tex, box, { displayMode: true, throwOnError: false, output: 'htmlAndMathml' });
    },
    () => {},
  );
  return box;
}

function card(name, color) {
  const text = ACTIVATION_TEXT[name] ?? { label: name, f: '', df: '', text: '' };
  const code = codeTable[name];
  const body = [
    el('h3', {}, [el('span', { class: 'swatch', style: `--swatch: ${color}`, 'aria-hidden': 'true' }), labelOf(name)]),
    el('div', { class: 'formulas' }, [formula(text.f, `${text.label}: formula`), formula(text.df, `${text.label}: derivative`)]),
    el('p', { text: text.text }),
  ];
  const codeParts = [];
  if (code) codeParts.push(codeBlock(`C++ from the core (core/activation.cpp, struct ${code.struct})`, code.code, 'cpp'));
  if (name === 'relu') {
    for (const form of RELU_PYTHON) codeParts.push(codeBlock(form.title, form.code, 'python'));
    codeParts.push(el('p', { class: 'note small', text: RELU_PYTHON_NOTE }));
  }
  if (codeParts.length) {
    body.push(
      el('details', { class: 'code', ...(name === 'relu' ? { open: '' } : {}) }, [
        el('summary', { text: `Code for ${text.label}` }),
        ...codeParts,
      ]),
    );
  }
  return el('article', { class: 'act-card panel', id: `about-${name}`, 'data-activation': name }, body);
}

// The user's own activation: the text as typed (the core parsed it), and how its derivative is found.
function formulaCard(formula, color) {
  return el('article', { class: 'act-card panel', id: 'about-formula', 'data-activation': 'formula' }, [
    el('h3', {}, [el('span', { class: 'swatch', style: `--swatch: ${color}`, 'aria-hidden': 'true' }), labelOf('formula')]),
    el('p', {}, ['f(x) = ', el('code', { text: formula.text }), `   with a = ${formula.a}, b = ${formula.b}`]),
    el('p', {
      text: 'The core parses your formula into a small bytecode and evaluates it on dual numbers (value, derivative): forward-mode automatic differentiation, so the dashed f′ is exact to rounding, not a finite difference. Where the formula has no derivative (max, min, abs, if), f′ is that of the branch taken. The same formula can be a hidden layer’s activation in the playground and the race (“Your own formula…” in the layer’s menu).',
    }),
  ]);
}

/**
 * Keeps one card per chosen function, in the chosen order; colors[i] matches the chart's i-th colour.
 * formula: { text, a, b } for the user's own activation (its card is rebuilt, as the text changes).
 */
export function renderCards(host, names, colors, formula) {
  const existing = new Map([...host.children].map((node) => [node.dataset.activation, node]));
  const wanted = names.map((name, i) => {
    const node = name === 'formula' ? formulaCard(formula, colors[i]) : (existing.get(name) ?? card(name, colors[i]));
    node.querySelector('.swatch')?.style.setProperty('--swatch', colors[i]);
    return node;
  });
  host.replaceChildren(...wanted);
}
