// A race over several seeds: which seeds a network trains on, and the summary the chart and the table show
// of its runs (median and range). No DOM here, so Node tests can use it too.

/**
 * The seeds of a network run on `n` seeds: seed, seed + 1, ..., seed + n - 1, wrapping past `maxSeed` to 0,
 * so the first is always the race's own seed and a race on one seed is the race it always was.
 */
export function raceSeeds(seed, n, maxSeed) {
  return Array.from({ length: n }, (_, k) => (seed + k) % (maxSeed + 1));
}

/** { median, min, max, n } of the finite values (the middle two's mean for an even count); null if none. */
export function summary(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v.at(-1), n: v.length };
}
