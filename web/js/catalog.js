// What the core has and accepts, for the page: its catalog (wasm/playground.mjs catalog(): activations,
// data sets, heads, menus, the plot extent, every limit and range) plus its activations' facts, asked once of
// the page's own core instance and shared by every view, the property table (state.js) and the lessons.
import { useCoreCatalog } from './state.js';

let shared = null;

// The input plane the data and every map cover: [-PLOT_EXTENT, PLOT_EXTENT] on each axis (the core's).
export let PLOT_EXTENT = NaN;

/** The plot extent as a grid request's bounds. */
export function plotBounds() {
  return { xMin: -PLOT_EXTENT, xMax: PLOT_EXTENT, yMin: -PLOT_EXTENT, yMax: PLOT_EXTENT };
}

/** The catalog of the core `engine` (the main-thread instance from engine/local.js); made once. */
export function coreCatalog(engine) {
  if (shared?.engine === engine) return shared;
  const core = engine.catalog();
  const infos = new Map(core.activations.map((a) => [a.name, a]));
  const levels = new Map();
  PLOT_EXTENT = core.plotExtent;
  useCoreCatalog(core);
  shared = {
    ...core,
    engine,
    activations: core.activations.map((a) => a.name),
    info: (name) => infos.get(name),
    // Whether the diagnostics' dead and saturated counts mean anything for a layer of this activation: a
    // leaky unit never outputs 0 for every point and a ReLU never saturates, so their counts show as '–'.
    canDie: (name) => infos.get(name)?.reluFamily === true,
    canSaturate: (name) => infos.get(name)?.saturating === true,
    curve: (name, options) => engine.curve(name, options),
    /** The activation's value at each of its kinks, for finding them along a unit's output. */
    kinkLevels(name, layer) {
      const key = `${name}|${layer.alpha}|${layer.beta}`;
      if (!levels.has(key)) {
        const params = { alpha: layer.alpha, beta: layer.beta };
        levels.set(
          key,
          engine.kinks(name, params).map((k) => engine.curve(name, { from: k, to: k + 1, n: 2, ...params }).y[0]),
        );
      }
      return levels.get(key);
    },
  };
  return shared;
}
