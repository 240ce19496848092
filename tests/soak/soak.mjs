// Memory soak through the wasm module (issue 6): a million training steps on one session, then 1,000
// create/train/delete cycles of networks of varied sizes, with failed creations and imports mixed in.
// Reports Playground.memory() (memoryBytes: the wasm memory; heapInUse: bytes malloc holds for live
// objects) after the first chunk or cycle and at the end, and fails when the end is more than
// SOAK_TOLERANCE (default 2%) above it: memory that only grows across the same kind of work is a leak.
// heapInUse may also grow by 4 KiB, since with every session deleted it is a few hundred bytes, whose 2%
// is less than one allocation; a leak of 8 bytes a cycle still exceeds that over 1,000 cycles.
// Phase 1's run keeps snapshots for time travel (core/timeline.hpp), which grow by design within their
// budget: it ends by going back to the first chunk's step and branching there, and compares memory less
// what the timeline holds.
//
//   node tests/soak/soak.mjs [--quick]      AP_WASM_DIR picks the build (default build/wasm/out)
// --quick runs a tenth of each phase (100,000 steps, 100 cycles), for a short check.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const wasmDir = path.resolve(process.env.AP_WASM_DIR ?? path.join(root, 'build/wasm/out'));
const quick = process.argv.includes('--quick');
const tolerance = Number(process.env.SOAK_TOLERANCE ?? 0.02);
const totalSteps = quick ? 100_000 : 1_000_000;
const cycles = quick ? 100 : 1_000;
const stepsPerCall = 10_000;
const heapSlack = 4096;

const { loadPlayground, PlaygroundError } = await import(pathToFileURL(path.join(wasmDir, 'playground.mjs')).href);
const playground = await loadPlayground({ wasmBinary: fs.readFileSync(path.join(wasmDir, 'ap_core.wasm')) });

// A small deterministic generator (mulberry32), so every run soaks the same sequence of networks.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(20240606);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const activations = playground.activations();
const classification = ['circle', 'xor', 'gaussians', 'spiral', 'spiral3', 'moons', 'checkerboard'];
const regression = ['sine', 'abs', 'step', 'cubic', 'plane', 'multi_gaussian'];
const optimizers = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam'];

function headFor(dataset) {
  if (regression.includes(dataset)) return 'linear_mse';
  if (dataset === 'spiral3') return 'softmax_ce';
  return pick(['sigmoid_bce', 'tanh_mse', 'softmax_ce']);
}

// Cycle 0 is the largest network the soak builds (6 layers of 64 units, 1,000 points, batch 64), so the
// wasm memory reaches its high-water mark in the first cycle and later growth can only mean a leak.
function cycleConfig(cycle) {
  const largest = cycle === 0;
  const dataset = largest ? 'spiral3' : pick([...classification, ...regression]);
  const layers = largest ? 6 : between(0, 6);
  const hidden = Array.from({ length: layers }, () => ({
    units: largest ? 64 : between(1, 64),
    activation: largest ? 'prelu' : pick(activations),
  }));
  return {
    seed: cycle,
    data: { dataset, num_points: largest ? 1000 : between(20, 1000), noise: 0.1 },
    network: {
      features: ['x1', 'x2', 'x1*x2'],
      hidden,
      head: headFor(dataset),
    },
    training: { optimizer: largest ? 'adam' : pick(optimizers), learning_rate: 0.01, batch_size: largest ? 64 : between(1, 64) },
  };
}

function expectError(what, action) {
  try {
    action();
  } catch (error) {
    if (error instanceof PlaygroundError) return;
    throw error;
  }
  throw new Error(`${what} was accepted`);
}

function mib(bytes) {
  return `${(bytes / 1048576).toFixed(2)} MiB`;
}

// `memoryAllowance`: bytes the wasm memory may grow by design (wasm memory never shrinks, so room the
// snapshots once took stays); beyond it, the 2% tolerance applies.
function report(name, first, last, memoryAllowance = 0) {
  const growth = (last.memoryBytes - first.memoryBytes) / first.memoryBytes;
  const heapGrowth = (last.heapInUse - first.heapInUse) / Math.max(first.heapInUse, 1);
  console.log(`${name}:`);
  console.log(
    `  after the first: memoryBytes ${first.memoryBytes} (${mib(first.memoryBytes)}), heapInUse ${first.heapInUse} (${mib(first.heapInUse)})`,
  );
  console.log(
    `  at the end:      memoryBytes ${last.memoryBytes} (${mib(last.memoryBytes)}), heapInUse ${last.heapInUse} (${mib(last.heapInUse)})`,
  );
  console.log(`  growth: memoryBytes ${(100 * growth).toFixed(2)}%, heapInUse ${(100 * heapGrowth).toFixed(2)}%`);
  const failures = [];
  if (last.memoryBytes - memoryAllowance - first.memoryBytes > tolerance * first.memoryBytes)
    failures.push(`${name}: memoryBytes grew ${(100 * growth).toFixed(2)}%`);
  if (last.heapInUse - first.heapInUse > Math.max(tolerance * first.heapInUse, heapSlack)) {
    failures.push(`${name}: heapInUse grew ${last.heapInUse - first.heapInUse} bytes (${(100 * heapGrowth).toFixed(2)}%)`);
  }
  return failures;
}

// heapInUse less what the session's timeline says it holds (snapshots, unit events, its vectors' spare room).
// After going back, it keeps the same snapshots as after the first chunk, but its vectors keep the capacity
// they grew to; subtracting the whole timeline on both sides compares the rest exactly.
function withoutTimeline(memory, session) {
  const t = session.timeline();
  return { ...memory, heapInUse: memory.heapInUse - t.bytes };
}

const started = performance.now();
const failures = [];

// ---- Phase 1: a million steps on one session, with what the page does between frames ----
{
  // The core builds its JSON field tables once, on first use, and keeps them for the module's life: one
  // session that reads and writes JSON first, so the baseline counts them and a leak is what remains.
  const warm = playground.createSession({ seed: 1 });
  warm.update({ training: { learning_rate: 0.01 } });
  warm.exportModel();
  warm.dispose();
  const before = playground.memory();
  const session = playground.createSession({
    seed: 1,
    data: { dataset: 'spiral', num_points: 500, noise: 0.1 },
    network: {
      hidden: [
        { units: 8, activation: 'relu' },
        { units: 8, activation: 'tanh' },
      ],
      head: 'sigmoid_bce',
    },
    training: { optimizer: 'adam', learning_rate: 0.003, batch_size: 10 },
  });
  let first = null;
  let firstStep = 0;
  let mostTimelineBytes = 0;
  let done = 0;
  for (let chunk = 0; done < totalSteps; ++chunk) {
    const status = session.train(Math.min(stepsPerCall, totalSteps - done));
    if (status.diverged) throw new Error(`phase 1 diverged: ${status.reason}`);
    done += status.steps;
    session.metrics();
    session.heatmap({ width: 64, height: 64 });
    session.unitHeatmaps({ width: 16, height: 16 });
    session.diagnostics(40);
    mostTimelineBytes = Math.max(mostTimelineBytes, session.timeline().bytes);
    if (chunk % 10 === 0) session.update({ training: { learning_rate: chunk % 20 === 0 ? 0.003 : 0.002 } });
    if (chunk === 0) {
      first = withoutTimeline(playground.memory(), session);
      firstStep = session.step;
    }
  }
  if (session.step !== totalSteps) throw new Error(`phase 1 trained ${session.step} steps, not ${totalSteps}`);
  // The run's snapshots (time travel) grow by design, within their budget. To compare like with like, go
  // back to the first chunk's step and change the rate there, as a learner would: a new branch drops the
  // later snapshots, and what stays above the first figure, beyond the timeline's own bytes (its vectors'
  // spare capacity), is a leak.
  const timeline = session.timeline();
  mostTimelineBytes = Math.max(mostTimelineBytes, timeline.bytes);
  console.log(`  snapshots before going back: ${timeline.kept}, ${timeline.bytes} bytes of a ${timeline.budget}-byte budget`);
  if (timeline.bytes > timeline.budget) failures.push(`phase 1: the snapshots hold ${timeline.bytes} bytes, over their budget`);
  session.seek(firstStep);
  session.update({ training: { learning_rate: 0.003 } });
  // Measured with the session still alive, like the first figure, so both count the same objects.
  const last = withoutTimeline(playground.memory(), session);
  failures.push(
    ...report(
      `phase 1: ${totalSteps.toLocaleString('en')} steps on one session, then back to step ${firstStep}`,
      first,
      last,
      mostTimelineBytes,
    ),
  );
  session.dispose();
  const after = playground.memory();
  console.log(`  deleted: heapInUse ${after.heapInUse} (before the session was created: ${before.heapInUse})`);
  if (after.heapInUse > before.heapInUse)
    failures.push(`phase 1: deleting the session left ${after.heapInUse - before.heapInUse} bytes in use`);
}

// ---- Phase 2: create, train, inspect, save and load, delete ----
{
  let first = null;
  let trained = 0;
  for (let cycle = 0; cycle < cycles; ++cycle) {
    const session = playground.createSession(cycleConfig(cycle));
    trained += session.train(between(20, 200)).steps;
    session.trainFor(1, 50);
    session.metrics();
    session.heatmap({ width: between(8, 96), height: between(8, 96) });
    session.unitHeatmaps({ width: 12, height: 12 });
    session.diagnostics(between(1, 100));
    session.setWeights(session.weights());
    if (cycle % 10 === 0) playground.importModel(session.exportModel()).dispose();
    session.dispose();
    // Failures allocate and throw inside the core: their memory must come back too.
    expectError('a config with too many layers', () =>
      playground.createSession({ network: { hidden: Array.from({ length: 13 }, () => ({ units: 2 })) } }),
    );
    expectError('a truncated model', () => playground.importModel('{"format_version":1,"kind":"model","config":{'));
    if (cycle === 0) first = playground.memory();
  }
  const last = playground.memory();
  failures.push(...report(`phase 2: ${cycles} create/train/delete cycles (${trained.toLocaleString('en')} steps)`, first, last));
}

console.log(`soak took ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failures.length > 0) {
  console.error(`soak FAILED (tolerance ${(100 * tolerance).toFixed(0)}%):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`soak passed: memory at the end within ${(100 * tolerance).toFixed(0)}% of after the first chunk or cycle`);
