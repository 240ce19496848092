// The lesson file format (web/js/lessons/format.js and json.js) in Node, without a page: the built-in
// lessons and the editor's example pass; each kind of bad file is refused with its line or field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLesson, LessonError, MAX_LESSON_BYTES } from '../../web/js/lessons/format.js';

const DIR = join(import.meta.dirname, '../../web/lessons');
const example = await readFile(join(DIR, 'example.json'), 'utf8');
const withField = (patch) => JSON.stringify({ ...JSON.parse(example), ...patch }, null, 2);

/** The errors parseLesson reports for a text (fails the test if it accepts it). */
function errorsOf(text, options) {
  try {
    parseLesson(text, options);
  } catch (error) {
    assert.ok(error instanceof LessonError, error.stack);
    return error.errors;
  }
  assert.fail('the lesson was accepted');
}

test('every lesson file of the site and the example pass, and keep their text', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 11);
  for (const f of files) {
    const text = await readFile(join(DIR, f), 'utf8');
    assert.deepEqual(parseLesson(text), JSON.parse(text), f);
  }
});

test('a JSON syntax error names its line', () => {
  assert.deepEqual(errorsOf('{\n  "title": "a",\n  "body": [1 2]\n}'), ['line 3: expected "," or "]" in a list, found "2"']);
  assert.deepEqual(errorsOf('{\n"title": "a\nb"}'), ['line 2: a line break or control character inside a string (write \\n)']);
  assert.deepEqual(errorsOf('{\n"x": 1e999}'), ['line 2: the number 1e999 is too large']);
  assert.deepEqual(errorsOf('{"a": 1,\n "a": 2}'), ['line 2: the field "a" is given twice']);
  assert.deepEqual(errorsOf(''), ['line 1: the file is empty; a lesson is one JSON object']);
  assert.match(errorsOf('['.repeat(100))[0], /^line 1: nested deeper than 16 levels/);
});

test('a byte-order mark is not content', () => {
  assert.equal(parseLesson(`\uFEFF${example}`).title, 'A hinge fits a V');
});

test('every field is checked, and its path named', () => {
  const cases = [
    [{ title: 7 }, /^title: must be text, got number 7/],
    [{ title: '<script>window.__pwned=1</script>' }, /^title: raw HTML/],
    [{ body: ['<img src=x onerror=alert(1)>'] }, /^body\[0\]: raw HTML/],
    [{ body: ['[x](javascript:alert(1))'] }, /^body\[0\]: the link "javascript:alert\(1" is not allowed/],
    [{ body: ['[x](data:text/html,hi)'] }, /^body\[0\]: the link "data:text\/html,hi" is not allowed/],
    [{ body: [{ code: 'x', title: 'y', style: 'color:red' }] }, /^body\[0\]: unknown field "style"/],
    [{ figure: 'iframe' }, /^figure: must be one of relu/],
    [{ figure: 'dying' }, /^figure: "dying" trains the presets rate-3/],
    [{ presets: Array(13).fill({ id: 'a', label: 'b', settings: {} }) }, /^presets: must hold 1 to 12 items, got 13/],
    [{ presets: [{ id: '"><svg>', label: 'b', settings: {} }] }, /^presets\[0\]\.id: must be 1 to 32/],
    [{ watch: { text: 'x', targets: ['body *'] } }, /^watch\.targets\[0\]: must be one of \.pg-network/],
    [{ watch: { text: 'x', targets: [{ sel: ':has(*)', text: 'a' }] } }, /^watch\.targets\[0\]\.sel: must be \.pg-field/],
    [{ answer: 'x'.repeat(6001) }, /^answer: is 6001 characters, at most 6000/],
    [{ question: 'a\u202eb' }, /^question: holds a control character/],
    [{ race: { label: 'r', activations: ['relu'], settings: {}, show: 'acc', length: 100 } }, /^race\.activations: must hold 2 to 5/],
    [{ extra: 1 }, /^unknown field "extra"/],
  ];
  for (const [patch, pattern] of cases) {
    const errors = errorsOf(withField(patch));
    assert.match(errors.join('\n'), pattern, JSON.stringify(patch).slice(0, 80));
  }
});

test('"__proto__" stays a field, refused as unknown, and pollutes nothing', () => {
  const errors = errorsOf(example.replace('{', '{"__proto__": {"polluted": 1},'));
  assert.match(errors[0], /unknown field "__proto__"/);
  assert.equal({}.polluted, undefined);
});

test('a file over the bound is refused by its size before it is read', () => {
  assert.deepEqual(errorsOf(' '.repeat(MAX_LESSON_BYTES + 1)), [
    `the lesson is ${MAX_LESSON_BYTES + 1} bytes; a lesson is at most ${MAX_LESSON_BYTES} bytes`,
  ]);
});

test("the settings checker's messages are placed under the preset's field", () => {
  const checkSettings = (s) => (s.learningRate > 10 ? [['learningRate', 'lr must be a number 0..10, got "1e9"']] : []);
  const errors = errorsOf(withField({ presets: [{ id: 'a', label: 'b', settings: { learningRate: 1e9 } }] }), { checkSettings });
  assert.deepEqual(errors, ['presets[0].settings.learningRate: lr must be a number 0..10, got "1e9"']);
});
