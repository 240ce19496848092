// '#/lessons/own': a teacher writes a lesson file or opens one, sees it rendered beside the text as they
// type, and copies a link that carries it. The text is the teacher's work: a file or link that fails the
// check never replaces it, a text with errors keeps the last valid preview, marked as such, and what they
// typed or opened is kept in this browser (localStorage) so a reload or a closed tab does not lose it.
import { h, uid } from '../shell/dom.js';
import { MAX_LESSON_BYTES } from './format.js';
import { encodeLessonLink, utf8 } from './link.js';
import { hashFor } from '../router.js';
import EXAMPLE from '../../lessons/example.json' with { type: 'json' };

const PREVIEW_DELAY_MS = 250; // re-render after a pause in typing, not on every key
const DRAFT_KEY = 'activation-playground:lesson-draft';
const EXAMPLE_TEXT = `${JSON.stringify(EXAMPLE, null, 2)}\n`;

/** The teacher's saved draft, or null (none, or storage unavailable: private windows may refuse it). */
function readDraft() {
  try {
    return localStorage.getItem(DRAFT_KEY);
  } catch {
    return null;
  }
}

export class OwnLessonEditor {
  /** check(text) -> lesson or throws (error.errors: the list); render(lesson) -> the preview's nodes. */
  constructor({ check, render }) {
    this.check = check;
    this.render = render;
    this.lesson = null;
    this.timer = 0;
    const textId = uid('lesson-own-text');
    this.text = h('textarea', {
      id: textId,
      class: 'lesson-own__text',
      spellcheck: 'false',
      rows: '24',
      oninput: () => {
        this.#saveDraft();
        this.#schedule();
      },
    });
    const draft = readDraft();
    this.text.value = draft ?? EXAMPLE_TEXT;
    this.file = h('input', {
      type: 'file',
      accept: '.json,application/json',
      hidden: true,
      onchange: () => this.#openFile(),
    });
    this.linkOut = h('input', {
      type: 'text',
      readonly: true,
      class: 'lesson-own__link',
      'aria-label': 'Link to this lesson',
      hidden: true,
    });
    this.status = h('p', { class: 'lesson-own__status small', role: 'status' });
    this.errors = h('div', { class: 'lesson-own__errors error-message', role: 'alert', hidden: true });
    this.stale = h('p', { class: 'small muted', hidden: true }, 'The preview shows the last valid version; fix the errors to update it.');
    this.preview = h('div', { class: 'lesson-own__preview' });
    this.el = h(
      'div',
      { class: 'lesson-own' },
      h('h1', { id: 'lesson-title', tabindex: '-1' }, 'Write or load a lesson'),
      h(
        'p',
        { class: 'small' },
        'A lesson is a JSON file: title, paragraphs with $TeX$, `code`, **bold** and [links](https://…), experiments (playground settings), what to watch, a question and its answer. Edit the example, or open a file; the preview follows as you type.',
      ),
      h(
        'div',
        { class: 'lesson-own__layout' },
        h(
          'div',
          { class: 'lesson-own__editor stack' },
          h('label', { for: textId }, 'Lesson file (JSON)'),
          this.text,
          h(
            'div',
            { class: 'cluster' },
            h('button', { type: 'button', onclick: () => this.file.click() }, 'Open a file…'),
            h('button', { type: 'button', onclick: () => this.#copyLink() }, 'Copy link'),
            (this.backToDraft = h('button', { type: 'button', hidden: true, onclick: () => this.#restoreDraft() }, 'Back to my draft')),
            h('button', { type: 'button', onclick: () => this.#startOver() }, 'Start from the example'),
            this.file,
          ),
          this.linkOut,
          this.status,
          this.errors,
        ),
        h(
          'section',
          { class: 'lesson-own__side', 'aria-label': 'Preview' },
          h('h2', { class: 'small muted' }, 'Preview'),
          this.stale,
          this.preview,
        ),
      ),
    );
    this.#update();
    if (draft !== null && draft !== EXAMPLE_TEXT) this.status.textContent = 'Your draft from your last visit, kept in this browser.';
  }

  /**
   * Shows a lesson already checked (from a link) as the text and the preview. The teacher's own draft is
   * not overwritten until they edit the linked lesson; "Back to my draft" brings it back.
   */
  setLesson(text) {
    this.text.value = text;
    const draft = readDraft();
    this.backToDraft.hidden = draft === null || draft === text;
    this.status.textContent = '';
    this.#update();
  }

  #saveDraft() {
    this.backToDraft.hidden = true;
    try {
      localStorage.setItem(DRAFT_KEY, this.text.value);
    } catch (error) {
      this.status.textContent = `This browser does not keep the draft (${error.name}): save it with Copy link or as a file.`;
    }
  }

  #restoreDraft() {
    const draft = readDraft();
    if (draft === null) return;
    this.text.value = draft;
    this.backToDraft.hidden = true;
    this.#update();
    this.status.textContent = 'Back to your draft.';
  }

  /** The example again; the draft it replaces goes only once the teacher edits this one or opens a file. */
  #startOver() {
    const draft = readDraft();
    this.text.value = EXAMPLE_TEXT;
    this.backToDraft.hidden = draft === null || draft === EXAMPLE_TEXT;
    this.#update();
    this.status.textContent = 'The example lesson.';
  }

  #schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.#update(), PREVIEW_DELAY_MS);
  }

  #update() {
    clearTimeout(this.timer);
    try {
      this.lesson = this.check(this.text.value);
    } catch (error) {
      this.#showErrors('This lesson has errors:', error);
      this.stale.hidden = this.preview.childElementCount === 0;
      return;
    }
    this.errors.hidden = true;
    this.stale.hidden = true;
    this.preview.replaceChildren(...this.render(this.lesson));
  }

  #showErrors(lead, error, tail = '') {
    const list = error.errors ?? [error.message];
    this.errors.replaceChildren(
      h('p', {}, lead),
      h(
        'ul',
        {},
        list.map((e) => h('li', {}, e)),
      ),
      tail ? h('p', {}, tail) : null,
    );
    this.errors.hidden = false;
  }

  async #openFile() {
    const file = this.file.files[0];
    this.file.value = '';
    if (!file) return;
    const lead = `The file "${file.name.slice(0, 60)}" was not loaded:`;
    const kept = 'Your lesson is unchanged.';
    try {
      if (file.size > MAX_LESSON_BYTES) throw new Error(`the file is ${file.size} bytes; a lesson is at most ${MAX_LESSON_BYTES} bytes`);
      const text = utf8(new Uint8Array(await file.arrayBuffer()), 'the file');
      this.check(text);
      this.text.value = text;
      this.#saveDraft();
    } catch (error) {
      this.#showErrors(lead, error, kept);
      return;
    }
    this.#update();
    this.status.textContent = `Opened "${file.name.slice(0, 60)}".`;
  }

  async #copyLink() {
    this.#update();
    this.linkOut.hidden = true;
    if (!this.lesson || !this.errors.hidden) {
      this.status.textContent = 'Fix the errors first: a link carries a valid lesson only.';
      return;
    }
    let param;
    try {
      param = encodeLessonLink(JSON.stringify(this.lesson));
    } catch (error) {
      this.status.textContent = `No link: ${error.message}.`;
      return;
    }
    const url = new URL(hashFor('lessons/own', { lesson: param }), location.href).href;
    this.linkOut.value = url;
    this.linkOut.hidden = false;
    try {
      await navigator.clipboard.writeText(url);
      this.status.textContent = 'Link copied. Whoever opens it sees this lesson.';
    } catch {
      this.linkOut.select();
      this.status.textContent = 'The link is in the box above; copy it from there.';
    }
  }
}
