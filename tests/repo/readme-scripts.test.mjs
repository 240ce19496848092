// The README's commands on a fresh clone: every `npm run NAME` (and `npm start` / `npm test`) it shows is a
// script of package.json, and the scripts a fresh clone needs installed first go through a shell script that
// installs what is missing (a bare `vite ...` fails with `vite: not found` before `npm ci`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function readmeScripts() {
  const names = new Set();
  for (const m of readme.matchAll(/npm run (?:--silent |-s )?([A-Za-z0-9:_-]+)/g)) names.add(m[1]);
  for (const m of readme.matchAll(/\bnpm (start|test)\b/g)) names.add(m[1]);
  return [...names].sort();
}

test('every npm script the README shows exists in package.json', () => {
  const shown = readmeScripts();
  assert.ok(shown.length >= 10, `expected the README to show npm scripts, found ${shown.join(', ')}`);
  const missing = shown.filter((name) => !(name in scripts));
  assert.deepEqual(missing, [], `README shows npm scripts package.json lacks: ${missing.join(', ')}`);
});

test('no script the README shows calls an npm-installed binary directly (it fails before npm ci)', () => {
  const bare = readmeScripts().filter((name) => /^(npx )?(vite|playwright)\b/.test(scripts[name] ?? ''));
  assert.deepEqual(bare, [], `these start with a node_modules binary: ${bare.join(', ')}`);
  // Node scripts that import npm packages (the Playwright harness) need the same guard.
  const direct = readmeScripts().filter((name) => /^node scripts\/(measure-site|browser-soak)\.mjs/.test(scripts[name] ?? ''));
  assert.deepEqual(direct, [], `these import playwright-core without installing it: ${direct.join(', ')}`);
});

test('every shell script an npm script names exists', () => {
  for (const [name, command] of Object.entries(scripts)) {
    for (const m of command.matchAll(/\b(?:bash|node) (scripts\/[\w.-]+)/g)) {
      assert.ok(fs.existsSync(path.join(root, m[1])), `npm run ${name}: ${m[1]} is missing`);
    }
  }
});
