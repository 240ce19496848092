// A lesson's experiment is a playground state built with state.js's own helpers, seed included, so that it
// loads the same network, data and initial weights every time, on every machine. No maths here: these
// functions only assemble settings and their link.
import { PROPERTIES, defaults, normalize, toQuery, withActivation, withLayerCount, withValue } from '../state.js';

/**
 * The playground state for a preset's settings: any of state.js's property names (seed, dataset, layers,
 * learningRate, ...), with `activations` as one name for every layer or one per layer, and `alphas` likewise.
 * Throws with the preset's id if the settings do not make a consistent state: a lesson must never load
 * something other than what its text describes.
 */
export function presetState(catalog, preset) {
  const { dataset, layers, activations = ['relu'], alphas, ...rest } = preset.settings;
  let state = defaults(catalog);
  if (dataset) state = withValue(state, catalog, 'dataset', dataset);
  if (layers) {
    state = withLayerCount(state, catalog, layers.length);
    state = withValue(state, catalog, 'layers', layers);
  }
  const perLayer = (list, l) => list[list.length === 1 ? 0 : l];
  for (let l = 0; l < state.layers.length; ++l) state = withActivation(state, catalog, l, perLayer(activations, l));
  if (alphas)
    state = withValue(
      state,
      catalog,
      'alphas',
      state.layers.map((_, l) => perLayer(alphas, l)),
    );
  for (const [name, value] of Object.entries(rest)) {
    if (!PROPERTIES.some((p) => p.name === name)) throw new Error(`preset ${preset.id}: no playground setting "${name}"`);
    state = withValue(state, catalog, name, value);
  }
  const errors = [];
  normalize(state, catalog, errors);
  if (errors.length) throw new Error(`preset ${preset.id}: ${errors.map((e) => e.message).join('; ')}`);
  return state;
}

/**
 * The playground link for a state. It names every view setting too, although the playground leaves those
 * out of its own links at their defaults: the playground only restarts for a link that differs from the
 * one it shows, and a preset clicked a second time must start its run afresh, from step 0.
 */
export function presetQuery(state, catalog) {
  const query = toQuery(state, catalog);
  for (const p of PROPERTIES) {
    if (p.effect !== 'view' || query.has(p.key)) continue;
    const value = state[p.name];
    query.set(p.key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return query;
}
