// The race's "time per step": what one training step of a network costs when it has the processor.
//
// A cumulative average (training time / steps) reads the machine, not the network: every round in which
// the worker was descheduled, or collected garbage, or trained this network first with cold caches, adds
// to it, and two networks doing the same arithmetic read 13 and 4 µs in one race. Here each round's time
// is a sample (merged with the next ones until they hold MIN_SAMPLE_MS, as the worker's clock is coarse),
// and the figure is the 10th percentile of the last WINDOW samples: interruptions only ever lengthen a
// sample, so the quickest tenth is the network's own cost, and networks doing the same work read alike.
// A short race of a small network can end before one sample fills (900 steps of a 2-8-8-1 network are
// about 2 ms); then the time since the warm-up, however short, is all there is, and better than nothing;
// and until a step after the warm-up is timed (in the warm-up, or a race shorter than it), the whole run's
// average is.

const MIN_SAMPLE_MS = 2;
const WINDOW = 41;
const QUANTILE = 0.1;

export class StepTimer {
  /** warmUpSteps: steps left out before the first sample (the first ones pay for cold caches and JIT). */
  constructor(warmUpSteps) {
    this.warmUpSteps = warmUpSteps;
    this.last = null; // { ms, steps } at the end of the previous sample (or of the warm-up)
    this.total = null; // { ms, steps } of the whole run so far, warm-up included
    this.samples = []; // ms per step, oldest first
  }

  /** Notes a run's totals: its training time (ms) and the steps it took, at its current step. */
  note({ step, trainMs, trainedSteps }) {
    // A worker restarted from a snapshot counts its time and steps from zero again: start over from there.
    if (trainedSteps < (this.total?.steps ?? 0)) this.last = null;
    this.total = { ms: trainMs, steps: trainedSteps };
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

  /** Milliseconds per step, or null before any step was timed. */
  get msPerStep() {
    if (!this.samples.length) {
      // Not a sample yet: the time since the warm-up if any was timed, else the whole run's.
      const since = this.last && this.total.steps > this.last.steps ? this.last : { ms: 0, steps: 0 };
      const ms = (this.total?.ms ?? 0) - since.ms;
      const steps = (this.total?.steps ?? 0) - since.steps;
      return ms > 0 && steps > 0 ? ms / steps : null;
    }
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.floor(QUANTILE * (sorted.length - 1))];
  }
}
