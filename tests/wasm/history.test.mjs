// The loss history's sampling (web/js/engine/run.js): the steps a run records its losses at are fixed by
// the step alone (so a link reproduces them), dense at first, and few enough that a run of any length keeps
// a bounded history, on the page and in the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSampleAfter, sampleInterval } from '../../web/js/engine/run.js';

const LAST_STEP = 2 ** 53; // the core counts steps up to 2^53 - 1 (kMaxSavedStep)

/** The sample steps from step 0 on, up to `limit` of them, until `until`. */
function samples(scale, until, limit) {
  const out = [];
  for (let step = 0; step < until && out.length < limit;) {
    step = nextSampleAfter(step, scale);
    out.push(step);
  }
  return out;
}

test('the first samples: every step to 100, then every 5, 20 and 100 steps (as links have always had them)', () => {
  const s = samples(1, 100000, Infinity);
  assert.deepEqual(
    s.slice(0, 100),
    Array.from({ length: 100 }, (_, i) => i + 1),
  );
  assert.deepEqual(s.slice(99, 102), [100, 105, 110]);
  assert.equal(s.filter((x) => x <= 1000).length, 100 + 180);
  assert.equal(s.filter((x) => x <= 10000).length, 100 + 180 + 450);
  assert.equal(s.length, 100 + 180 + 450 + 900);
  assert.equal(sampleInterval(100000), 500);
  assert.equal(sampleInterval(999999), 500);
});

test('a run of any length keeps a bounded history: ~1,800 samples a decade after 100,000 steps', () => {
  for (const scale of [1, 8]) {
    const s = samples(scale, LAST_STEP, 30000);
    // One sample every 500 steps forever would still be at step ~1.4e7 after 30,000 samples.
    assert.ok(s.at(-1) >= LAST_STEP, `scale ${scale}: 30,000 samples reached step ${s.at(-1)} only`);
    assert.ok(s.length < 25000, `scale ${scale}: ${s.length} samples`);
    // Each sample is a multiple of the interval before it, so the schedule never depends on where a frame ended.
    for (let i = 1; i < s.length; ++i) assert.equal(s[i] % sampleInterval(s[i - 1], scale), 0);
  }
  assert.equal(sampleInterval(1e6), 5000);
  assert.equal(sampleInterval(2e7, 2), 2 * 50000); // step / scale = 1e7
});
