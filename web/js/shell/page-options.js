// What a link says about the page rather than about a view's state: shown embedded (the '#/embed/...'
// prefix: just the tool, no site header) and which controls are hidden (the 'hide' key, as TF Playground's
// *_hide keys). The router keeps both out of the views' queries and writes them back into every link.
//
// A control or panel is hideable when its element carries data-control="<name>" and HIDEABLE lists the
// name for its view; hiding is one stylesheet, so elements a view draws again stay hidden.

/** The hideable controls of each view, in the order the customise dialog shows them. */
export const HIDEABLE = {
  playground: [
    ['toolbar', 'The whole toolbar'],
    ['reset', 'Reset'],
    ['step', 'Step'],
    ['undo', 'Undo'],
    ['speed', 'Speed'],
    ['share', 'Link, export and import buttons'],
    ['export-code', 'Export code (PyTorch, NumPy)'],
    ['data', 'The Data panel'],
    ['problem', 'Problem'],
    ['dataset', 'Dataset'],
    ['noise', 'Noise'],
    ['train-share', 'Training data share'],
    ['points', 'Number of points'],
    ['seed', 'Seed'],
    ['own-points', 'Add, erase and paste points'],
    ['training', 'The Training panel'],
    ['learning-rate', 'Learning rate'],
    ['optimizer', 'Optimizer'],
    ['batch', 'Batch size'],
    ['clipping', 'Gradient clipping'],
    ['regularization', 'Regularisation'],
    ['network-settings', 'The Network settings panel'],
    ['layers', 'Adding and removing layers'],
    ['diagnostics', 'The Diagnostics tab'],
    ['output', 'The Output panel'],
    ['output-options', 'Show test data, discretise'],
    ['trace', 'Trace a point'],
    ['hidden-options', "The hidden space's layer and unit menus"],
    ['charts', 'Loss and accuracy charts'],
    ['timeline', 'Time travel: the step scrubber'],
  ],
  race: [
    ['toolbar', 'The whole toolbar'],
    ['share', 'Link, export and import buttons'],
    ['setup', 'The race settings'],
    ['maps', 'What each network predicts'],
    ['curves', 'The curves'],
    ['results', 'The results table'],
  ],
  explorer: [
    ['pick', 'The activation picker'],
    ['range', 'The x and y ranges'],
    ['cards', 'The activation cards'],
  ],
  lessons: [['companion', 'The playground companion bar']],
};

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const ALL = new Set(Object.values(HIDEABLE).flatMap((list) => list.map(([name]) => name)));

/**
 * The 'hide' value ("data,seed") as a list of known names; unknown or malformed ones are left out and
 * named in `problems` (one message), so a typo in a link is reported, never applied as CSS.
 */
export function readHidden(text, problems = []) {
  if (!text) return [];
  const names = [...new Set(text.split(',').filter(Boolean))];
  const unknown = names.filter((n) => !NAME.test(n) || !ALL.has(n));
  if (unknown.length) {
    const shown = unknown.map((n) => `"${n.slice(0, 32)}"`).join(', ');
    problems.push(`The link hides ${shown}, which this page does not have; the rest of the link is used.`);
  }
  return names.filter((n) => !unknown.includes(n));
}

let sheet = null;

/** Hides every element whose data-control is one of `names` (already checked by readHidden). */
export function applyHidden(names) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(names.map((n) => `[data-control="${n}"] { display: none !important; }`).join('\n'));
  document.body.dataset.hidden = names.join(' ');
}
