// The lesson's companion on the playground: once a lesson has loaded an experiment there, a bar at the foot
// of the window keeps the lesson in reach (what to watch, the lesson's other experiments, the way back) and
// outlines the part of the playground that shows the point. It knows the playground only by the class
// names of its panels (content.js lists them per lesson) and reads nothing else from it.
import { h, uid } from '../shell/dom.js';
import { prefersReducedMotion } from '../palette.js';
import { parseHash } from '../router.js';

const WATCH_CLASS = 'lesson-watch';
const FIND_TIMEOUT_MS = 10000;
const RECHECK_MS = 500; // some targets appear only later (the divergence banner)
const PHONE_QUERY = '(max-width: 760px)'; // lessons.css's narrow layout

export class Companion {
  constructor(router) {
    this.router = router;
    this.lesson = null;
    this.marked = [];
    this.timer = 0;
    this.el = h('aside', {
      class: 'lesson-companion',
      hidden: true,
      'aria-labelledby': uid('lesson-companion'),
      'data-control': 'companion',
    });
    this.titleId = this.el.getAttribute('aria-labelledby');
    document.body.append(this.el);
    this.resize = new ResizeObserver(() => {
      document.body.style.setProperty('--lesson-companion-height', `${this.el.hidden ? 0 : this.el.offsetHeight}px`);
    });
    this.resize.observe(this.el);
    window.addEventListener('hashchange', () => {
      if (this.lesson && parseHash(window.location.hash).route !== 'playground') this.close();
    });
  }

  /**
   * Shows the bar for lesson n (1-based, or 'own') with preset `preset` just sent to the playground, and outlines
   * what to watch once the playground has drawn it. loadPreset(preset) navigates to another experiment.
   */
  open(n, lesson, preset, loadPreset) {
    const name = n === 'own' ? 'Your lesson' : `Lesson ${n}`; // 'own': a teacher's lesson (#/lessons/own)
    this.lesson = lesson;
    this.n = n;
    const presetSelect =
      lesson.presets.length > 1
        ? h(
            'select',
            { id: uid('lesson-preset'), 'aria-label': `Experiments of ${name.toLowerCase()}` },
            lesson.presets.map((p) => h('option', { value: p.id, selected: p.id === preset.id }, p.label)),
          )
        : null;
    // On a phone the bar clamps "What to watch" to two lines; "More" shows the rest (and "Less" clamps again).
    const watchId = uid('lesson-watch-text');
    const watch = h('p', { class: 'lesson-companion__watch small', id: watchId }, h('strong', {}, 'What to watch: '), lesson.watch.text);
    const more = h(
      'button',
      {
        type: 'button',
        class: 'lesson-companion__more',
        'aria-expanded': 'false',
        'aria-controls': watchId,
        onclick: () => {
          const open = more.getAttribute('aria-expanded') !== 'true';
          more.setAttribute('aria-expanded', String(open));
          watch.classList.toggle('is-open', open);
          more.textContent = open ? 'Less' : 'More';
        },
      },
      'More',
    );
    const load = () => loadPreset(lesson.presets.find((p) => p.id === (presetSelect ? presetSelect.value : preset.id)));
    this.el.replaceChildren(
      h(
        'div',
        { class: 'lesson-companion__inner' },
        h(
          'div',
          { class: 'lesson-companion__head' },
          h(
            'p',
            { class: 'lesson-companion__title', id: this.titleId },
            h('strong', {}, name),
            ` · ${lesson.title}: `,
            h('span', { class: 'lesson-companion__preset' }, preset.label),
          ),
          h(
            'a',
            { class: 'button lesson-companion__back', href: `#/lessons/${n}`, 'aria-label': `Back to ${name.toLowerCase()}` },
            `← ${name}`,
          ),
          h(
            'button',
            { type: 'button', class: 'lesson-companion__close', 'aria-label': 'Close the lesson bar', onclick: () => this.close() },
            '×',
          ),
        ),
        watch,
        h(
          'div',
          { class: 'lesson-companion__actions cluster' },
          more,
          h('button', { type: 'button', class: 'primary', onclick: () => this.highlight(true) }, 'Show me'),
          presetSelect,
          h(
            'button',
            {
              type: 'button',
              class: 'lesson-companion__load',
              onclick: load,
              'aria-label': presetSelect ? 'Load the chosen experiment' : 'Start the experiment again',
            },
            presetSelect ? 'Load' : 'Start again',
          ),
        ),
      ),
    );
    this.el.hidden = false;
    document.body.classList.add('has-lesson-companion');
    this.#unmark();
    this.#whenReady(() => this.highlight(true));
  }

  close() {
    this.lesson = null;
    clearInterval(this.timer);
    this.timer = 0;
    this.#unmark();
    this.el.hidden = true;
    this.el.replaceChildren();
    document.body.classList.remove('has-lesson-companion');
    document.body.style.setProperty('--lesson-companion-height', '0px');
  }

  /**
   * Outlines every target the playground shows now. Asked (scroll: on opening, by "Show me"), it also opens
   * the tab a target sits behind and scrolls the first into view; the rechecks only outline, so a learner
   * who picks the other tab keeps it.
   */
  highlight(scroll = false) {
    if (!this.lesson) return;
    const found = this.#targets(scroll);
    for (const el of this.marked) if (!found.includes(el)) el.classList.remove(WATCH_CLASS);
    for (const el of found) el.classList.add(WATCH_CLASS);
    this.marked = found;
    if (scroll && found.length) {
      // On a phone the panels stack: scrolling to the target (often the network) would leave Train and the
      // output map off screen. Start at the toolbar instead, so Train is in reach and the map follows.
      const phone = window.matchMedia(PHONE_QUERY).matches;
      const toolbar = document.querySelector('#playground .pg-toolbar');
      const anchor = phone && toolbar ? toolbar : found[0];
      anchor.scrollIntoView({ block: phone ? 'start' : 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    }
    clearInterval(this.timer);
    this.timer = setInterval(() => this.highlight(false), RECHECK_MS);
  }

  #targets(openTabs) {
    const section = document.getElementById('playground');
    if (!section || section.hidden) return [];
    const visible = (el) => !el.closest('[hidden]') && el.getClientRects().length > 0;
    return this.lesson.watch.targets.flatMap((t) => {
      const spec = typeof t === 'string' ? { sel: t } : t;
      let all = [...section.querySelectorAll(spec.sel)].filter(visible);
      if (!all.length && openTabs) {
        // A target behind a tab (the playground's diagnostics): open its tab, so what to watch is in view.
        const tabbed = section.querySelector(`[role="tabpanel"][hidden] :is(${spec.sel})`);
        const tab = tabbed && document.getElementById(tabbed.closest('[role="tabpanel"]').getAttribute('aria-labelledby'));
        if (tab) {
          tab.click();
          all = [...section.querySelectorAll(spec.sel)].filter(visible);
        }
      }
      const match = spec.text ? all.filter((el) => el.textContent.includes(spec.text)) : all;
      return match.slice(0, 1);
    });
  }

  #unmark() {
    for (const el of this.marked) el.classList.remove(WATCH_CLASS);
    this.marked = [];
  }

  // The playground builds its panels when its route first shows (its code may still be loading): wait
  // for the first target, then act once.
  #whenReady(fn) {
    const start = performance.now();
    const lesson = this.lesson;
    const tick = () => {
      if (this.lesson !== lesson) return;
      if (this.#targets(true).length) fn();
      else if (performance.now() - start < FIND_TIMEOUT_MS) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
}
