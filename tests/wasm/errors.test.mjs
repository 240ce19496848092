// Bad input from JS: each case must throw an Error whose message names the problem, and the module must
// keep working afterwards (an abort would poison every later call, which the check after each case sees).
import { test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig, PlaygroundError } from './helpers.mjs';

let pg;
let session;
before(async () => {
  pg = await load();
  session = pg.createSession(smallConfig());
});

// After every case: the module still trains and answers.
afterEach(() => {
  const step = session.step;
  assert.equal(session.train(3).steps, 3);
  assert.equal(session.step, step + 3);
  assert.equal(pg.curve('relu', { from: -1, to: 1, n: 3 }).y[2], 1);
});

function rejects(call, pattern) {
  assert.throws(call, (e) => {
    assert.ok(e instanceof Error, `an Error, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('wrong types where numbers belong', () => {
  rejects(() => session.train('10'), /steps must be an integer 0\.\.1000000, got "10"/);
  rejects(() => session.train(null), /steps must be an integer.*got null/);
  rejects(() => session.train(2.5), /steps must be an integer.*got 2\.5/);
  rejects(() => session.trainFor('50'), /ms must be a finite number, got "50"/);
  rejects(() => session.heatmap({ width: '10' }), /grid\.width must be an integer 1\.\.512, got "10"/);
  rejects(() => session.heatmap({ xMin: 'a' }), /grid\.xMin must be a finite number/);
  rejects(() => session.diagnostics('5'), /bins must be an integer/);
  rejects(() => pg.curve('relu', { n: '5' }), /n must be an integer 2\.\.100000, got "5"/);
  rejects(() => pg.curve('relu', { from: {} }), /from must be a finite number, got object/);
  rejects(() => pg.curve(42), /activation name must be a string, got 42/);
  rejects(() => pg.createSession(42), /config must be an object or a JSON string, got 42/);
  rejects(() => pg.createSession(smallConfig({ seed: 'one' })), /seed/);
  rejects(() => pg.createSession({ network: { hidden: [{ units: '4' }] } }), /network\.hidden\[0\]\.units must be an integer, got string/);
  rejects(() => pg.importModel({}), /model must be a JSON string, got object/);
});

test('NaN and Infinity sizes', () => {
  rejects(() => session.train(NaN), /steps must be an integer.*got NaN/);
  rejects(() => session.train(Infinity), /steps must be an integer.*got Infinity/);
  rejects(() => session.trainFor(NaN), /ms must be a finite number, got NaN/);
  rejects(() => session.heatmap({ width: NaN }), /grid\.width.*got NaN/);
  rejects(() => session.heatmap({ height: Infinity }), /grid\.height.*got Infinity/);
  rejects(() => session.unitHeatmaps({ yMax: -Infinity }), /grid\.yMax must be a finite number, got -Infinity/);
  rejects(() => pg.curve('relu', { n: NaN }), /n must be an integer/);
  rejects(() => pg.curve('relu', { to: Infinity }), /to must be a finite number/);
  // JSON has no NaN: JSON.stringify turns it into null, which the core's strict reader names.
  rejects(() => pg.createSession(smallConfig({ training: { learning_rate: NaN } })), /training\.learning_rate/);
});

test('negative and huge sizes', () => {
  rejects(() => session.train(-1), /steps must be an integer 0\.\.1000000, got -1/);
  rejects(() => session.train(1e12), /steps must be an integer 0\.\.1000000/);
  rejects(() => session.heatmap({ width: -5 }), /grid\.width must be an integer 1\.\.512, got -5/);
  rejects(() => session.heatmap({ width: 100000, height: 100000 }), /grid\.width.*got 100000/);
  rejects(() => session.heatmap({ width: 0 }), /grid\.width/);
  rejects(() => session.diagnostics(0), /bins must be an integer 1\.\.1000, got 0/);
  rejects(() => session.diagnostics(1e9), /bins/);
  rejects(() => pg.curve('relu', { n: 1e9 }), /n must be an integer 2\.\.100000/);
  rejects(() => pg.curve('relu', { n: 1 }), /n must be an integer 2\.\.100000, got 1/);
  rejects(() => pg.createSession({ data: { num_points: -10 } }), /data\.num_points must be 10\.\.100000, got -10/);
  rejects(() => pg.createSession({ data: { num_points: 1e9 } }), /data\.num_points must be 10\.\.100000/);
  rejects(() => pg.createSession({ network: { hidden: [{ units: 100000 }] } }), /network\.hidden\[0\]\.units must be 1\.\.256, got 100000/);
  rejects(
    () => pg.createSession({ network: { hidden: Array.from({ length: 13 }, () => ({ units: 2 })) } }),
    /network\.hidden \(layers\) must be 0\.\.12, got 13/,
  );
  rejects(() => pg.createSession({ training: { batch_size: 1e6 } }), /training\.batch_size must be 1\.\.4096/);
  rejects(() => session.setWeights(new Float64Array(3)), /params must have \d+ values, got 3/);
});

test('a huge weights array is refused without growing wasm memory', () => {
  // 30 million doubles would be 240 MB of staging buffer; only the network's own size is ever allocated.
  const memory = pg.memory().memoryBytes;
  rejects(() => session.setWeights(new Float64Array(30_000_000)), /params must have \d+ values, got 30000000/);
  assert.equal(pg.memory().memoryBytes, memory);
});

test('unknown activation and data set names', () => {
  rejects(() => pg.activationInfo('relu7'), /unknown activation 'relu7'/);
  rejects(() => pg.curve('swishy'), /unknown activation 'swishy'/);
  rejects(() => pg.kinks('nope'), /unknown activation 'nope'/);
  rejects(() => pg.createSession({ network: { hidden: [{ units: 3, activation: 'relu7' }] } }), /network\.hidden\[0\]\.activation.*relu7/);
  rejects(() => pg.createSession({ data: { dataset: 'spirals' } }), /data\.dataset.*spirals/);
  rejects(() => pg.createSession({ training: { optimizer: 'adamw' } }), /training\.optimizer.*adamw/);
  rejects(() => pg.createSession({ network: { hiden: [] } }), /unknown field network\.hiden/);
  rejects(() => session.points('validation'), /points must be 'train' or 'test', got "validation"/);
});

test('malformed JSON', () => {
  rejects(() => pg.createSession('{"seed": 1,'), /JSON|parse|syntax/i);
  rejects(() => pg.createSession(''), /JSON|parse|syntax|empty/i);
  rejects(() => pg.createSession('[1, 2]'), /object/i);
  rejects(() => pg.importModel('{"format_version": 1, "kind": "model"'), /JSON|parse|syntax/i);
  rejects(() => pg.importModel(JSON.stringify(smallConfig())), /model/i);
  rejects(() => session.update('{"training":'), /JSON|parse|syntax/i);
});

test('out-of-range config fields name the field and the range', () => {
  rejects(() => pg.createSession({ data: { noise: 0.9 } }), /data\.noise must be 0\.\.0\.5, got 0\.9/);
  rejects(() => pg.createSession({ data: { test_fraction: 0 } }), /data\.test_fraction must be 0\.1\d*\.\.0\.9\d*, got 0/);
  rejects(() => pg.createSession({ training: { learning_rate: -0.1 } }), /training\.learning_rate must be 0\.\.1000000, got -0\.1/);
  rejects(() => pg.createSession({ training: { momentum: 1 } }), /training\.momentum/);
  rejects(
    () => pg.createSession({ network: { hidden: [{ units: 3, activation: 'leaky_relu', alpha: 50 }] } }),
    /network\.hidden\[0\]\.alpha must be -10\.\.10, got 50/,
  );
  rejects(() => pg.createSession({ network: { head: 'linear_mse' } }), /network\.head linear_mse is for regression/);
  rejects(() => pg.curve('relu', { reluGradAtZero: 0.3 }), /relu_grad_at_zero must be 0, 0\.5 or 1, got 0\.(3|2999+)\d*/);
  rejects(() => pg.curve('relu', { from: 1, to: -1 }), /curve range must be finite and increasing/);
  rejects(() => session.update({ training: { batch_size: 0 } }), /training\.batch_size must be 1\.\.4096, got 0/);
});

test("a C++ exception from the core arrives as a PlaygroundError carrying the core's message", () => {
  // The JS layer passes this through unchecked: the message below is written by core/config.cpp's
  // validate_config (thrown as ap::ConfigError, caught in bindings.cpp and returned as a string).
  rejects(() => pg.createSession({ data: { num_points: 5 } }), /^data\.num_points must be 10\.\.100000, got 5$/);
  assert.throws(() => pg.createSession({ data: { num_points: 5 } }), PlaygroundError);
  // Thrown inside a Session method (update -> Trainer::set_training) rather than the constructor.
  assert.throws(
    () => session.update({ training: { clip_norm: -1 } }),
    (e) => e instanceof PlaygroundError && /^training\.clip_norm must be 0\.\.1000000, got -1$/.test(e.message),
  );
});
