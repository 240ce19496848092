// A lesson's preset settings, checked against the playground's property table (state.js) before anything
// loads: each value goes through the same reader a link's value does, so a lesson cannot set what a link
// could not (a learning rate of 1e9, a data set the core lacks), and the message names the setting.
import { FEATURES, clip, formatNumber, property, readValue } from '../state.js';
import { presetState } from './presets.js';

// A preset's list names: state.js keeps per-layer lists under these.
const LIST_NAMES = { activations: 'activations', alphas: 'alphas' };

/** The value as a link would carry it, or null if its JSON type cannot be that property's. */
function asText(p, value) {
  const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
  const isWord = (x) => typeof x === 'string' && !/[,;]/.test(x);
  switch (p.type) {
    case 'int':
    case 'num':
      return isNum(value) ? formatNumber(value) : null;
    case 'bool':
      return typeof value === 'boolean' ? (value ? '1' : '0') : null;
    case 'enum':
      return isWord(value) ? value : null;
    case 'intList':
    case 'numList':
      return Array.isArray(value) && value.every(isNum) ? value.map(formatNumber).join(',') : null;
    case 'activationList':
    case 'features':
      return Array.isArray(value) && value.every(isWord) ? value.join(',') : null;
    case 'points':
      return Array.isArray(value) && value.every((r) => Array.isArray(r) && r.every(isNum))
        ? value.map((r) => r.map(formatNumber).join(',')).join(';')
        : null;
    default:
      return null;
  }
}

const TYPE_WORDS = {
  int: 'a whole number',
  num: 'a number',
  bool: 'true or false',
  enum: 'a name',
  intList: 'a list of whole numbers',
  numList: 'a list of numbers',
  activationList: 'a list of activation names',
  features: `a list of features (${FEATURES.map((f) => f.code).join(', ')})`,
  points: 'a list of points',
};

/**
 * A checker for format.js: (settings, raceActivations) -> [[field, message], ...], every value read as a
 * link's would be, then the whole built as a preset (which also catches settings that contradict each other).
 */
export function settingsChecker(catalog) {
  return (settings, raceActivations = []) => {
    const errors = [];
    for (const [name, value] of Object.entries(settings)) {
      const p = property(LIST_NAMES[name] ?? name);
      if (!p || p.effect === undefined || name === 'step' || name === 'points') {
        errors.push([name, `no playground setting "${clip(name)}"`]);
        continue;
      }
      const text = asText(p, value);
      if (text === null) {
        errors.push([name, `must be ${TYPE_WORDS[p.type] ?? p.type}`]);
        continue;
      }
      const read = readValue(p, text, catalog);
      if (read.error) errors.push([name, read.error]);
    }
    const bad = raceActivations.find((a) => !catalog.activations.includes(a));
    if (bad !== undefined) errors.push(['', `race.activations lists "${clip(bad)}"; activations are ${catalog.activations.join(', ')}`]);
    if (errors.length) return errors;
    try {
      presetState(catalog, { id: 'this', settings });
    } catch (error) {
      errors.push(['', error.message]);
    }
    return errors;
  };
}
