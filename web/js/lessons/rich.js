// The lessons' small markup, turned into DOM: $inline TeX$, $$display TeX$$ (typeset by KaTeX), `code`,
// **bold** and [text](#/route) or [text](https://...) links. Everything else is plain text, never HTML, so
// lesson text cannot inject markup; a link of any other scheme (javascript:, data:, ...) stays as text, and
// format.js refuses it in a lesson file before it gets here.
import 'katex/dist/katex.min.css';
import { h } from '../shell/dom.js';

// KaTeX arrives after the text: the words are readable at once, the TeX source stands in until then
// (and stays, should KaTeX fail to load).
const katexReady = import('katex').then((m) => m.default);

const TOKEN = /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$|`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\((#\/[^)\s]*|https?:\/\/[^)\s]+)\)/g;

function math(tex, display) {
  // A displayed formula scrolls sideways on a phone: focusable and named, so a keyboard can scroll it too.
  const box = h(
    'span',
    display
      ? { class: 'lesson-math lesson-math--display', tabindex: '0', role: 'group', 'aria-label': 'Formula' }
      : { class: 'lesson-math' },
    tex,
  );
  katexReady.then(
    (katex) => {
      katex.render(tex, box, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
    },
    () => {},
  );
  return box;
}

// Another site opens in a new tab, told nothing of this page (no opener, no referrer).
function link(href, text) {
  if (href.startsWith('#/')) return h('a', { href }, text);
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text);
}

/** The nodes for one run of marked-up text. */
export function rich(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) nodes.push(text.slice(last, m.index));
    const [, display, inline, code, bold, linkText, href] = m;
    if (display !== undefined) nodes.push(math(display.trim(), true));
    else if (inline !== undefined) nodes.push(math(inline, false));
    else if (code !== undefined) nodes.push(h('code', {}, code));
    else if (bold !== undefined) nodes.push(h('strong', {}, bold));
    else nodes.push(link(href, linkText));
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** A paragraph, or a titled code block for { code, title }. */
export function block(item) {
  if (typeof item === 'string') return h('p', {}, rich(item));
  return h(
    'figure',
    { class: 'lesson-code' },
    h('figcaption', { class: 'small' }, item.title),
    h('pre', { tabindex: '0', 'aria-label': item.title }, h('code', {}, item.code)),
  );
}
