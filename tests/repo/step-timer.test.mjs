// The race's time per step (web/js/race/step-timer.js) reads a network's own cost, not the machine's:
// rounds lengthened by interruptions must not move it, where the cumulative average they replaced moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepTimer } from '../../web/js/race/step-timer.js';

/** Feeds a timer rounds of `steps` steps at `ms` per step, each round's time multiplied by slow(i). */
function race(timer, { rounds, steps, ms, slow, from = { step: 0, trainMs: 0, trainedSteps: 0 } }) {
  let totals = from;
  for (let i = 0; i < rounds; ++i) {
    totals = { step: totals.step + steps, trainMs: totals.trainMs + steps * ms * slow(i), trainedSteps: totals.trainedSteps + steps };
    timer.note(totals);
  }
  return totals;
}

test('networks doing the same work read the same, however often the machine interrupts them', () => {
  // One network interrupted in every second round (3x longer), one in every tenth (6x): the cumulative
  // averages differ by 70%, the timers agree to the microsecond.
  const a = new StepTimer(100);
  const b = new StepTimer(100);
  const ta = race(a, { rounds: 200, steps: 1000, ms: 0.01, slow: (i) => (i % 2 ? 3 : 1) });
  const tb = race(b, { rounds: 200, steps: 1000, ms: 0.01, slow: (i) => (i % 10 === 3 ? 6 : 1) });
  const average = (t) => t.trainMs / t.trainedSteps;
  assert.ok(average(ta) / average(tb) > 1.3, `the cumulative averages: ${average(ta)} and ${average(tb)}`);
  assert.ok(Math.abs(a.msPerStep - 0.01) < 1e-12, `a: ${a.msPerStep}`);
  assert.ok(Math.abs(b.msPerStep - 0.01) < 1e-12, `b: ${b.msPerStep}`);
});

test('the warm-up is left out, and rounds too short to time are merged with the next', () => {
  const t = new StepTimer(100);
  assert.equal(t.msPerStep, null, 'nothing trained, nothing to read');
  const warm = race(t, { rounds: 9, steps: 10, ms: 1, slow: () => 1 }); // steps 10..90: 1 ms a step, warm-up
  assert.equal(t.msPerStep, 1, 'in the warm-up, its average is all there is');
  // From step 100 on, 0.5 ms a step in rounds of 2 steps (1 ms each: under the 2 ms a sample needs).
  race(t, { rounds: 61, steps: 2, ms: 0.5, slow: () => 1, from: warm });
  assert.equal(t.msPerStep, 0.5);
  // Rounds ending at steps 92..98 are warm-up, step 100 starts the clock, the 56 rounds after it make 28
  // samples of two rounds each (2 ms).
  assert.equal(t.samples.length, 28);
});

test('a network that became slower for good reads slower once the window has turned over', () => {
  const t = new StepTimer(0);
  const before = race(t, { rounds: 50, steps: 1000, ms: 0.01, slow: () => 1 });
  race(t, { rounds: 50, steps: 1000, ms: 0.02, slow: () => 1, from: before });
  assert.ok(Math.abs(t.msPerStep - 0.02) < 1e-12, `${t.msPerStep}`);
});

test('a race that ends before one sample fills still reads the time since the warm-up', () => {
  // 900 steps after the warm-up at 2 µs a step: 1.8 ms in all, under the 2 ms one sample needs.
  const t = new StepTimer(100);
  const warm = race(t, { rounds: 1, steps: 100, ms: 0.01, slow: () => 1 });
  const short = race(t, { rounds: 3, steps: 300, ms: 0.002, slow: () => 1, from: warm });
  assert.equal(t.samples.length, 0);
  assert.ok(Math.abs(t.msPerStep - 0.002) < 1e-12, `${t.msPerStep}`);
  // 500 more steps at 4 µs fill the first sample, 3.8 ms over 1400 steps.
  const filled = race(t, { rounds: 1, steps: 500, ms: 0.004, slow: () => 1, from: short });
  assert.equal(t.samples.length, 1);
  assert.ok(Math.abs(t.msPerStep - 3.8 / 1400) < 1e-12, `${t.msPerStep}`);
  // A round after it too short to be a sample (1 step, 1 ms) does not move the figure: samples decide now.
  race(t, { rounds: 1, steps: 1, ms: 1, slow: () => 1, from: filled });
  assert.equal(t.samples.length, 1);
  assert.ok(Math.abs(t.msPerStep - 3.8 / 1400) < 1e-12, `${t.msPerStep}`);
});

test('a race trained in one round past the warm-up reads its whole average, not nothing', () => {
  // A fast machine with a worker per network: 1000 steps in one round, 2 ms. Nothing was timed after the
  // warm-up alone, so the figure is the whole run's (the race also ends a round at the warm-up: race/index.js).
  const t = new StepTimer(100);
  t.note({ step: 0, trainMs: 0, trainedSteps: 0 });
  t.note({ step: 1000, trainMs: 2, trainedSteps: 1000 });
  assert.equal(t.msPerStep, 0.002);
});

test('a restarted worker, counting from zero again, goes on being timed instead of freezing the figure', () => {
  const t = new StepTimer(0);
  const before = race(t, { rounds: 20, steps: 1000, ms: 0.01, slow: () => 1 });
  assert.equal(t.samples.length, 19);
  // The new worker resumes at the same step with its time and step counters at zero: the first round
  // starts the clock again, each later one is a sample (where the old counters would have kept out every
  // round until the new ones passed them).
  race(t, { rounds: 15, steps: 1000, ms: 0.01, slow: () => 1, from: { step: before.step, trainMs: 0, trainedSteps: 0 } });
  assert.equal(t.samples.length, 19 + 14);
  assert.ok(Math.abs(t.msPerStep - 0.01) < 1e-12, `${t.msPerStep}`);
});
