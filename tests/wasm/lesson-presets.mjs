// Shared by the lesson tests in Node: a lesson preset built exactly as the lessons page builds it
// (web/js/lessons/presets.js and state.js's toConfig), run on a fresh session of the wasm module.
import assert from 'node:assert/strict';
import { LESSONS } from '../../web/js/lessons/content.js';
import { presetState } from '../../web/js/lessons/presets.js';
import { coreCatalog } from '../../web/js/catalog.js';
import { toConfig } from '../../web/js/state.js';

/**
 * Lesson helpers bound to one loaded module `pg`:
 * presetConfig(n, id, overrides): the core config of lesson n's preset `id`, with some settings replaced
 *   (state.js's property names, `seed` among them);
 * withSession(config, fn): fn(session) on a fresh session, disposed of afterwards;
 * lessonText(n): all of lesson n's text, as one string.
 */
export function lessonHelpers(pg) {
  const catalog = coreCatalog(pg);
  function presetConfig(n, id, overrides = {}) {
    const preset = LESSONS[n - 1].presets.find((p) => p.id === id);
    assert.ok(preset, `lesson ${n} has a preset "${id}"`);
    return toConfig(presetState(catalog, { id, settings: { ...preset.settings, ...overrides } }));
  }
  function withSession(config, fn) {
    const s = pg.createSession(config);
    try {
      return fn(s);
    } finally {
      s.dispose();
    }
  }
  const lessonText = (n) => JSON.stringify(LESSONS[n - 1]);
  return { presetConfig, withSession, lessonText };
}
