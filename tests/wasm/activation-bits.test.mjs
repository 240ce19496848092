// Native and wasm compute every activation bit for bit alike: at each of the ~78,000 points of the mpmath
// reference table (tests/native/data/activation_reference.txt: tails, subnormals, the largest doubles,
// kinks, zeros of f and f'), f and f' from the wasm module must be the very doubles the native build
// computes. The native bits come from build/native-release/test_activation_reference with
// AP_ACTIVATION_BITS set (scripts/test-wasm.sh builds it; AP_ACTIVATION_TEST names another build).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from './helpers.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const nativeTest = path.resolve(process.env.AP_ACTIVATION_TEST ?? path.join(root, 'build/native-release/test_activation_reference'));

let playground;
let cases;
before(async () => {
  assert.ok(fs.existsSync(nativeTest), `${nativeTest} is missing: build the native-release preset`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ap-bits-')), 'bits.txt');
  execFileSync(nativeTest, [], { env: { ...process.env, AP_ACTIVATION_BITS: file }, stdio: ['ignore', 'ignore', 'inherit'] });
  cases = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    if (parts[0] === 'case') {
      cases.push({ name: parts[1], alpha: Number(parts[2]), beta: Number(parts[3]), g0: Number(parts[4]), points: [] });
    } else {
      cases.at(-1).points.push(parts.map((h) => BigInt(`0x${h}`)));
    }
  }
  playground = await load();
});

const scratch = new Float64Array(1);
const scratchBits = new BigUint64Array(scratch.buffer);
function toDouble(bits) {
  scratchBits[0] = bits;
  return scratch[0];
}
function toBits(x) {
  scratch[0] = x;
  return scratchBits[0];
}
const MAX = Number.MAX_VALUE;
function neighbour(x, step) {
  const b = toBits(x);
  const negative = b >> 63n === 1n;
  return toDouble(negative === step > 0 ? b - 1n : b + 1n);
}

test("every activation gives the native build's bits for f and f' at every reference point", () => {
  assert.ok(cases.length >= 32, `expected every case, got ${cases.length}`);
  const differences = [];
  let points = 0;
  for (const c of cases) {
    for (const [xBits, fBits, dfBits] of c.points) {
      const x = toDouble(xBits);
      // curve() over [x, next double] with n = 2 evaluates exactly at both ends (to - from is exact there).
      const atTop = x === MAX;
      const from = atTop ? neighbour(x, -1) : x;
      const to = atTop ? x : neighbour(x, +1);
      const v = playground.curveView(c.name, { from, to, n: 2, alpha: c.alpha, beta: c.beta, reluGradAtZero: c.g0 });
      const i = atTop ? 1 : 0;
      assert.equal(v[i], x);
      const f = toBits(v[2 + i]);
      const df = toBits(v[4 + i]);
      points += 1;
      if ((f !== fBits || df !== dfBits) && differences.length < 10) {
        differences.push(
          `${c.name} a=${c.alpha} b=${c.beta} g0=${c.g0} x=${x}: wasm f ${v[2 + i]} f' ${v[4 + i]}, native f ${toDouble(fBits)} f' ${toDouble(dfBits)}`,
        );
      }
    }
  }
  assert.ok(points > 70000, `only ${points} points`);
  assert.deepEqual(differences, []);
});
