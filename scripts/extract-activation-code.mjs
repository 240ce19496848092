#!/usr/bin/env node
// Extracts each activation's C++ from core/activation.cpp for the explorer, so the page shows the code
// that actually runs. Writes web/generated/activation-code.json:
//   { "<name>": { "struct": "Relu", "code": "<the struct, preceded by the helpers it calls>" }, ... }
// Which struct serves which activation is read from the file itself: the names from the kInfo table
// ({Activation::relu, "relu"}) and the struct from the dispatch switch (case Activation::relu: return
// visit(Relu{g0});). A name without a case, or a case whose struct is not defined, fails the build.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = resolve(root, process.argv[2] ?? 'core/activation.cpp');
const outPath = resolve(root, process.argv[3] ?? 'web/generated/activation-code.json');

function fail(message) {
  console.error(`extract-activation-code: ${message} (in ${sourcePath})`);
  process.exit(1);
}

const source = readFileSync(sourcePath, 'utf8');
const lines = source.split('\n');

// Activation names, in the core's order.
const names = [...source.matchAll(/\{\s*Activation::(\w+)\s*,\s*"(\w+)"\s*\}/g)].map((m) => {
  if (m[1] !== m[2]) fail(`kInfo pairs Activation::${m[1]} with the name "${m[2]}"`);
  return m[2];
});
if (names.length === 0) fail('found no {Activation::x, "x"} entries (the kInfo table)');
// The user's own activation has no struct here: its code is core/formula.cpp, and its card shows the formula.
const OWN = 'formula';
if (names.includes(OWN)) names.splice(names.indexOf(OWN), 1);

// The dispatch switch: consecutive case labels fall through to the next 'return visit(Struct{...})'.
const structOf = new Map();
const constructionOf = new Map(); // name -> 'LeakyRelu{p.alpha, relu_kink_slope(p.alpha, 1.0, g0)}'
const dispatchAt = source.indexOf('visit_activation(');
if (dispatchAt < 0) fail('found no visit_activation dispatch');
const dispatch = source.slice(dispatchAt);
let pending = [];
for (const m of dispatch.matchAll(/case\s+Activation::(\w+)\s*:|visit\(\s*((\w+)\s*\{[^;]*)\);/g)) {
  if (m[1]) pending.push(m[1]);
  else if (pending.length) {
    for (const name of pending) {
      if (!structOf.has(name)) {
        structOf.set(name, m[3]);
        constructionOf.set(name, m[2].trim());
      }
    }
    pending = [];
  }
}
const activationStructs = new Set(structOf.values());

// Top-level definitions in the file: structs (to their closing '};') and free functions or constants
// (one statement or one brace block), each with the comment lines right above it.
function blockEnd(start) {
  let depth = 0;
  let seen = false;
  for (let i = start; i < lines.length; ++i) {
    for (const ch of lines[i].replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
      if (ch === '{') {
        depth++;
        seen = true;
      } else if (ch === '}') depth--;
    }
    if (seen && depth === 0) return i;
    if (!seen && /;\s*(\/\/.*)?$/.test(lines[i])) return i;
  }
  return -1;
}
function withComments(start) {
  let s = start;
  while (s > 0 && /^\s*\/\//.test(lines[s - 1]) && !/^\/\/ ----/.test(lines[s - 1])) s--;
  return s;
}
const definitions = new Map(); // identifier -> { text, kind }
for (let i = 0; i < lines.length; ++i) {
  const line = lines[i];
  let m = /^struct (\w+)\s*(?::[^{]*)?\{/.exec(line);
  let kind = 'struct';
  if (!m) {
    m = /^(?:constexpr\s+)?[\w:<>]+\s+(\w+)\s*(?:\(|=)/.exec(line);
    kind = 'helper';
  }
  if (!m || /^(?:namespace|template|return|using)\b/.test(line)) continue;
  const end = blockEnd(i);
  if (end < 0) fail(`definition of ${m[1]} at line ${i + 1} never closes`);
  if (!definitions.has(m[1])) definitions.set(m[1], { text: lines.slice(withComments(i), end + 1).join('\n'), kind, line: i });
  i = end;
}

// An activation's code: the helpers its struct and its construction in the dispatch use (and the helpers
// they use), in file order, then the struct, then how the dispatch builds it from the parameters.
function codeFor(name, structName) {
  const def = definitions.get(structName);
  const construction = `// Built by the dispatch as: ${constructionOf.get(name)}`;
  const needed = new Set();
  const visit = (text, self) => {
    for (const [id, d] of definitions) {
      if (id === self || needed.has(id) || activationStructs.has(id)) continue;
      if (new RegExp(`\\b${id}\\b`).test(text.replace(/\/\/.*$/gm, ''))) {
        needed.add(id);
        visit(d.text, id);
      }
    }
  };
  visit(`${def.text}\n${constructionOf.get(name)}`, structName);
  const helpers = [...needed]
    .map((id) => definitions.get(id))
    .sort((a, b) => a.line - b.line)
    .map((d) => d.text);
  return [...helpers, `${def.text}\n${construction}`].join('\n\n');
}

const out = {};
for (const name of names) {
  const struct = structOf.get(name);
  if (!struct) fail(`activation "${name}" has no case in visit_activation`);
  if (!definitions.has(struct) || definitions.get(struct).kind !== 'struct') fail(`struct ${struct} (for "${name}") is not defined`);
  out[name] = { struct, code: codeFor(name, struct) };
}

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(out, null, 2)}\n`);
console.log(`extract-activation-code: ${names.length} activations -> ${outPath}`);
