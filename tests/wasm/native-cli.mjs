// The native CLI as the parity tests run it (tests/wasm/parity.test.mjs in Node, tests/browser/worker.test.mjs
// for the page's worker): one JSONL line per step and the saved model, each a double printed exactly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Runs `cli` on config for `steps` steps in folder dir: { rows (one per step), model (the saved model) }. */
export function runCli(cli, dir, name, config, steps) {
  const file = path.join(dir, `${name.replace(/\W+/g, '_')}.json`);
  const model = `${file}.${steps}.model`;
  fs.writeFileSync(file, JSON.stringify(config));
  const out = execFileSync(cli, ['--config', file, '--steps', String(steps), '--every', '1', '--format', 'jsonl', '--save', model], {
    maxBuffer: 64 << 20,
  });
  const rows = out
    .toString()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return { rows, model: JSON.parse(fs.readFileSync(model, 'utf8')) };
}

/** The same double in JS and in the CLI's output, which writes null where JS has NaN (a regression's accuracy). */
export const sameNumber = (js, native) => (native === null ? Number.isNaN(js) : Object.is(js, native));
