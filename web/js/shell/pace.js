// Training at a set pace: the steps a run owes at `perSecond` steps a second, kept to the wall clock from when
// the pace (re)started. A slow round is caught up in the next ones (within each round's budget), even on a
// machine so busy that a round takes seconds, and a fast engine does not run ahead of the pace a learner set.
// The playground's and the race's speeds both mean this, so one home.
// The debt is bounded, though: a tab in the background gets no frames, and a learner coming back after a
// minute must not see a minute of training happen at once (a paced race would jump to its end). Beyond
// MAX_DEBT_S seconds of steps the clock moves up, so the pace resumes from where the run is.

const MAX_DEBT_S = 3;

/**
 * Steps owed now at perSecond steps a second, for a run at `step`. holder.pace keeps the clock (set it to
 * null to restart it, as play() does); a new pace or a step behind the clock's start (a reset) restarts it.
 * Returns null for perSecond 0: as fast as possible.
 */
export function stepsOwed(holder, perSecond, step) {
  const now = performance.now();
  if (!holder.pace || holder.pace.perSecond !== perSecond || step < holder.pace.step) {
    holder.pace = { t0: now, step, perSecond };
  }
  if (!(perSecond > 0)) return null;
  const owed = holder.pace.step + Math.floor((perSecond * (now - holder.pace.t0)) / 1000) - step;
  const most = Math.ceil(perSecond * MAX_DEBT_S);
  if (owed > most) {
    holder.pace = { t0: now - (most * 1000) / perSecond, step, perSecond };
    return most;
  }
  return Math.max(0, owed);
}
