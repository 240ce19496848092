// "Embed or customise": a teacher ticks which controls a class sees (the page follows at once, and the link
// in the address bar carries the choice), copies that link, or copies an <iframe> snippet of the view at a
// chosen size and previews it.
import { h, uid } from './dom.js';
import { HIDEABLE } from './page-options.js';
import { copyText } from '../share.js';
import { hashFor } from '../router.js';

export const MIN_EMBED = { width: 320, height: 240 };
const DEFAULT_EMBED = { width: 960, height: 640 };

export class EmbedDialog {
  /** router: the page's (its options and current route); messages: where copy fallbacks are shown. */
  constructor(router, messages) {
    this.router = router;
    this.messages = messages;
    const id = uid('embed');
    this.shows = h('fieldset', { class: 'embed-dialog__shows' });
    this.width = this.#size('Width', DEFAULT_EMBED.width, MIN_EMBED.width);
    this.height = this.#size('Height', DEFAULT_EMBED.height, MIN_EMBED.height);
    this.code = h('textarea', { id: `${id}-code`, class: 'embed-dialog__code', rows: 4, readonly: true, spellcheck: false });
    this.preview = h('div', { class: 'embed-dialog__preview' });
    this.status = h('p', { class: 'small', role: 'status' });
    this.el = h(
      'dialog',
      { class: 'embed-dialog', 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, 'Embed or customise this view'),
      h(
        'p',
        { class: 'small' },
        'Untick what your class should not see: the page changes at once, and the link keeps your choice (hidden settings still travel in it).',
      ),
      this.shows,
      h(
        'div',
        { class: 'cluster' },
        h('button', { type: 'button', onclick: () => this.#copy(window.location.href, 'Link copied.') }, 'Copy link'),
      ),
      h('h3', {}, 'Embed in your page'),
      h('div', { class: 'cluster' }, this.width.field, this.height.field),
      h('label', { for: `${id}-code`, class: 'pg-field__label' }, 'HTML to paste'),
      this.code,
      h(
        'div',
        { class: 'cluster' },
        h('button', { type: 'button', onclick: () => this.#copy(this.code.value, 'Embed code copied.') }, 'Copy embed code'),
        h('button', { type: 'button', onclick: () => this.#showPreview() }, 'Preview'),
        h('button', { type: 'button', class: 'primary', onclick: () => this.el.close() }, 'Done'),
      ),
      this.status,
      this.preview,
    );
    this.el.addEventListener('close', () => this.preview.replaceChildren());
  }

  open() {
    const route = this.router.current.route;
    const hidden = new Set(this.router.options.hide.split(',').filter(Boolean));
    this.shows.replaceChildren(
      h('legend', {}, 'Show'),
      ...(HIDEABLE[route] ?? []).map(([name, label]) => {
        const box = h('input', { type: 'checkbox', value: name, checked: !hidden.has(name), onchange: () => this.#hideChanged() });
        return h('label', { class: 'check' }, box, label);
      }),
    );
    this.status.textContent = '';
    this.#writeCode();
    if (!this.el.isConnected) document.body.append(this.el);
    this.el.showModal();
  }

  #size(label, value, min) {
    const id = uid('size');
    const input = h('input', { id, type: 'number', min, max: 4000, step: 10, value, onchange: () => this.#writeCode() });
    return { input, field: h('div', { class: 'pg-field' }, h('label', { for: id, class: 'pg-field__label' }, `${label} (px)`), input) };
  }

  #hideChanged() {
    const names = [...this.shows.querySelectorAll('input:not(:checked)')].map((b) => b.value);
    this.router.setHidden(names);
    this.#writeCode();
  }

  /** The frame's size as typed, held to the smallest the views are laid out for. */
  #sizeOf() {
    const read = (input, min, fallback) => Math.max(min, Math.min(4000, Math.round(Number(input.value)) || fallback));
    const width = read(this.width.input, MIN_EMBED.width, DEFAULT_EMBED.width);
    const height = read(this.height.input, MIN_EMBED.height, DEFAULT_EMBED.height);
    this.width.input.value = String(width);
    this.height.input.value = String(height);
    return { width, height };
  }

  #embedUrl() {
    const { route, path, query } = this.router.current;
    const url = new URL(window.location.href);
    url.hash = hashFor(path ? `${route}/${path}` : route, query, { embed: true, hide: this.router.options.hide });
    return url.href;
  }

  #writeCode() {
    const { width, height } = this.#sizeOf();
    const src = this.#embedUrl().replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const title = `Activation Playground: ${this.router.current.route}`;
    this.code.value = `<iframe src="${src}" width="${width}" height="${height}" title="${title}" style="border:0" loading="lazy"></iframe>`;
    if (this.preview.firstChild) this.#showPreview();
  }

  #showPreview() {
    const { width, height } = this.#sizeOf();
    const frame = h('iframe', {
      src: this.#embedUrl(),
      width,
      height,
      title: 'Preview of the embedded view',
      class: 'embed-dialog__frame',
    });
    this.preview.replaceChildren(frame);
  }

  async #copy(text, done) {
    const how = await copyText(text, this.messages);
    if (how === 'copied') this.status.textContent = done;
  }
}
