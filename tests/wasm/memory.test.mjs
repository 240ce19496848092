// Memory: views of wasm memory after growth, and a flat heap across create/train/delete cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig } from './helpers.mjs';

// The rule (wasm/README.md): a *View result aliases wasm memory; any later call may grow memory (which
// detaches the old buffer) or refill the buffer, so re-read the view after any call.
test('a view taken before memory growth is detached; calling the *View method again gives valid data', async () => {
  const pg = await load();
  const s = pg.createSession(smallConfig());
  s.train(50);
  const grid = { width: 64, height: 64 };
  const old = s.heatmapView(grid);
  const expected = old.slice();
  const before = pg.memory().memoryBytes;
  assert.equal(old.length, 64 * 64);

  // 12 layers of 256 units, unit thumbnails of 256 x 256 floats: 3072 * 65536 * 4 bytes = 768 MiB would be
  // too much; 2 layers of 256 at 128 x 128 is 32 MiB, twice the 16 MiB the module starts with.
  const big = pg.createSession(
    smallConfig({
      data: { dataset: 'circle', num_points: 20000 },
      network: {
        hidden: [
          { units: 256, activation: 'relu' },
          { units: 256, activation: 'relu' },
        ],
        head: 'sigmoid_bce',
      },
    }),
  );
  const units = big.unitHeatmapsView({ width: 128, height: 128 });
  assert.equal(units.length, 512 * 128 * 128);
  const after = pg.memory().memoryBytes;
  assert.ok(after > before, `memory grew: ${before} -> ${after}`);

  // The old view's buffer was the pre-growth memory: detached, so it reads as empty.
  assert.equal(old.length, 0, 'the view taken before growth is detached');
  // Calling the method again gives a view of the new memory with the right values.
  const fresh = s.heatmapView(grid);
  assert.equal(fresh.length, 64 * 64);
  assert.deepEqual(fresh.slice(), expected);
  // Copies (heatmap(), weights(), ...) are never affected.
  assert.deepEqual(s.heatmap(grid), expected);
  big.dispose();
  s.dispose();
});

test('a view is stale after a later call refills its buffer: the rule is to re-read after any call', async () => {
  const pg = await load();
  const s = pg.createSession(smallConfig());
  const v = s.heatmapView({ width: 16, height: 16 });
  const first = v.slice();
  s.train(200);
  s.heatmapView({ width: 16, height: 16 });
  // Same size, so same memory: the old view now shows the new prediction, not the one it was taken for.
  assert.notDeepEqual(v.slice(), first);
  const c1 = pg.curveView('relu', { from: -1, to: 1, n: 3 });
  pg.curveView('tanh', { from: -1, to: 1, n: 3 });
  assert.notEqual(c1[5], 1, 'the relu view now holds tanh values');
  s.dispose();
});

test('1,000 create/train/delete cycles leave the heap flat', async () => {
  const pg = await load();
  const cycle = (i) => {
    const s = pg.createSession(smallConfig({ seed: i + 1 }));
    s.train(20);
    s.metrics();
    s.diagnostics();
    s.heatmap({ width: 50, height: 50 });
    s.unitHeatmaps({ width: 10, height: 10 });
    s.setWeights(s.weights());
    s.update({ training: { learning_rate: 0.01 } });
    s.exportModel();
    s.points('test');
    s.dispose();
  };
  const start = pg.memory();
  cycle(0);
  const afterFirst = pg.memory();
  const samples = [];
  for (let i = 1; i < 1000; ++i) {
    cycle(i);
    if (i % 100 === 0 || i === 999) samples.push(pg.memory());
  }
  const end = pg.memory();
  // The allocator's bytes in use return to their level after the first cycle (which may keep one-off
  // buffers such as the curve's), within 1 KiB for alignment noise.
  assert.ok(
    Math.abs(end.heapInUse - afterFirst.heapInUse) <= 1024,
    `heapInUse after the first cycle ${afterFirst.heapInUse}, after 1000 ${end.heapInUse}`,
  );
  // The wasm memory stops growing once the first cycles have sized it.
  assert.equal(end.memoryBytes, samples[0].memoryBytes, `memory ${samples.map((m) => m.memoryBytes).join(', ')}`);
  console.log(`memory: start ${JSON.stringify(start)}, after 1 cycle ${JSON.stringify(afterFirst)}, after 1000 ${JSON.stringify(end)}`);
});

test('the heap check can fail: sessions kept alive make heapInUse grow', async () => {
  const pg = await load();
  const kept = [];
  // One session first: the core builds its field tables (serialize.cpp) once, on first use.
  pg.createSession(smallConfig()).dispose();
  const before = pg.memory().heapInUse;
  for (let i = 0; i < 20; ++i) kept.push(pg.createSession(smallConfig()));
  const after = pg.memory().heapInUse;
  assert.ok(after - before > 20 * 1024, `20 live sessions hold memory: ${before} -> ${after}`);
  for (const s of kept) s.dispose();
  assert.ok(Math.abs(pg.memory().heapInUse - before) <= 1024, 'and give it back when disposed');
});
