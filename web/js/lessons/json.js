// A strict JSON reader for lesson files, which are untrusted. JSON.parse would do for valid files, but its
// errors name a character offset (in words that differ between browsers), it keeps the last of two equal
// keys without a word, and it turns 1e999 into Infinity. This reader names the line of every error, refuses
// duplicate keys, numbers that overflow and nesting deeper than MAX_DEPTH, and stores a "__proto__" key
// as a plain field (the lesson validator then refuses it as an unknown field) instead of a prototype.

export const MAX_DEPTH = 16;

export class JsonError extends Error {
  constructor(line, message) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

const ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The value of a JSON text; throws JsonError naming the line. A leading byte-order mark is not content. */
export function parseJson(text) {
  const reader = new Reader(text.startsWith('\uFEFF') ? text.slice(1) : text);
  reader.space();
  if (reader.i >= reader.text.length) reader.fail('the file is empty; a lesson is one JSON object');
  const value = reader.value(0);
  reader.space();
  if (reader.i < reader.text.length) reader.fail(`unexpected "${reader.text[reader.i]}" after the end of the lesson`);
  return value;
}

class Reader {
  constructor(text) {
    this.text = text;
    this.i = 0;
  }

  line(at = this.i) {
    let n = 1;
    for (let k = 0; k < at && k < this.text.length; ++k) if (this.text.charCodeAt(k) === 10) ++n;
    return n;
  }

  fail(message, at = this.i) {
    throw new JsonError(this.line(at), message);
  }

  space() {
    while (/[ \t\r\n]/.test(this.text[this.i] ?? '')) ++this.i;
  }

  expect(ch, what) {
    this.space();
    if (this.text[this.i] !== ch) this.fail(`expected ${what}, found ${this.found()}`);
    ++this.i;
  }

  found() {
    return this.i >= this.text.length ? 'the end of the file' : `"${this.text[this.i]}"`;
  }

  value(depth) {
    this.space();
    const ch = this.text[this.i];
    if (ch === '{' || ch === '[') {
      if (depth >= MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
      return ch === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (ch === '"') return this.string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.number();
  }

  number() {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail(`expected a value, found ${this.found()}`);
    const x = Number(m[0]);
    if (!Number.isFinite(x)) this.fail(`the number ${m[0].slice(0, 20)} is too large`);
    this.i += m[0].length;
    return x;
  }

  string() {
    const start = this.i++;
    let out = '';
    for (;;) {
      const ch = this.text[this.i++];
      if (ch === undefined) this.fail('a string is not closed', start);
      if (ch === '"') return out;
      if (ch < ' ') this.fail('a line break or control character inside a string (write \\n)', this.i - 1);
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.text[this.i++];
      if (esc === 'u') {
        const hex = this.text.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('a \\u escape needs four hex digits', this.i - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 4;
      } else if (esc in ESCAPES) {
        out += ESCAPES[esc];
      } else {
        this.fail(`unknown escape "\\${esc ?? ''}" in a string`, this.i - 2);
      }
    }
  }

  array(depth) {
    ++this.i;
    const out = [];
    this.space();
    if (this.text[this.i] === ']') return (++this.i, out);
    for (;;) {
      out.push(this.value(depth));
      this.space();
      if (this.text[this.i] === ']') return (++this.i, out);
      this.expect(',', '"," or "]" in a list');
    }
  }

  object(depth) {
    ++this.i;
    const out = {};
    this.space();
    if (this.text[this.i] === '}') return (++this.i, out);
    for (;;) {
      this.space();
      const at = this.i;
      if (this.text[this.i] !== '"') this.fail(`expected a field name in quotes, found ${this.found()}`);
      const key = this.string();
      if (Object.hasOwn(out, key)) this.fail(`the field "${key.slice(0, 40)}" is given twice`, at);
      this.expect(':', `":" after "${key.slice(0, 40)}"`);
      // defineProperty: a "__proto__" key stays a field of its own and never becomes the prototype.
      Object.defineProperty(out, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true });
      this.space();
      if (this.text[this.i] === '}') return (++this.i, out);
      this.expect(',', '"," or "}" between fields');
    }
  }
}
