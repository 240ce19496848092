// The lesson file format. A lesson is one JSON object (UTF-8, at most 64 kB); the ten built-in lessons
// (web/lessons/*.json) and a teacher's own go through this same check, which knows no DOM.
//
//   {
//     "format": "lesson/1",
//     "title": "What ReLU is",                          plain text, one line
//     "body": ["A paragraph with $TeX$ and **bold**.",   paragraphs, or code blocks:
//              { "code": "max(0, x)", "title": "Python" }],
//     "figure": "relu",                                 optional: a built-in figure (FIGURES)
//     "article": "What the article says…",              optional
//     "presets": [{ "id": "abs-2", "label": "Two units fit |x|",
//                   "settings": { "seed": 2, "dataset": "abs", "layers": [2] } }],
//     "race": { "label": …, "activations": […], "settings": {…}, "show": "acc", "length": 1000 },  optional
//     "watch": { "text": "What to look at.", "targets": [".pg-output", { "sel": ".pg-field", "text": "Learning rate" }] },
//     "question": "…",
//     "answer": "…"
//   }
//
// Text markup (rich.js): $inline TeX$, $$display TeX$$, `code`, **bold**, [text](#/route) or
// [text](https://...). Raw HTML is refused rather than shown, and so is a link anywhere else. Settings use
// the playground's property names (state.js); their values are checked by a checker the page passes in
// (settings.js), since only the loaded core knows the allowed values. Every error names its field, as
// 'presets[2].settings.learningRate: ...', or the line of a JSON syntax error.
import { parseJson } from './json.js';

export const LESSON_FORMAT = 'lesson/1';
export const MAX_LESSON_BYTES = 65536;
export const MAX_PRESETS = 12;
export const FIGURES = ['relu', 'derivative', 'slopes', 'dying', 'family'];
// Two figures train the lesson's own presets (figures.js), found by id.
const FIGURE_PRESETS = { derivative: ['g0-0', 'narrow-0'], dying: ['rate-3'] };
// What "what to watch" may outline: the playground's panels. A lesson names no other selector, so its
// targets can neither reach outside the playground nor cost a slow query.
export const WATCH_TARGETS = [
  '.pg-network',
  '.pg-output',
  '.pg-charts',
  '.pg-toolbar',
  '.pg-banner',
  '.pg-diag__chart',
  '.pg-diag__tablewrap',
  '.pg-diag__hists',
];
export const WATCH_FIELDS = ['.pg-field'];

const SHORT = 160; // a title or a label
const LONG = 6000; // a paragraph, a code block, an answer
const MAX_ERRORS = 12;

export class LessonError extends Error {
  constructor(errors) {
    super(errors.join('; '));
    this.errors = errors;
  }
}

/** The lesson in a JSON text, checked; throws LessonError listing every problem by line or field. */
export function parseLesson(text, options = {}) {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_LESSON_BYTES) throw new LessonError([`the lesson is ${bytes} bytes; a lesson is at most ${MAX_LESSON_BYTES} bytes`]);
  let value;
  try {
    value = parseJson(text);
  } catch (error) {
    throw new LessonError([error.message]);
  }
  return checkLesson(value, options);
}

/** The lesson object itself if every field is valid; throws LessonError otherwise. */
export function checkLesson(lesson, { checkSettings } = {}) {
  const errors = [];
  const add = (field, message) => errors.length < MAX_ERRORS && errors.push(field ? `${field}: ${message}` : message);
  if (!isObject(lesson)) {
    add('', `a lesson is a JSON object, got ${kind(lesson)}`);
    throw new LessonError(errors);
  }
  fields(lesson, '', ['format', 'title', 'body', 'figure', 'article', 'presets', 'race', 'watch', 'question', 'answer'], add);
  if (lesson.format !== LESSON_FORMAT) add('format', `must be "${LESSON_FORMAT}", got ${show(lesson.format)}`);
  text(lesson.title, 'title', SHORT, add, { oneLine: true });
  list(lesson.body, 'body', 1, 40, add, (item, at) => {
    if (typeof item === 'string') return text(item, at, LONG, add);
    if (!isObject(item)) return add(at, `must be a paragraph (text) or { "code", "title" }, got ${kind(item)}`);
    fields(item, at, ['code', 'title'], add);
    text(item.code, `${at}.code`, LONG, add, { plain: true });
    text(item.title, `${at}.title`, SHORT, add, { oneLine: true });
  });
  if (lesson.figure !== undefined && !FIGURES.includes(lesson.figure))
    add('figure', `must be one of ${FIGURES.join(', ')} (or left out), got ${show(lesson.figure)}`);
  if (lesson.article !== undefined) text(lesson.article, 'article', LONG, add);
  const ids = new Set();
  list(lesson.presets, 'presets', 1, MAX_PRESETS, add, (p, at) => {
    if (!isObject(p)) return add(at, `must be an object { "id", "label", "settings" }, got ${kind(p)}`);
    fields(p, at, ['id', 'label', 'settings'], add);
    if (typeof p.id !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,31}$/.test(p.id))
      add(`${at}.id`, `must be 1 to 32 of a-z, 0-9, ".", "_", "-", got ${show(p.id)}`);
    else if (ids.has(p.id)) add(`${at}.id`, `"${p.id}" is used by an earlier preset`);
    ids.add(p.id);
    text(p.label, `${at}.label`, SHORT, add, { oneLine: true, plain: true });
    settings(p.settings, `${at}.settings`, add, checkSettings);
  });
  const missing = (FIGURE_PRESETS[lesson.figure] ?? []).filter((id) => !ids.has(id));
  if (missing.length) add('figure', `"${lesson.figure}" trains the presets ${missing.join(', ')}, which this lesson lacks`);
  if (lesson.race !== undefined) race(lesson.race, add, checkSettings);
  watch(lesson.watch, add);
  text(lesson.question, 'question', LONG, add);
  text(lesson.answer, 'answer', LONG, add);
  if (errors.length) throw new LessonError(errors);
  return lesson;
}

function race(r, add, checkSettings) {
  if (!isObject(r)) return add('race', `must be an object or left out, got ${kind(r)}`);
  fields(r, 'race', ['label', 'activations', 'settings', 'show', 'length'], add);
  text(r.label, 'race.label', SHORT, add, { oneLine: true, plain: true });
  list(r.activations, 'race.activations', 2, 5, add, (a, at) => {
    if (typeof a !== 'string' || !/^[a-z0-9_]{1,32}$/.test(a)) add(at, `must be an activation's name, got ${show(a)}`);
  });
  if (!['test', 'train', 'acc'].includes(r.show)) add('race.show', `must be "test", "train" or "acc", got ${show(r.show)}`);
  if (!Number.isInteger(r.length) || r.length < 10 || r.length > 100000)
    add('race.length', `must be a whole number of steps 10..100000, got ${show(r.length)}`);
  settings(r.settings, 'race.settings', add, checkSettings, Array.isArray(r.activations) ? r.activations : []);
}

function watch(w, add) {
  if (!isObject(w)) return add('watch', `must be an object { "text", "targets" }, got ${kind(w)}`);
  fields(w, 'watch', ['text', 'targets'], add);
  text(w.text, 'watch.text', LONG, add, { plain: true });
  list(w.targets, 'watch.targets', 0, 6, add, (t, at) => {
    if (typeof t === 'string') {
      if (!WATCH_TARGETS.includes(t)) add(at, `must be one of ${WATCH_TARGETS.join(', ')} or { "sel", "text" }, got ${show(t)}`);
      return;
    }
    if (!isObject(t)) return add(at, `must be a panel's selector or { "sel", "text" }, got ${kind(t)}`);
    fields(t, at, ['sel', 'text'], add);
    if (!WATCH_FIELDS.includes(t.sel)) add(`${at}.sel`, `must be ${WATCH_FIELDS.join(' or ')}, got ${show(t.sel)}`);
    text(t.text, `${at}.text`, 60, add, { oneLine: true, plain: true });
  });
}

function settings(s, at, add, checkSettings, raceActivations) {
  if (!isObject(s)) return add(at, `must be an object of playground settings, got ${kind(s)}`);
  const keys = Object.keys(s);
  if (keys.length > 30) return add(at, `has ${keys.length} settings, at most 30`);
  if (checkSettings) for (const [field, message] of checkSettings(s, raceActivations)) add(field ? `${at}.${field}` : at, message);
}

// ---- Small checks ----

function fields(obj, at, allowed, add) {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) add(at, `unknown field "${key.slice(0, 40)}"; the fields are ${allowed.join(', ')}`);
}

function list(value, at, min, max, add, each) {
  if (!Array.isArray(value)) return add(at, `must be a list, got ${kind(value)}`);
  if (value.length < min || value.length > max) return add(at, `must hold ${min} to ${max} items, got ${value.length}`);
  value.forEach((item, i) => each(item, `${at}[${i}]`));
}

const RAW_HTML = /<\/?[a-z!?][^>]*>|<!--|&[a-z]+;|&#/i;
const LINK = /\[([^\]]*)\]\(([^)]*)\)/g;

/** A text field: a string within its bound, with no raw HTML, and (unless plain: shown as it is) links only to http(s) or the site's routes. */
function text(value, at, max, add, { oneLine = false, plain = false } = {}) {
  if (typeof value !== 'string') return add(at, `must be text, got ${kind(value)}`);
  if (value.trim() === '') return add(at, 'must not be empty');
  if (value.length > max) return add(at, `is ${value.length} characters, at most ${max}`);
  if (oneLine && /[\n\r]/.test(value)) return add(at, 'must be one line');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(value))
    return add(at, 'holds a control character or a text-direction override');
  const tag = RAW_HTML.exec(value);
  if (tag) return add(at, `raw HTML ("${tag[0].slice(0, 30)}") is not allowed; write $TeX$, \`code\`, **bold** or [text](link)`);
  if (plain) return;
  for (const [, , href] of value.matchAll(LINK))
    if (!/^(#\/[^\s]*|https?:\/\/[^\s]+)$/i.test(href))
      add(at, `the link "${href.slice(0, 40)}" is not allowed; links go to https:// or http:// addresses or the site's own #/ routes`);
}

function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v) {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `text "${v.slice(0, 30)}${v.length > 30 ? '…' : ''}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v).slice(0, 30)}`;
}

function show(v) {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : kind(v);
}
