// The bench's passes (bench/passes.mjs): engines in alternating order, rounds pooled over the passes, so
// a neighbour's burst during one engine's turn does not decide a ratio; a failure in any pass is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passOrder, poolPasses, ratioRows } from '../../bench/passes.mjs';

/** A record whose rounds each train `perCpuSecond` examples per CPU-second (and draw a tenth as many grids). */
function record(engine, perCpuSecond, { workload = 'W1', rounds = 5, status = 'ok' } = {}) {
  const round = (rate) => ({ units: rate, calls: 10, seconds: 1, rate, cpuSeconds: 1 });
  const train = Array.from({ length: rounds }, () => round(perCpuSecond));
  const heat = Array.from({ length: 3 }, () => round(perCpuSecond / 10));
  return {
    engine,
    workload,
    status,
    finalLoss: 0.1,
    trainRounds: train,
    heatmapRounds: heat,
    trainExamplesPerCpuSecond: perCpuSecond,
    heatmapGridsPerCpuSecond: perCpuSecond / 10,
  };
}

test('passes alternate the order of the engines', () => {
  assert.deepEqual(passOrder(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
  assert.deepEqual(passOrder(['a', 'b', 'c'], 1), ['c', 'b', 'a']);
  assert.deepEqual(passOrder(['a', 'b', 'c'], 2), ['a', 'b', 'c']);
});

test("one disturbed pass does not decide a ratio: the pooled rounds' median is the quiet passes' figure", () => {
  // Ours trains 12M examples per CPU-second and ConvNetJS 800k; in pass 2 a neighbour halves ours only.
  const passes = [
    [record('ap-wasm', 12e6), record('convnetjs', 8e5)],
    [record('convnetjs', 8e5), record('ap-wasm', 6e6)],
    [record('ap-wasm', 12e6), record('convnetjs', 8e5)],
  ];
  const pooled = poolPasses(passes);
  const ours = pooled.find((r) => r.engine === 'ap-wasm');
  assert.equal(ours.trainRounds.length, 15, "every pass's rounds");
  assert.equal(ours.trainExamplesPerCpuSecond, 12e6);
  assert.equal(ours.trainStepsTimed, 150);
  assert.deepEqual(
    ours.passes.map((p) => p.trainExamplesPerCpuSecond),
    [12e6, 6e6, 12e6],
  );
  const [training, heatmap] = ratioRows(pooled, ['W1']);
  assert.equal(training.peer, 'convnetjs');
  assert.equal(training.ratio, 15);
  assert.deepEqual(training.passes, [15, 7.5, 15], 'each pass says how steady the machine was');
  assert.equal(heatmap.what, 'heatmap');
  assert.equal(heatmap.ratio, 15);
});

test('a record that failed or went missing in any pass is reported failed, not pooled', () => {
  const failed = { ...record('convnetjs', 8e5), status: 'failed', error: 'loss did not fall enough' };
  const pooled = poolPasses([
    [record('ap-wasm', 12e6), record('convnetjs', 8e5)],
    [failed, record('ap-wasm', 12e6)],
    [record('ap-wasm', 12e6)],
  ]);
  assert.equal(pooled.find((r) => r.engine === 'convnetjs').error, 'loss did not fall enough');
  const missing = poolPasses([[record('ap-wasm', 12e6)], []]);
  assert.equal(missing[0].status, 'failed');
  assert.match(missing[0].error, /missing from pass 2/);
  assert.equal(ratioRows(pooled, ['W1']), null, 'no peer left to compare with');
});

test('one pass is reported as it was measured', () => {
  const only = [record('ap-wasm', 12e6), record('tfjs-wasm', 1e6)];
  assert.deepEqual(poolPasses([only]), only);
  const [training] = ratioRows(only, ['W1']);
  assert.equal(training.ratio, 12);
  assert.deepEqual(training.passes, []);
});
