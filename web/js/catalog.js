// What the core has, for the page: its activations (with their parameter defaults and kinks), asked once
// of the page's own core instance and shared by every view, the property table (state.js) and the lessons.
let shared = null;

/** The catalog of the core `engine` (the main-thread instance from engine/local.js); made once. */
export function coreCatalog(engine) {
  if (shared?.engine === engine) return shared;
  const activations = engine.activations();
  const infos = new Map(activations.map((a) => [a, engine.activationInfo(a)]));
  const levels = new Map();
  shared = {
    engine,
    activations,
    info: (name) => infos.get(name),
    curve: (name, options) => engine.curve(name, options),
    /** The activation's value at each of its kinks, for finding them along a unit's output. */
    kinkLevels(name, layer) {
      const key = `${name}|${layer.alpha}|${layer.beta}`;
      if (!levels.has(key)) {
        const params = { alpha: layer.alpha, beta: layer.beta };
        levels.set(key, engine.kinks(name, params).map((k) => engine.curve(name, { from: k, to: k + 1, n: 2, ...params }).y[0]));
      }
      return levels.get(key);
    },
  };
  return shared;
}
