// The benchmark harness: every engine on every workload, in one run, side by side.
//
//   node bench/run.mjs [--engines a,b] [--workloads W1,W3] [--passes N] [--quick] [--out file.json]
//
// Each engine runs in its own Node process, so one library's JIT state, heap and global backend never
// slow down or speed up another's; the engines run one after another, never at once, on this 2-core
// machine, in N passes (3; 1 with --quick) whose rounds are pooled (passes.mjs). Prints a table and
// writes bench/results.json (every round of every figure).
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { measureCeiling } from './ceiling.mjs';
import { crossCheck, measure, PROTOCOL, QUICK_PROTOCOL } from './measure.mjs';
import { OURS, passOrder, poolPasses, ratioRows } from './passes.mjs';
import {
  circlePoints,
  CORE_ENGINES,
  FORMULA_MAX_RATIO,
  GRID_SIDE,
  gridPoints,
  layerSizes,
  NUM_POINTS,
  SEED,
  WORKLOADS,
} from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// Engine names, each a module bench/engines/NAME.mjs. Adding an engine is a file and a name here.
export const ENGINES = ['tfjs-cpu', 'tfjs-wasm', 'convnetjs', 'ap-wasm', 'ap-native'];

function parseArgs(argv) {
  const args = {
    engines: ENGINES,
    workloads: WORKLOADS.map((w) => w.id),
    quick: false,
    passes: null,
    out: path.join(here, 'results.json'),
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--engines') args.engines = value().split(',');
    else if (a === '--workloads') args.workloads = value().split(',');
    else if (a === '--quick') args.quick = true;
    else if (a === '--passes') {
      args.passes = Number(value());
      if (!Number.isInteger(args.passes) || args.passes < 1 || args.passes > 10)
        throw new Error('--passes needs a whole number from 1 to 10');
    } else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--child') args.child = value();
    else throw new Error(`unknown argument '${a}' (use --engines, --workloads, --passes, --quick, --out)`);
  }
  args.passes ??= args.quick ? 1 : 3;
  for (const e of args.engines)
    if (!ENGINES.includes(e)) throw new Error(`--engines: unknown engine '${e}' (known: ${ENGINES.join(', ')})`);
  const ids = WORKLOADS.map((w) => w.id);
  for (const w of args.workloads) if (!ids.includes(w)) throw new Error(`--workloads: unknown workload '${w}' (known: ${ids.join(', ')})`);
  return args;
}

function benchData() {
  return { points: circlePoints(NUM_POINTS, SEED), grid: gridPoints() };
}

// In the child: load one engine, measure it on each workload, send the records to the parent.
async function runChild(args) {
  let engine;
  try {
    engine = (await import(`./engines/${args.child}.mjs`)).default;
  } catch (err) {
    const hint = ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes(err?.code) ? ' (install the peers: npm install --prefix bench)' : '';
    for (const id of args.workloads)
      process.send({ record: { engine: args.child, workload: id, status: 'failed', error: `${err.message.split('\n')[0]}${hint}` } });
    return;
  }
  const protocol = args.quick ? QUICK_PROTOCOL : PROTOCOL;
  const data = benchData();
  const unavailable = (await engine.available?.()) ?? null;
  for (const id of args.workloads) {
    const workload = WORKLOADS.find((w) => w.id === id);
    const why = unavailable ?? (workload.builtin && !CORE_ENGINES.includes(engine.name) ? 'a formula workload: the core only' : null);
    const record = why
      ? { engine: engine.name, workload: id, status: 'skipped', error: why }
      : await measure(engine, workload, data, protocol);
    process.send({ record });
  }
}

function runEngine(name, args) {
  return new Promise((resolve) => {
    const records = [];
    const childArgs = ['--child', name, '--workloads', args.workloads.join(',')];
    if (args.quick) childArgs.push('--quick');
    const child = fork(fileURLToPath(import.meta.url), childArgs, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('message', ({ record }) => {
      records.push(record);
      console.log(`  ${record.workload} ${name}: ${summary(record)}`);
    });
    child.on('exit', (code, signal) => {
      // A crashed engine still gets a record per workload, so the table shows what happened.
      for (const id of args.workloads) {
        if (!records.some((r) => r.workload === id)) {
          records.push({ engine: name, workload: id, status: 'failed', error: `engine process exited (${signal ?? `code ${code}`})` });
        }
      }
      resolve(records);
    });
  });
}

const fmt = (v, digits = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';

function summary(r) {
  if (r.status === 'skipped') return `skipped: ${r.error}`;
  if (r.status === 'failed' && r.trainExamplesPerSecond === undefined) return `FAILED: ${r.error.split('\n')[0]}`;
  const figures = `${fmt(r.trainExamplesPerSecond)} ex/s, ${fmt(r.heatmapGridsPerSecond, 1)} grids/s, loss ${fmt(r.initialLoss, 3)} -> ${fmt(r.finalLoss, 3)}`;
  return r.status === 'ok' ? figures : `${figures}, FAILED: ${r.error}`;
}

// Parameters of a workload's network (weights and biases), from its layer sizes.
export function parameterCount(workload) {
  const sizes = layerSizes(workload);
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; ++l) n += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return n;
}

// Effective GFLOP/s: the arithmetic a dense implementation must do, whatever an engine skips. Training an
// example is about 6 flops per parameter (a multiply and an add per weight forward, and twice that
// backward: the input gradient and the weight gradient); a map point is 2 per parameter (forward only).
// Per wall second and per CPU-second; the share of the wasm SIMD ceiling uses the per-CPU-second figure and
// the f32x4 ceiling (the highest any engine here can reach; an engine that skips zero terms, as ours does,
// can show more than 100%).
function addGflops(record, workload, ceiling) {
  if (record.status !== 'ok') return;
  const params = parameterCount(workload);
  const train = (6 * params) / 1e9,
    map = (2 * params * GRID_SIDE * GRID_SIDE) / 1e9;
  record.parameters = params;
  record.trainGflops = train * record.trainExamplesPerSecond;
  record.trainGflopsPerCpuSecond = train * record.trainExamplesPerCpuSecond;
  record.heatmapGflops = map * record.heatmapGridsPerSecond;
  record.heatmapGflopsPerCpuSecond = map * record.heatmapGridsPerCpuSecond;
  if (Number.isFinite(ceiling?.f32x4)) {
    record.trainShareOfCeiling = record.trainGflopsPerCpuSecond / ceiling.f32x4;
    record.heatmapShareOfCeiling = record.heatmapGflopsPerCpuSecond / ceiling.f32x4;
  }
}

function gflopsTable(records, workloads) {
  const head = ['workload', 'params', 'engine', 'train GFLOP/cpu-s', '% ceiling', 'map GFLOP/cpu-s', '% ceiling'];
  const rows = [];
  for (const id of workloads) {
    for (const r of records.filter((x) => x.workload === id && x.status === 'ok')) {
      rows.push([
        id,
        fmt(r.parameters),
        r.engine,
        fmt(r.trainGflopsPerCpuSecond, 3),
        fmt(100 * r.trainShareOfCeiling, 1),
        fmt(r.heatmapGflopsPerCpuSecond, 2),
        fmt(100 * r.heatmapShareOfCeiling, 1),
      ]);
    }
  }
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row) =>
    row
      .map((cell, c) => (c === 0 || c === 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// Each formula workload against its built-in twin, per engine: time per trained example (per CPU-second,
// the steadier figure on a shared machine) of the formula network over the built-in's. A ratio above
// FORMULA_MAX_RATIO fails the formula's record.
function formulaRatios(records) {
  const rows = [];
  for (const w of WORKLOADS.filter((x) => x.builtin)) {
    for (const f of records.filter((r) => r.workload === w.id && r.status === 'ok')) {
      const b = records.find((r) => r.workload === w.builtin && r.engine === f.engine && r.status === 'ok');
      if (!b) continue;
      const ratio = b.trainExamplesPerCpuSecond / f.trainExamplesPerCpuSecond;
      f.formulaRatio = ratio;
      if (!(ratio <= FORMULA_MAX_RATIO)) {
        f.status = 'failed';
        f.error = `the formula network takes ${ratio.toFixed(2)}x the time of ${w.builtin}'s built-in, more than ${FORMULA_MAX_RATIO}x`;
      }
      rows.push(
        `  ${w.id} against ${w.builtin}, ${f.engine}: ${ratio.toFixed(2)}x the built-in's time per example (at most ${FORMULA_MAX_RATIO}x)`,
      );
    }
  }
  return rows;
}

// The exact adaptive heatmap (native engine): at the start, after the check steps and at the end of each
// piecewise-linear workload, the regions in view, the share of pixels it evaluated (the rest interpolated)
// and its CPU time over the dense pass's (above 1, the dense pass is the faster one); each map's largest
// error against predict in double.
function adaptiveTable(records, workloads) {
  const rows = [];
  for (const id of workloads) {
    for (const r of records.filter((x) => x.workload === id && x.adaptive)) {
      for (const f of r.adaptive.filter((a) => a.applicable)) {
        const pixels = f.evaluated + f.interpolated;
        rows.push([
          id,
          f.at,
          fmt(f.regions),
          `${fmt((100 * f.evaluated) / pixels, 1)}%`,
          `${fmt((100 * f.interpolated) / pixels, 1)}%`,
          fmt(f.denseMs, 3),
          fmt(f.adaptiveMs, 3),
          `${fmt(f.adaptiveMs / f.denseMs, 2)}x`,
          f.adaptiveError.toExponential(1),
          f.denseError.toExponential(1),
        ]);
      }
    }
  }
  if (!rows.length) return null;
  const head = [
    'workload',
    'at',
    'regions',
    'evaluated',
    'interpolated',
    'dense ms',
    'adaptive ms',
    'adaptive/dense',
    'adaptive err',
    'dense err',
  ];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row) =>
    row
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function table(records, workloads) {
  const head = [
    'workload',
    'engine',
    'train ex/s',
    'ex/cpu-s',
    'heatmap grids/s',
    'grids/cpu-s',
    'cpu',
    'loss: start, checked, end',
    'grid acc',
    'status',
  ];
  const rows = [];
  for (const id of workloads) {
    for (const r of records.filter((x) => x.workload === id)) {
      const ok = r.status === 'ok';
      rows.push([
        id,
        r.engine,
        ok ? fmt(r.trainExamplesPerSecond) : '-',
        ok ? fmt(r.trainExamplesPerCpuSecond) : '-',
        ok ? fmt(r.heatmapGridsPerSecond, 1) : '-',
        ok ? fmt(r.heatmapGridsPerCpuSecond, 1) : '-',
        Number.isFinite(r.trainCpuShare) ? `${fmt(100 * r.trainCpuShare)}%` : '-',
        r.initialLoss === undefined ? '-' : [r.initialLoss, r.checkLoss, r.finalLoss].map((v) => fmt(v, 4)).join(', '),
        Number.isFinite(r.gridAccuracy) ? `${fmt(100 * r.gridAccuracy, 1)}%` : '-',
        r.status === 'ok' ? 'ok' : `${r.status}: ${String(r.error).split('\n')[0].split(' (build it')[0]}`,
      ]);
    }
  }
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const numeric = new Set([2, 3, 4, 5, 6]);
  const line = (row) =>
    row
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) return runChild(args);

  const started = Date.now();
  // The ceiling first, in this process, before any engine runs.
  const ceiling = await measureCeiling();
  const passes = [];
  for (let p = 0; p < args.passes; ++p) {
    const records = [];
    for (const name of passOrder(args.engines, p)) {
      console.log(args.passes > 1 ? `${name} (pass ${p + 1} of ${args.passes}):` : `${name}:`);
      records.push(...(await runEngine(name, args)));
    }
    passes.push(records);
  }
  const records = poolPasses(passes);
  crossCheck(records);
  const ratios = formulaRatios(records);
  for (const r of records)
    addGflops(
      r,
      WORKLOADS.find((w) => w.id === r.workload),
      ceiling,
    );
  const seconds = (Date.now() - started) / 1000;
  const workloads = WORKLOADS.filter((w) => args.workloads.includes(w.id));
  console.log(`\n${table(records, args.workloads)}\n`);
  console.log("cpu: the engine's CPU time over wall time while training; well below 100%, other work took the core, and");
  console.log("the per-CPU-second figures (units over the process's CPU time, JIT and GC threads included) are the steadier ones.");
  if (ceiling.error) console.log(`\nwasm SIMD ceiling: not measured, ${ceiling.error}`);
  else
    console.log(
      `\nwasm SIMD ceiling of this machine, one thread, per CPU-second: ${fmt(ceiling.f32x4, 1)} GFLOP/s f32x4, ${fmt(ceiling.f64x2, 1)} GFLOP/s f64x2\n(${ceiling.how}).`,
    );
  console.log(
    `Effective GFLOP/s (6 x parameters per trained example, 2 x parameters per map point) and their share of the f32x4 ceiling:\n\n${gflopsTable(records, args.workloads)}\n`,
  );
  const vs = ratioRows(records, args.workloads);
  if (vs) {
    const several = args.passes > 1;
    console.log(`${OURS} against the best peer, per CPU-second, rounds pooled over ${args.passes} pass${several ? 'es (each pass)' : ''}:`);
    for (const r of vs) {
      const each = several ? ` (${r.passes.map((x) => `${x.toFixed(2)}x`).join(', ')})` : '';
      console.log(`  ${r.workload} ${r.what}: ${r.ratio.toFixed(2)}x ${r.peer}${each}`);
    }
    console.log('');
  }
  if (ratios.length) console.log(`Your own activation, typed as a formula, against the same built-in:\n${ratios.join('\n')}\n`);
  const adaptive = adaptiveTable(records, args.workloads);
  if (adaptive)
    console.log(
      `The exact adaptive heatmap (ap-native, 100 x 100, CPU time per grid) against the dense pass the page uses:\n\n${adaptive}\n`,
    );
  const count = (status) => records.filter((r) => r.status === status).length;
  console.log(
    `${count('ok')} runs passed their checks, ${count('failed')} failed, ${count('skipped')} skipped; ${seconds.toFixed(0)} s in all.`,
  );

  const results = {
    generated: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpu: os.cpus()[0]?.model, cores: os.cpus().length },
    protocol: args.quick ? QUICK_PROTOCOL : PROTOCOL,
    quick: args.quick,
    passes: args.passes,
    data: { dataset: 'circle (TF Playground, no noise)', points: NUM_POINTS, seed: SEED, grid: '100 x 100 over [-6, 6]^2' },
    workloads: workloads.map((w) => ({ ...w, parameters: parameterCount(w) })),
    ceiling,
    seconds,
    results: records,
    againstBestPeer: vs,
  };
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Figures written to ${path.relative(process.cwd(), args.out) || args.out}`);
  // Every figure is written first; then a failed check fails the command, as a wrong engine must not pass.
  if (count('failed') > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err?.message ?? err);
  process.exit(2);
});
