// Time travel through the module: seek(s) shows bit for bit the network of a run trained straight to s,
// training on from there is a branch equal to the straight run, live changes are replayed, the snapshots
// report their budget (the core's 32 MB), and bad steps are refused with a message naming the range.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig, PlaygroundError } from './helpers.mjs';

let pg;
before(async () => {
  pg = await load();
});

const config = () => smallConfig({ training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 7 } });

function straight(steps, change = null) {
  const s = pg.createSession(config());
  if (change) {
    s.train(change.at);
    change.apply(s);
    s.train(steps - change.at);
  } else {
    s.train(steps);
  }
  return s;
}

function assertSameRun(a, b, what) {
  assert.equal(a.step, b.step, `${what}: step`);
  assert.deepEqual(a.weights(), b.weights(), `${what}: weights bit for bit`);
  const ma = a.metrics();
  const mb = b.metrics();
  for (const k of ['batchLoss', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'epoch', 'learningRate'])
    assert.ok(Object.is(ma[k], mb[k]), `${what}: ${k} ${ma[k]} vs ${mb[k]}`);
}

test('seek(s) equals a run trained straight to s, and the later history stays', () => {
  const s = pg.createSession(config());
  s.train(700);
  const t = s.timeline();
  assert.equal(t.head, 700);
  assert.equal(t.earliest, 0);
  assert.equal(t.budget, pg.catalog().limits.snapshotBudgetBytes);
  assert.equal(t.budget, 32e6);
  assert.ok(t.every >= 16 && t.kept === Math.floor(700 / t.every) + 1, JSON.stringify(t));
  assert.ok(t.bytes > 0 && t.bytes <= t.budget);
  assert.deepEqual(
    [...s.snapshotSteps()],
    Array.from({ length: t.kept }, (_, i) => i * t.every),
  );
  for (const at of [0, 1, 250, t.every, 699, 700, 123]) {
    s.seek(at);
    const ref = straight(at);
    assertSameRun(s, ref, `step ${at}`);
    ref.dispose();
  }
  assert.equal(s.timeline().head, 700);
  s.dispose();
});

test('training after a seek is a new branch that equals the straight run', () => {
  const s = pg.createSession(config());
  s.train(600);
  s.seek(210);
  s.train(90);
  assert.equal(s.timeline().head, 300);
  assert.ok([...s.snapshotSteps()].every((x) => x <= 300));
  const ref = straight(300);
  assertSameRun(s, ref, 'branch at 300');
  ref.dispose();
  s.dispose();
});

test('a live change is replayed exactly when a later step is recomputed', () => {
  const s = pg.createSession(config());
  s.train(150);
  s.setLearningRate(0.1);
  s.setParameter(2, 0.5);
  s.train(250);
  const change = {
    at: 150,
    apply: (x) => {
      x.setLearningRate(0.1);
      x.setParameter(2, 0.5);
    },
  };
  for (const at of [170, 400, 150]) {
    s.seek(at);
    const ref = straight(at, change);
    assertSameRun(s, ref, `step ${at}`);
    ref.dispose();
  }
  s.seek(100);
  assert.equal(s.config().training.learning_rate, 0.01, 'the settings in force at step 100 are back');
  s.dispose();
});

test('unit events mark a unit killed by a weight edit at its step', () => {
  const s = pg.createSession(config());
  s.train(40);
  const bias = s.layers()[0].biasOffset;
  const before = s.timeline().events;
  s.setParameter(bias, -1e4); // z < 0 on every point: unit 0 of layer 1 is dead from this step on
  const t = s.timeline();
  assert.ok(t.events > before);
  assert.equal(t.units, 8);
  const ev = s.unitEvents();
  assert.equal(ev.length, 3 * t.events);
  const rows = [];
  for (let i = 0; i < ev.length; i += 3) rows.push([ev[i], ev[i + 1], ev[i + 2]]);
  assert.deepEqual(
    rows.filter(([step, unit]) => step === 40 && unit === 0),
    [[40, 0, 1]],
  );
  s.setParameter(bias, 1e4); // and back: positive on every point
  const back = [...s.unitEvents().slice(-3 * (s.timeline().events - t.events))];
  assert.ok(back.join(',').includes('40,0,0'), `came back at step 40: ${back}`);
  s.dispose();
});

test('bad steps are refused with the range named, and the session stays as it was', () => {
  const s = pg.createSession(config());
  s.train(100);
  const w = s.weights();
  for (const bad of [-5, 101, 1.5, NaN, '50', Infinity]) {
    assert.throws(
      () => s.seek(bad),
      (e) => e instanceof PlaygroundError && /step must be an integer 0\.\.100/.test(e.message),
      String(bad),
    );
  }
  assert.deepEqual(s.weights(), w);
  assert.equal(s.step, 100);
  s.dispose();
});

test('a session with a snapshot budget of 0 (a race run) keeps none and trains bit for bit the same', () => {
  const s = pg.createSession(config());
  s.setSnapshotBudget(0);
  s.train(300);
  s.setLearningRate(0.003);
  s.train(200);
  const t = s.timeline();
  assert.deepEqual([t.kept, t.bytes, t.budget, t.head, t.earliest], [0, 0, 0, 500, 500]);
  assert.throws(
    () => s.seek(100),
    (e) => e instanceof PlaygroundError && /step must be an integer 500\.\.500/.test(e.message),
  );
  const kept = straight(500, { at: 300, apply: (x) => x.setLearningRate(0.003) });
  assertSameRun(s, kept, 'budget 0 against the default budget');
  assert.ok(kept.timeline().kept > 0);
  for (const bad of [-1, 32e6 + 1, NaN, '0']) {
    assert.throws(
      () => s.setSnapshotBudget(bad),
      (e) => e instanceof PlaygroundError && /snapshot budget must be/.test(e.message),
      String(bad),
    );
  }
  assert.equal(s.step, 500, 'a refused budget leaves the session as it was');
  s.dispose();
  kept.dispose();
});
