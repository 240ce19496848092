// Several passes over the engines, pooled: ratios that hold still on a shared machine.
//
// One pass times each engine in turn for a few seconds. A neighbour's job that starts during one engine's
// turn and ends before the next's slows that engine alone, and a ratio moves by 25-40% with the CPU-time
// share still reading 100% (two of issue 15's bench runs). So the engines run in several passes, in
// alternating order (a, b, c, then c, b, a, ...), each record's timed rounds are pooled over the passes and
// its figures are the pooled rounds' medians: a burst has to last most of the run to move a ratio.
import { figures } from './measure.mjs';

// The peers we compare with, and the engine the page runs.
export const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'convnetjs'];
export const OURS = 'ap-wasm';

/** The engines' order in pass p (from 0): as given, then reversed, and so on. */
export function passOrder(engines, p) {
  return p % 2 ? [...engines].reverse() : [...engines];
}

/**
 * One record per engine and workload from each pass's records (a list per pass): the first pass's record
 * with every pass's rounds and the pooled figures, and each pass's own figures under `passes`. A record
 * that failed or was skipped in any pass is reported as that pass's record (a wrong engine must not pass
 * because another pass went right).
 */
export function poolPasses(passes) {
  const pooled = [];
  for (const first of passes[0]) {
    const same = passes.map((records) => records.find((r) => r.engine === first.engine && r.workload === first.workload));
    const bad = same.findIndex((r) => r?.status !== 'ok');
    if (passes.length === 1 || bad >= 0) {
      pooled.push(bad < 0 ? first : (same[bad] ?? { ...first, status: 'failed', error: `missing from pass ${bad + 1}` }));
      continue;
    }
    pooled.push({
      ...first,
      ...figures(
        same.flatMap((r) => r.trainRounds),
        same.flatMap((r) => r.heatmapRounds),
      ),
      passes: same.map((r) => ({
        trainExamplesPerCpuSecond: r.trainExamplesPerCpuSecond,
        heatmapGridsPerCpuSecond: r.heatmapGridsPerCpuSecond,
        finalLoss: r.finalLoss,
      })),
    });
  }
  return pooled;
}

/**
 * Ours against the best peer per CPU-second, per workload: training and heatmap, pooled and in each pass
 * (the spread over passes says how steady the machine was). Rows of strings, or null with nothing to compare.
 */
export function ratioRows(records, workloads) {
  const rows = [];
  const ok = (w, e) => records.find((r) => r.workload === w && r.engine === e && r.status === 'ok');
  for (const w of workloads) {
    const ours = ok(w, OURS);
    const peers = PEERS.map((e) => ok(w, e)).filter(Boolean);
    if (!ours || !peers.length) continue;
    for (const [what, key] of [
      ['training', 'trainExamplesPerCpuSecond'],
      ['heatmap', 'heatmapGridsPerCpuSecond'],
    ]) {
      const best = peers.reduce((a, b) => (b[key] > a[key] ? b : a));
      const each = (ours.passes ?? []).map((p, i) => p[key] / best.passes[i][key]);
      rows.push({ workload: w, what, peer: best.engine, ratio: ours[key] / best[key], passes: each });
    }
  }
  return rows.length ? rows : null;
}
