// The lessons view, '#/lessons/N': one lesson at a time (text, the article's slip, a figure from the core,
// experiments that load into the playground, what to watch, a question), with the list of all lessons
// beside it. '#/lessons/own' is a teacher's own lesson (own.js), rendered by the same code; a link
// '#/lessons/own?lesson=...' carries one (link.js), checked like a file before anything of it shows. Loading an experiment navigates to the playground with the preset's link and opens the
// companion bar there (companion.js).
import '../../css/lessons.css';
import { h } from '../shell/dom.js';
import { ROUTES, hashFor } from '../router.js';
import { RACE_DEFAULT_SPEED, raceToQuery } from '../race/link.js';
import { errorMessage } from '../engine/local.js';
import { LESSONS } from './content.js';
import { ARTICLE, CLAIMS } from './article.js';
import { block, rich } from './rich.js';
import { figureFor } from './figures.js';
import { Companion } from './companion.js';
import { EmbedDialog } from '../shell/embed-dialog.js';
import { presetQuery, presetState } from './presets.js';
import { coreCatalog } from '../catalog.js';
import { parseLesson, checkLesson } from './format.js';
import { settingsChecker } from './settings.js';
import { decodeLessonLink } from './link.js';
import { OwnLessonEditor } from './own.js';

/** A path as the reader typed it: '%3Cb%3E' reads '<b>' (shown as text); a malformed escape stays as it is. */
function readable(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const ARTICLE_PATH = 'article';
const OWN_PATH = 'own';

export function mount(section, { engine, router, pool }) {
  const view = new LessonsView(section, engine, router, pool);
  return { show: (query, path) => view.show(path, query), hide: () => {} };
}

class LessonsView {
  constructor(section, engine, router, pool) {
    this.section = section;
    this.pool = pool; // the training engine: the figures that train run there
    this.engine = engine;
    this.router = router;
    this.catalog = coreCatalog(engine);
    this.companion = new Companion(router);
    this.current = 0;
    this.checkSettings = settingsChecker(this.catalog);
    // The built-in lessons' settings pass the same check as a teacher's (format.js checked the rest).
    for (const lesson of LESSONS) checkLesson(lesson, { checkSettings: this.checkSettings });
    // Each preset's link, built (and so checked against the state table) once, up front.
    this.queries = LESSONS.map(
      (lesson) => new Map(lesson.presets.map((p) => [p.id, presetQuery(presetState(this.catalog, p), this.catalog)])),
    );
    this.links = LESSONS.map((lesson, i) =>
      h('a', { href: `#/lessons/${i + 1}` }, h('span', { class: 'lessons__num' }, `${i + 1}`), lesson.title),
    );
    this.message = h('p', { class: 'note', role: 'status', hidden: true });
    this.article = h('article', { class: 'lesson panel', 'aria-labelledby': 'lesson-title' });
    this.articleLink = h('a', { href: '#/lessons/article', class: 'lessons__article-link' }, 'The article these lessons answer');
    const toc = h(
      'nav',
      { class: 'lessons__toc', 'aria-label': 'All lessons' },
      h('h2', { class: 'lessons__toc-title' }, 'Lessons'),
      h('p', { class: 'small' }, this.articleLink),
      h('p', { class: 'small' }, (this.ownLink = h('a', { href: '#/lessons/own' }, 'Write or load your own lesson'))),
      h(
        'ol',
        {},
        this.links.map((a) => h('li', {}, a)),
      ),
    );
    section.replaceChildren(
      h(
        'div',
        { class: 'lessons' },
        h(
          'p',
          { class: 'lessons__intro' },
          'Ten short lessons, one claim each about ReLU and its relatives: read, load the experiment into the playground with one click, and see the claim happen. They answer one blog post, ',
          h('a', { href: '#/lessons/article' }, `“${ARTICLE.title}”`),
          ', claim by claim.',
        ),
        this.message,
        h('div', { class: 'lessons__layout' }, toc, this.article),
      ),
    );
  }

  /** A lesson file's text, checked; throws LessonError listing every problem. */
  #check(text) {
    return parseLesson(text, { checkSettings: this.checkSettings });
  }

  /**
   * '#/lessons/own', with a lesson in the link or without (the editor as it was left). Returns false when
   * the link's lesson is refused: the message says why and the lesson on screen stays, with its URL.
   */
  #showOwn(query) {
    const param = query.get('lesson');
    let text = null;
    if (param !== null) {
      try {
        text = decodeLessonLink(param);
        this.#check(text);
      } catch (error) {
        const list = error.errors ?? [error.message];
        this.message.textContent = `This lesson link was not opened: ${list.join('; ')}. Showing ${
          this.current === ARTICLE_PATH ? 'the article' : this.current === OWN_PATH ? 'your lesson' : `lesson ${this.current || 1}`
        }.`;
        this.message.hidden = false;
        if (this.current === OWN_PATH) {
          this.router.replace(`lessons/${OWN_PATH}`, new URLSearchParams());
          return true;
        }
        return false;
      }
    }
    this.router.replace(`lessons/${OWN_PATH}`, param === null ? new URLSearchParams() : query);
    this.editor ??= new OwnLessonEditor({ check: (t) => this.#check(t), render: (lesson) => this.#lessonParts(lesson, OWN_PATH) });
    if (text !== null) this.editor.setLesson(text);
    const first = this.current === 0;
    if (this.current !== OWN_PATH) {
      this.current = OWN_PATH;
      this.links.forEach((a) => a.removeAttribute('aria-current'));
      this.articleLink.removeAttribute('aria-current');
      this.ownLink.setAttribute('aria-current', 'page');
      this.article.dataset.lesson = OWN_PATH;
      this.article.replaceChildren(this.editor.el);
    }
    if (!first) this.article.querySelector('h1').focus({ preventScroll: true });
    return true;
  }

  /** The embed-or-customise dialog for this lesson, made when first asked for. */
  #openEmbed() {
    this.embedDialog ??= new EmbedDialog(this.router, this.article);
    this.embedDialog.open();
  }

  show(path, query = new URLSearchParams()) {
    let n = Number(path);
    this.message.hidden = true;
    if (path === OWN_PATH) {
      if (this.#showOwn(query)) return;
      path = '';
    }
    if (path === ARTICLE_PATH) {
      this.router.replace(`lessons/${ARTICLE_PATH}`, new URLSearchParams());
      if (this.current === ARTICLE_PATH) return;
      const first = this.current === 0;
      this.current = ARTICLE_PATH;
      this.#renderArticle();
      if (!first) {
        this.article.querySelector('h1').focus({ preventScroll: true });
        this.section.scrollIntoView({ block: 'start' });
      }
      return;
    }
    if (this.current === ARTICLE_PATH || this.current === OWN_PATH) this.current = 0;
    if (path === '') {
      n = this.current || 1;
    } else if (!Number.isInteger(n) || n < 1 || n > LESSONS.length) {
      this.message.textContent = `There is no lesson "${readable(path)}"; the lessons are numbered 1 to ${LESSONS.length}. Showing lesson ${this.current || 1}.`;
      this.message.hidden = false;
      n = this.current || 1;
    }
    this.router.replace(`lessons/${n}`, new URLSearchParams());
    if (n === this.current) return;
    const first = this.current === 0;
    this.current = n;
    this.#render(n);
    if (!first) {
      // Moving between lessons: start reading at the new lesson's heading, as after a page load.
      this.article.querySelector('h1').focus({ preventScroll: true });
      this.section.scrollIntoView({ block: 'start' });
    }
  }

  // The article's page: which post the lessons answer, its claims in our words and the lesson for each.
  #renderArticle() {
    this.ownLink.removeAttribute('aria-current');
    this.links.forEach((a) => a.removeAttribute('aria-current'));
    this.articleLink.setAttribute('aria-current', 'page');
    this.article.dataset.lesson = ARTICLE_PATH;
    const byLesson = LESSONS.map((lesson, i) => ({ n: i + 1, lesson, claims: CLAIMS.filter((c) => c.lesson === i + 1) }));
    this.article.replaceChildren(
      h('p', { class: 'lesson__kicker small muted' }, 'What the lessons answer'),
      h('h1', { id: 'lesson-title', tabindex: '-1' }, 'The article'),
      h(
        'p',
        {},
        'Every lesson answers one blog post: ',
        h('cite', { class: 'article__title' }, `“${ARTICLE.title}”`),
        `. ${ARTICLE.byline}. ${ARTICLE.summary}`,
      ),
      h('p', { class: 'small muted' }, 'Its claims below are in our own words; the short phrases in quotation marks are the post’s.'),
      h(
        'ol',
        { class: 'article__claims' },
        byLesson.map(({ n, lesson, claims }) =>
          h(
            'li',
            { value: String(n) },
            h('a', { href: `#/lessons/${n}` }, `Lesson ${n}: ${lesson.title}`),
            h(
              'ul',
              {},
              claims.map((c) => h('li', {}, c.text, c.quote ? h('span', { class: 'muted' }, ` (“${c.quote}”)`) : null)),
            ),
          ),
        ),
      ),
    );
  }

  #render(n) {
    this.articleLink.removeAttribute('aria-current');
    this.ownLink.removeAttribute('aria-current');
    this.links.forEach((a, i) => (i === n - 1 ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current')));
    this.article.dataset.lesson = String(n);
    this.article.replaceChildren(...this.#lessonParts(LESSONS[n - 1], n));
  }

  /** A lesson's nodes: n is its number, or 'own' for a teacher's lesson (a preview: no embed, no pager). */
  #lessonParts(lesson, n) {
    const own = n === OWN_PATH;
    let figure;
    try {
      figure = figureFor(lesson, this.engine, this.catalog, this.pool);
    } catch (error) {
      figure = h('p', { class: 'error-message' }, `This figure could not be drawn: ${errorMessage(error)}`);
    }
    const presets = h(
      'ul',
      { class: 'lesson__presets' },
      lesson.presets.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'lesson__load', dataset: { preset: p.id }, onclick: () => this.#load(n, p, lesson) },
            p.label,
          ),
        ),
      ),
    );
    const prev = n > 1 ? h('a', { href: `#/lessons/${n - 1}`, rel: 'prev' }, `← ${n - 1}. ${LESSONS[n - 2].title}`) : h('span');
    const next = n < LESSONS.length ? h('a', { href: `#/lessons/${n + 1}`, rel: 'next' }, `${n + 1}. ${LESSONS[n].title} →`) : h('span');
    return [
      own
        ? null
        : h(
            'div',
            { class: 'lesson__kicker cluster' },
            h('p', { class: 'small muted' }, `Lesson ${n} of ${LESSONS.length}`),
            h('button', { type: 'button', class: 'small', onclick: () => this.#openEmbed() }, 'Embed…'),
          ),
      own ? h('h2', { class: 'lesson__own-title' }, lesson.title) : h('h1', { id: 'lesson-title', tabindex: '-1' }, lesson.title),
      h('div', { class: 'lesson__body' }, lesson.body.map(block)),
      figure,
      lesson.article === undefined
        ? null
        : h(
            'aside',
            { class: 'note lesson__article', 'aria-label': 'Where the article is wrong or loose' },
            h('h2', {}, 'What the article says'),
            h('p', {}, rich(lesson.article)),
            own ? null : h('p', { class: 'small' }, h('a', { href: '#/lessons/article' }, `About the article: “${ARTICLE.title}”`)),
          ),
      h(
        'section',
        { class: 'lesson__try', 'aria-label': 'Try it' },
        h('h2', {}, 'Try it'),
        h(
          'p',
          { class: 'small muted' },
          `Each button loads the experiment into the playground, seed included, so it runs the same every time; press ▶ Train there.${lesson.presets.length > 1 ? ' Try them one after another.' : ''}`,
        ),
        presets,
        this.#raceLink(lesson),
      ),
      h('section', { class: 'lesson__watch', 'aria-label': 'What to watch' }, h('h2', {}, 'What to watch'), h('p', {}, lesson.watch.text)),
      h(
        'section',
        { class: 'lesson__question', 'aria-label': 'Question' },
        h('h2', {}, 'Question'),
        h('p', {}, rich(lesson.question)),
        h('details', {}, h('summary', {}, 'Show the answer'), h('p', {}, rich(lesson.answer))),
      ),
      own ? null : h('nav', { class: 'lesson__pager', 'aria-label': 'Previous and next lesson' }, prev, next),
    ].filter(Boolean);
  }

  // Race mode, where the build has it, runs the lesson's contenders side by side; the presets stay for
  // running them one after another in the playground.
  #raceLink(lesson) {
    if (!lesson.race || !ROUTES.includes('race')) return null;
    const base = presetState(this.catalog, { id: 'race', settings: lesson.race.settings });
    const race = {
      base: { ...base, speed: RACE_DEFAULT_SPEED },
      vary: 'act',
      runs: lesson.race.activations,
      show: lesson.race.show,
      length: lesson.race.length,
    };
    return h(
      'p',
      { class: 'lesson__race' },
      h('a', { class: 'button', href: hashFor('race', raceToQuery(race, this.catalog)) }, lesson.race.label),
    );
  }

  #load(n, preset, lesson) {
    const query = n === OWN_PATH ? presetQuery(presetState(this.catalog, preset), this.catalog) : this.queries[n - 1].get(preset.id);
    this.router.go('playground', query);
    this.companion.open(n, lesson, preset, (p) => this.#load(n, p, lesson));
  }
}
