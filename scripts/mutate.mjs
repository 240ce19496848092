// The mutation runner behind `npm run mutate` (see scripts/mutate.sh). Mutations match by exact source text,
// never line numbers, so code that moves does not silently mutate the wrong line: a text found zero times or
// more than once stops the run before anything is built, naming the mutation to re-anchor.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const list = JSON.parse(fs.readFileSync(path.join(root, 'tests/mutate/mutations.json'), 'utf8'));
const jobs = process.env.AP_JOBS && Number(process.env.AP_JOBS) <= 2 ? process.env.AP_JOBS : '2';
const scratch = path.resolve(process.env.AP_MUTATE_DIR ?? path.join(root, 'build/mutate'));
const src = path.join(scratch, 'src');
const build = path.join(src, 'build/native-release');
const only = process.argv.slice(2).map(Number);
// In the order given on the command line (the most telling first, when time is short), else the list's.
const all = list.map((m, i) => ({ ...m, index: i }));
const chosen = only.length === 0 ? all : only.map((i) => all[i]).filter(Boolean);

// 1. Every anchor exactly once in the working tree, before spending a build on any of them.
const broken = [];
for (const m of chosen) {
  const text = fs.readFileSync(path.join(root, m.file), 'utf8');
  const count = text.split(m.find).length - 1;
  if (count !== 1) broken.push(`#${m.index} ${m.file}: text found ${count} times (${m.why}):\n    ${m.find}`);
  if (m.find === m.replace) broken.push(`#${m.index} ${m.file}: replace equals find`);
}
if (broken.length) {
  console.error(`mutate: ${broken.length} mutation(s) no longer match the source; re-anchor them in tests/mutate/mutations.json:`);
  for (const b of broken) console.error(`  ${b}`);
  process.exit(2);
}
if (list.length < 30) {
  console.error(`mutate: the list has ${list.length} mutations; it should have at least 30`);
  process.exit(2);
}

// 2. A scratch copy of the tracked files (the working tree's versions, so uncommitted edits count too). Files
// whose content is unchanged keep their time stamps, so a second run rebuilds only what changed.
fs.mkdirSync(src, { recursive: true });
// AP_MUTATE_REUSE=1 keeps build/mutate/src as it is (a rerun of some mutations on the same snapshot).
const files = process.env.AP_MUTATE_REUSE
  ? []
  : execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })
      .toString()
      .split('\0')
      .filter((f) => f && !f.startsWith('node_modules/') && fs.existsSync(path.join(root, f)));
for (const f of files) {
  const from = path.join(root, f);
  const to = path.join(src, f);
  if (fs.existsSync(to) && fs.readFileSync(to).equals(fs.readFileSync(from))) continue;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: src, encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
// A mutation may name the test files that exercise its code ("tests": ["test_trainer", ...]): then only those
// are rebuilt and run (ctest -L, each file's cases carry its name as a label), which on a loaded 2-core
// machine is minutes per mutation saved. Without "tests", everything is built and every ctest test runs.
// A mutation those files miss is reported as survived: the count can only err towards too few caught.
const buildTree = (tests) => run('cmake', ['--build', build, '-j', jobs, ...(tests ? ['--target', ...tests] : [])]);
// AP_MUTATE_EXCLUDE=REGEX leaves matching ctest tests out (ctest -E), e.g. while one is known to fail.
const exclude = process.env.AP_MUTATE_EXCLUDE ? ['-E', process.env.AP_MUTATE_EXCLUDE] : [];
const testTree = (tests) =>
  run('ctest', [
    '--test-dir',
    build,
    '-j',
    jobs,
    '--stop-on-failure',
    '--timeout',
    '600',
    '--no-tests=error',
    '-Q',
    ...exclude,
    ...(tests ? ['-L', tests.map((t) => `^${t}$`).join('|')] : []),
  ]);
const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(0);

// 3. The unmutated tree must build and pass, or every mutation would look caught.
let t0 = Date.now();
// AP_MUTATE_SKIP_BASELINE=1: the scratch copy was just built and passed (a rerun with AP_MUTATE_REUSE=1).
if (!process.env.AP_MUTATE_SKIP_BASELINE) {
  const configured = run('cmake', ['--preset', 'native-release', '-DAP_BUILD_BENCH=OFF']);
  if (configured.status !== 0) {
    console.error(configured.stdout + configured.stderr);
    process.exit(1);
  }
  // The baseline builds and runs what the chosen mutations need (everything if any names no tests).
  const needed = chosen.every((m) => m.tests) ? [...new Set(chosen.flatMap((m) => m.tests))] : undefined;
  const base = buildTree(needed);
  if (base.status !== 0) {
    console.error(base.stdout + base.stderr);
    console.error('mutate: the unmutated tree does not build');
    process.exit(1);
  }
  const baseTest = testTree(needed);
  if (baseTest.status !== 0) {
    console.error(baseTest.stdout + baseTest.stderr);
    console.error('mutate: the unmutated tree fails its tests; fix them first');
    process.exit(1);
  }
  console.log(`mutate: baseline built and passed in ${seconds(t0)} s; ${chosen.length} mutations to try`);
}

// 4. One mutation at a time: apply, build, test, restore.
const survived = [];
const uncompiled = [];
let caught = 0;
for (const m of chosen) {
  t0 = Date.now();
  const file = path.join(src, m.file);
  const original = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    original.replace(m.find, () => m.replace),
  );
  let fate;
  try {
    if (buildTree(m.tests).status !== 0) {
      fate = 'DID NOT COMPILE';
      uncompiled.push(m);
    } else if (testTree(m.tests).status !== 0) {
      fate = 'caught';
      caught += 1;
    } else {
      fate = 'SURVIVED';
      survived.push(m);
    }
  } finally {
    fs.writeFileSync(file, original);
  }
  console.log(`#${String(m.index).padStart(2)} ${fate.padEnd(15)} ${m.file}: ${m.why} (${seconds(t0)} s)`);
}

console.log(`mutate: ${caught} of ${chosen.length} mutations caught`);
for (const m of survived) console.log(`  survived #${m.index} ${m.file}: ${m.why}\n    ${m.find}\n -> ${m.replace}`);
for (const m of uncompiled) console.log(`  did not compile #${m.index} ${m.file}: ${m.why}`);
process.exit(survived.length || uncompiled.length ? 1 : 0);
