// The race's "time per step": what one training step of a network costs when it has the processor.
//
// A cumulative average (training time / steps) reads the machine, not the network: every round in which
// the worker was descheduled, or collected garbage, or trained this network first with cold caches, adds
// to it, and two networks doing the same arithmetic read 13 and 4 µs in one race. Here each round's time
// is a sample (merged with the next ones until they hold MIN_SAMPLE_MS, as the worker's clock is coarse),
// and the figure is the 10th percentile of the last WINDOW samples: interruptions only ever lengthen a
// sample, so the quickest tenth is the network's own cost, and networks doing the same work read alike.

const MIN_SAMPLE_MS = 2;
const WINDOW = 41;
const QUANTILE = 0.1;

export class StepTimer {
  /** warmUpSteps: steps left out before the first sample (the first ones pay for cold caches and JIT). */
  constructor(warmUpSteps) {
    this.warmUpSteps = warmUpSteps;
    this.last = null; // { ms, steps } at the end of the previous sample
    this.samples = []; // ms per step, oldest first
  }

  /** Notes a run's totals: its training time (ms) and the steps it took, at its current step. */
  note({ step, trainMs, trainedSteps }) {
    if (step < this.warmUpSteps) return;
    if (!this.last) {
      this.last = { ms: trainMs, steps: trainedSteps };
      return;
    }
    const ms = trainMs - this.last.ms;
    const steps = trainedSteps - this.last.steps;
    if (ms < MIN_SAMPLE_MS || steps <= 0) return;
    this.samples.push(ms / steps);
    if (this.samples.length > WINDOW) this.samples.shift();
    this.last = { ms: trainMs, steps: trainedSteps };
  }

  /** Milliseconds per step, or null before the first sample. */
  get msPerStep() {
    if (!this.samples.length) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.floor(QUANTILE * (sorted.length - 1))];
  }
}
