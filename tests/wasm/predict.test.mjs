// Session.predict: the head's outputs in double at chosen points. It agrees with the float32 heatmap at the
// pixel centres (to float rounding), with the accuracy metrics() reports on the training points, and refuses
// malformed input with the session unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, PlaygroundError, smallConfig } from './helpers.mjs';

const pg = await load();

test('predict agrees with the heatmap at pixel centres and with the training accuracy', () => {
  const s = pg.createSession(smallConfig());
  try {
    s.train(300);
    const grid = { width: 9, height: 7 };
    const heat = s.heatmap(grid);
    const xy = [];
    for (let r = 0; r < 7; ++r) for (let c = 0; c < 9; ++c) xy.push(-6 + ((c + 0.5) * 12) / 9, 6 - ((r + 0.5) * 12) / 7);
    const p = s.predict(xy);
    assert.ok(p instanceof Float64Array);
    assert.equal(p.length, 63);
    p.forEach((v, i) => assert.ok(Math.abs(v - heat[i]) < 1e-5, `pixel ${i}: ${v} vs ${heat[i]}`));

    const pts = s.points('train');
    const n = pts.length / 3;
    const pairs = new Float64Array(2 * n);
    for (let i = 0; i < n; ++i) pairs.set([pts[3 * i], pts[3 * i + 1]], 2 * i);
    const probs = s.predict(pairs);
    let correct = 0;
    for (let i = 0; i < n; ++i) if ((probs[i] >= 0.5 ? 1 : 0) === pts[3 * i + 2]) ++correct;
    assert.equal(correct / n, s.metrics().trainAccuracy);
  } finally {
    s.dispose();
  }
});

test('predict refuses malformed points', () => {
  const s = pg.createSession(smallConfig());
  try {
    assert.throws(() => s.predict([1, 2, 3]), PlaygroundError);
    assert.throws(() => s.predict([1, NaN]), /points\[1\] must be a finite number/);
    assert.throws(() => s.predict('1,2'), PlaygroundError);
    assert.equal(s.predict([]).length, 0);
  } finally {
    s.dispose();
  }
});
