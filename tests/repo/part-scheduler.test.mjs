// What a frame draws (web/js/shell/part-scheduler.js): every dirty part when paused; while playing, each part
// at its rate, the most overdue first within a frame's work budget, and rates that stretch when frames fall
// behind the display.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartScheduler } from '../../web/js/shell/part-scheduler.js';

const everyMs = { output: 33, network: 33, charts: 100, time: 250 };

test('paused, every dirty part is drawn at once, whatever its rate and cost', () => {
  const s = new PartScheduler({ everyMs });
  for (const part of ['output', 'charts', 'time']) s.drawn(part, 50, 1000);
  assert.deepEqual(s.choose(new Set(['output', 'charts', 'time', 'points']), 1001, false), ['output', 'charts', 'time', 'points']);
});

test('while playing, a part waits its interval; a part without one is drawn every frame', () => {
  const s = new PartScheduler({ everyMs });
  s.drawn('charts', 0.1, 1000);
  s.drawn('points', 0.1, 1000);
  const dirty = new Set(['charts', 'points']);
  assert.deepEqual(s.choose(dirty, 1050, true), ['points'], 'charts drawn 50 ms ago wait for 100');
  assert.deepEqual(s.choose(dirty, 1100, true).sort(), ['charts', 'points']);
});

test('a frame draws the most overdue parts that fit its budget, the first one always, the rest next', () => {
  const s = new PartScheduler({ everyMs, frameWorkMs: 5 });
  s.drawn('output', 4, 0);
  s.drawn('network', 4, 10); // less overdue than the output by 10 ms
  s.drawn('charts', 20, 0); // over the budget on its own
  const dirty = new Set(['output', 'network', 'charts']);
  // At 200: charts overdue by 100, output by 167, network by 157.
  assert.deepEqual(s.choose(dirty, 200, true), ['output'], 'the output (most overdue) fills the budget');
  s.drawn('output', 4, 200);
  dirty.delete('output');
  assert.deepEqual(s.choose(dirty, 216, true), ['network'], 'then the network; the charts do not fit beside it');
  s.drawn('network', 4, 216);
  dirty.delete('network');
  assert.deepEqual(s.choose(dirty, 232, true), ['charts'], 'the charts alone, over the budget: a part is never starved');
});

test('frames slower than the display stretch every rate but the main part, and ease back when they keep up', () => {
  const s = new PartScheduler({ everyMs, mainPart: 'output', maxSlowdown: 4 });
  const times = [];
  const frames = (n, ms) => {
    for (let i = 0; i < n; ++i) {
      times.push((times.at(-1) ?? 0) + ms);
      if (times.length > 60) times.shift();
      s.followFrames(times);
    }
  };
  frames(45, 1000 / 60);
  assert.equal(s.slowdown, 1, 'frames at the display rate stretch nothing');
  // One frame in four takes 100 ms: the display still shows in the quick ones, the mean is 37 ms.
  for (let k = 0; k < 40; ++k) {
    frames(3, 1000 / 60);
    frames(1, 100);
  }
  assert.equal(s.slowdown, 4, 'slow frames stretch the rates up to the most allowed');
  s.drawn('network', 1, 0);
  s.drawn('output', 1, 0);
  const dirty = new Set(['network', 'output']);
  assert.deepEqual(s.choose(dirty, 40, true), ['output'], 'the main part keeps its 33 ms');
  assert.deepEqual(s.choose(dirty, 4 * 33, true).sort(), ['network', 'output'], 'the network waits 4 x 33 ms');
  frames(120, 1000 / 60);
  assert.equal(s.slowdown, 1, 'frames that keep up ease the stretch back');
});
