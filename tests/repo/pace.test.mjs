// The speed setting's pace (web/js/shell/pace.js): steps owed at a number of steps a second, to the wall
// clock, whatever the rounds' rhythm: a fast engine does not run ahead, a slow round is caught up.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { stepsOwed } from '../../web/js/shell/pace.js';

let now = 0;
beforeEach(() => {
  now = 1000;
  performance.now = () => now;
});

test('a run owes perSecond steps a second from when the pace started, however the rounds fall', () => {
  const view = { pace: null };
  let step = 0;
  assert.equal(stepsOwed(view, 60, step), 0, 'nothing owed when the clock starts');
  // Rounds every 5 ms (faster than the display): together they train 60 steps in a second, not one a round.
  for (let i = 0; i < 200; ++i) {
    now += 5;
    step += stepsOwed(view, 60, step);
  }
  assert.equal(step, 60);
  // A round that came 2 s late catches up at once.
  now += 2000;
  assert.equal(stepsOwed(view, 60, step), 120);
});

test('a new pace, a step behind the clock (a reset), or a cleared clock restart it; 0 means as fast as possible', () => {
  const view = { pace: null };
  stepsOwed(view, 60, 0);
  now += 1000;
  assert.equal(stepsOwed(view, 60, 0), 60);
  assert.equal(stepsOwed(view, 600, 0), 0, 'a new speed starts its own clock');
  now += 100;
  assert.equal(stepsOwed(view, 600, 0), 60);
  now += 100;
  assert.equal(stepsOwed(view, 600, 60), 60);
  view.pace = null;
  stepsOwed(view, 600, 500); // the clock starts again at step 500 (play pressed)
  now += 100;
  assert.equal(stepsOwed(view, 600, 500), 60);
  assert.equal(stepsOwed(view, 600, 10), 0, 'a run reset to step 10 starts the clock again');
  now += 100;
  assert.equal(stepsOwed(view, 600, 10), 60);
  view.pace = null;
  assert.equal(stepsOwed(view, 0, 10), null);
});

test('a long absence (a tab in the background gets no frames) is not caught up: at most 3 s of steps, then the pace', () => {
  const view = { pace: null };
  let step = stepsOwed(view, 100, 0);
  now += 60000; // a minute away
  const owed = stepsOwed(view, 100, step);
  assert.equal(owed, 300, 'three seconds of steps, not 6,000');
  step += owed;
  assert.equal(stepsOwed(view, 100, step), 0, 'nothing more owed at once');
  now += 500;
  assert.equal(stepsOwed(view, 100, step), 50, 'then 100 steps a second again');
});
