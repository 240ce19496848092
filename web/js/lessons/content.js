// The ten built-in lessons, one per claim of the article (“relu activation fuction”, sic, in ../shared/seed/,
// named in article.js). Each is a lesson file (web/lessons/*.json, in the format format.js describes) that
// goes through the same check as a teacher's own: the bundle imports them, so they work offline and under
// any sub-path. Numbers quoted in their text were measured with these exact presets (seed included) and are
// checked by tests/browser/lessons.test.mjs, or, where the browser adds nothing, by
// tests/wasm/lessons.test.mjs; wherever a run could vary, the text says "about".
import { checkLesson } from './format.js';
import lesson01 from '../../lessons/01-what-relu-is.json' with { type: 'json' };
import lesson02 from '../../lessons/02-derivative.json' with { type: 'json' };
import lesson03 from '../../lessons/03-why-non-linearity.json' with { type: 'json' };
import lesson04 from '../../lessons/04-piecewise-linear.json' with { type: 'json' };
import lesson05 from '../../lessons/05-against-sigmoid-tanh.json' with { type: 'json' };
import lesson06 from '../../lessons/06-vanishing-gradients.json' with { type: 'json' };
import lesson07 from '../../lessons/07-sparsity.json' with { type: 'json' };
import lesson08 from '../../lessons/08-dying-relu.json' with { type: 'json' };
import lesson09 from '../../lessons/09-exploding-gradients.json' with { type: 'json' };
import lesson10 from '../../lessons/10-beyond-relu.json' with { type: 'json' };

// A built-in lesson that fails the check is a bug of ours: it throws at start-up, and the tests see it.
export const LESSONS = [lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08, lesson09, lesson10].map((lesson) =>
  checkLesson(lesson),
);
