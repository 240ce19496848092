// How one engine is measured on one workload, and the checks that keep a fast wrong engine from winning.
//
// An engine is a module whose default export is either
//   stepwise: { name, async setup(workload, data) -> info, trainSteps(n) -> examples trained (may be
//               async), loss() -> mean objective over its training set, heatmap(grid) -> one output per
//               grid point, dispose(), optional liveTensors() -> count, optional available() -> reason or null }
//   self-timed: { name, async measure(workload, data, protocol) -> { info, initialLoss, checkLoss,
//               finalLoss, trainRounds, heatmapRounds, heatmap }, optional available() }, for an engine that
//               times itself in another process (the native program) by the same protocol.
// Rounds are { units (examples or grids), calls (steps or heatmaps), seconds, rate = units / seconds,
// cpuSeconds }: the process's CPU time in the round, which shows when other work on the machine took the
// core away (cpuSeconds well below seconds) and the figure is low for that reason.
// Either way the harness applies the same checks to what comes back.
import { GRID_SIDE } from './workloads.mjs';

export const PROTOCOL = {
  // Every engine first trains exactly this many steps, untimed: the same amount of learning for the loss
  // check whatever the engine's speed (the JS peers, from the same weights and batches, should then
  // report nearly the same loss), and a warm-up for JITs, kernels and caches.
  checkSteps: 1000,
  trainRounds: 5, // the reported rate is the median round: robust to a neighbour's burst of work
  trainRoundSeconds: 0.4,
  heatmapRounds: 3,
  heatmapRoundSeconds: 0.3,
  chunkSeconds: 0.02, // work is timed in chunks this long, so timer overhead is negligible
  maxLossRatio: 0.5, // after all training, the training-set loss must be below half the initial one
  minGridAccuracy: 0.8, // and the heatmap must classify the grid's clear-cut pixels mostly right
};

// For trying the harness out: the same checks, short timings (the figures are rough).
export const QUICK_PROTOCOL = {
  ...PROTOCOL,
  trainRounds: 2,
  trainRoundSeconds: 0.1,
  heatmapRounds: 1,
  heatmapRoundSeconds: 0.05,
};

const now = () => performance.now() / 1000;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Doubles the chunk until one takes chunkSeconds, so slow and fast engines are both timed in coarse chunks.
async function calibrate(run, chunkSeconds) {
  let n = 1;
  for (;;) {
    const t0 = now();
    await run(n);
    if (now() - t0 >= chunkSeconds || n >= 1 << 20) return n;
    n *= 2;
  }
}

// Runs `rounds` rounds of at least roundSeconds each; run(n) returns the units done (examples or grids).
async function timedRounds(run, chunk, rounds, roundSeconds) {
  const out = [];
  for (let r = 0; r < rounds; ++r) {
    let units = 0,
      calls = 0;
    const cpu0 = process.cpuUsage();
    const t0 = now();
    let elapsed = 0;
    while (elapsed < roundSeconds) {
      units += await run(chunk);
      calls += chunk;
      elapsed = now() - t0;
    }
    const cpu = process.cpuUsage(cpu0);
    out.push({ units, calls, seconds: elapsed, rate: units / elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  return out;
}

async function measureStepwise(engine, workload, data, protocol) {
  const info = await engine.setup(workload, data);
  try {
    const initialLoss = await engine.loss();
    for (let done = 0; done < protocol.checkSteps; done += 100) await engine.trainSteps(Math.min(100, protocol.checkSteps - done));
    const checkLoss = await engine.loss();
    const tensorsBefore = engine.liveTensors?.();
    const train = (n) => engine.trainSteps(n);
    const trainChunk = await calibrate(train, protocol.chunkSeconds);
    const trainRounds = await timedRounds(train, trainChunk, protocol.trainRounds, protocol.trainRoundSeconds);
    const finalLoss = await engine.loss();

    let lastGrid = null;
    const heat = async (n) => {
      for (let i = 0; i < n; ++i) lastGrid = await engine.heatmap(data.grid);
      return n;
    };
    const heatChunk = await calibrate(heat, protocol.chunkSeconds);
    const heatmapRounds = await timedRounds(heat, heatChunk, protocol.heatmapRounds, protocol.heatmapRoundSeconds);
    const tensorsAfter = engine.liveTensors?.();
    const leaked = tensorsBefore === undefined ? 0 : tensorsAfter - tensorsBefore;
    return {
      info,
      initialLoss,
      checkLoss,
      finalLoss,
      trainRounds,
      heatmapRounds,
      heatmap: Array.from(lastGrid),
      error: leaked > 0 ? `leaked ${leaked} tensors during the timed work` : undefined,
    };
  } finally {
    await engine.dispose();
  }
}

// Pixels whose truth is clear-cut (inside radius 2.5, or in the ring 3.5..5 where the outer class lies):
// the fraction of them on the right side of zero.
export function gridAccuracy(heatmap, grid) {
  let right = 0,
    counted = 0;
  for (let k = 0; k < heatmap.length; ++k) {
    const r = Math.hypot(grid[2 * k], grid[2 * k + 1]);
    const truth = r < 2.5 ? 1 : r > 3.5 && r < 5 ? -1 : 0;
    if (truth === 0) continue;
    ++counted;
    if (Math.sign(heatmap[k]) === truth) ++right;
  }
  return counted ? right / counted : 0;
}

// The checks every engine's figures must pass to be counted; returns the reason it failed, or null.
export function check(result, data, protocol) {
  const { initialLoss, finalLoss, heatmap } = result;
  if (!Number.isFinite(initialLoss) || !Number.isFinite(finalLoss)) return `loss is not finite (${initialLoss} -> ${finalLoss})`;
  if (!(finalLoss < protocol.maxLossRatio * initialLoss)) {
    return `loss did not fall enough: ${initialLoss.toFixed(4)} -> ${finalLoss.toFixed(4)} (needs < ${protocol.maxLossRatio} x)`;
  }
  if (!heatmap || heatmap.length !== GRID_SIDE * GRID_SIDE) return `heatmap has ${heatmap?.length} values, not ${GRID_SIDE * GRID_SIDE}`;
  if (!heatmap.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)) return 'heatmap has values outside the tanh range [-1, 1]';
  const accuracy = gridAccuracy(heatmap, data.grid);
  if (accuracy < protocol.minGridAccuracy) return `heatmap classifies only ${(100 * accuracy).toFixed(1)}% of the clear pixels right`;
  return null;
}

// Engines that start from the workload's shared weights and batch order (info.sharedStart) have done the
// same arithmetic, up to float32 rounding, when the check steps end: their losses then must agree. Marks
// the ones that stray from the median as failed.
export function crossCheck(records, tolerance = 0.05) {
  const byWorkload = new Map();
  for (const r of records) {
    if (r.status !== 'ok' || !r.info?.sharedStart) continue;
    byWorkload.set(r.workload, [...(byWorkload.get(r.workload) ?? []), r]);
  }
  for (const group of byWorkload.values()) {
    if (group.length < 2) continue;
    const mid = median(group.map((r) => r.checkLoss));
    for (const r of group) {
      if (Math.abs(r.checkLoss - mid) > tolerance * mid + 1e-3) {
        r.status = 'failed';
        r.error = `loss after the check steps, ${r.checkLoss.toFixed(4)}, disagrees with the other peers' (median ${mid.toFixed(4)})`;
      }
    }
  }
}

// The adaptive heatmap is exact (grid.hpp): it may differ from predict in double by its float output only.
export const ADAPTIVE_TOLERANCE = 1e-6;
function adaptiveFailure(figures = []) {
  const off = figures.find((f) => f.applicable && !(f.adaptiveError <= ADAPTIVE_TOLERANCE));
  return off ? `the adaptive heatmap is ${off.adaptiveError} off predict at ${off.at} (more than ${ADAPTIVE_TOLERANCE})` : null;
}

// A record's figures from its timed rounds: each the median round's, so a neighbour's burst of work in a
// round or two does not move it. Also used when several passes' rounds are pooled (passes.mjs).
export function figures(trainRounds, heatmapRounds) {
  return {
    trainExamplesPerSecond: median(trainRounds.map((r) => r.rate)),
    trainStepsTimed: trainRounds.reduce((s, r) => s + r.calls, 0),
    trainRounds,
    trainCpuShare: median(trainRounds.map((r) => r.cpuSeconds / r.seconds)),
    // Per CPU-second: steadier than per second when other work shares the machine.
    trainExamplesPerCpuSecond: median(trainRounds.map((r) => r.units / r.cpuSeconds)),
    heatmapGridsPerSecond: median(heatmapRounds.map((r) => r.rate)),
    heatmapGridsPerCpuSecond: median(heatmapRounds.map((r) => r.units / r.cpuSeconds)),
    heatmapRounds,
  };
}

// Measures one engine on one workload and returns the record that goes into results.json.
export async function measure(engine, workload, data, protocol) {
  const record = { engine: engine.name, workload: workload.id, status: 'ok' };
  try {
    const raw = engine.measure ? await engine.measure(workload, data, protocol) : await measureStepwise(engine, workload, data, protocol);
    Object.assign(record, {
      info: raw.info,
      initialLoss: raw.initialLoss,
      checkLoss: raw.checkLoss,
      finalLoss: raw.finalLoss,
      ...figures(raw.trainRounds, raw.heatmapRounds),
      gridAccuracy: raw.heatmap ? gridAccuracy(raw.heatmap, data.grid) : null,
    });
    // The native engine's exact adaptive heatmap against its dense one (bench/native_bench.cpp).
    if (raw.adaptive) record.adaptive = raw.adaptive;
    const failure = raw.error ?? check(raw, data, protocol) ?? adaptiveFailure(raw.adaptive);
    if (failure) {
      record.status = 'failed';
      record.error = failure;
    }
  } catch (err) {
    record.status = 'failed';
    record.error = String(err?.stack ?? err);
  }
  return record;
}
