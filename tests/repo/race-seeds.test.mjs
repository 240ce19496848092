// The race's seeds per network (web/js/race/seeds.js), without a page: which seeds a network trains on, and
// the median and range the chart and the table show of its runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raceSeeds, summary } from '../../web/js/race/seeds.js';

test('a network on n seeds trains on seed, seed + 1, ..., wrapping past the largest seed to 0', () => {
  assert.deepEqual(raceSeeds(7, 1, 4294967295), [7], 'one seed: the race as it always was');
  assert.deepEqual(raceSeeds(1, 3, 4294967295), [1, 2, 3]);
  assert.deepEqual(raceSeeds(4294967294, 4, 4294967295), [4294967294, 4294967295, 0, 1]);
});

test('summary: the median (the mean of the middle two for an even count) and range of the finite values', () => {
  assert.deepEqual(summary([81, 69, 72]), { median: 72, min: 69, max: 81, n: 3 });
  assert.deepEqual(summary([0.4, 0.1, 0.3, 0.2]), { median: 0.25, min: 0.1, max: 0.4, n: 4 });
  assert.deepEqual(summary([2, NaN, Infinity, 1, null]), { median: 1.5, min: 1, max: 2, n: 2 }, 'a stopped seed is left out');
  assert.equal(summary([NaN]), null);
  assert.equal(summary([]), null);
});
