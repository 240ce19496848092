// Issue 12, item 5: each lesson's claim about what training does (who learns faster, units die, runs
// diverge, gradients vanish, zeros appear) checked on ten seeds, not only the one its preset uses, so a
// lesson does not teach one lucky seed. A claim that holds on at least 8 of the 10 is asserted to hold on at
// least 8; a claim that holds on fewer is stated in the lesson with its count ("on 6 of 10 seeds"), and the
// test reads that count from the text and asserts it exactly, so a change of the text or of the behaviour
// fails here. Each claim trains only as many steps as it needs. Claims that are facts about one named run
// (its measured numbers: lesson 6's layer factors, lesson 8's revivals and gradient ratios, lesson 9's
// 30,000-step wander) stay single-seed, in tests/wasm/lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';
import { lessonHelpers } from './lesson-presets.mjs';

/** The seeds every claim is run on; the presets' own seeds (1, 2 and 5) are among them. */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** A claim holding on at least this many of the SEEDS may be stated without a count. */
const ROBUST = 8;

let pg;
let presetConfig;
let withSession;
let lessonText;
before(async () => {
  pg = await load();
  ({ presetConfig, withSession, lessonText } = lessonHelpers(pg));
});

const table = [];
after(() => {
  console.log(`lesson claims on ${SEEDS.length} seeds (${SEEDS.join(', ')}):`);
  for (const row of table)
    console.log(`  lesson ${row.lesson}: ${row.claim}: ${row.passing}/${SEEDS.length}${row.stated ? ' (stated)' : ''}`);
});

/**
 * Registers a test: `holds(seed)` is whether the claim holds with that seed (every preset setting but the
 * seed as the lesson has it). Without `stated`, the claim must hold on at least ROBUST seeds. With `stated`,
 * a pattern whose first group is the count the lesson's text gives, the count must be exactly that; a
 * pattern without a group is the text saying it holds on every seed, and then it must.
 */
function claim(lesson, text, holds, stated = null) {
  test(`lesson ${lesson} on ${SEEDS.length} seeds: ${text}`, () => {
    const results = SEEDS.map((seed) => ({ seed, ...holds(seed) }));
    const passing = results.filter((r) => r.ok).length;
    table.push({ lesson, claim: text, passing, stated: Boolean(stated) });
    console.log(
      `lesson ${lesson}: ${text}: ${passing}/${SEEDS.length} (${results.map((r) => `${r.seed}: ${r.ok ? 'yes' : 'no'} ${r.value}`).join('; ')})`,
    );
    if (!stated) {
      assert.ok(passing >= ROBUST, `holds on ${passing} of ${SEEDS.length} seeds: the lesson must state how often`);
      return;
    }
    const match = lessonText(lesson).match(stated);
    assert.ok(match, `lesson ${lesson} states the count: ${stated}`);
    const count = match[1] === undefined ? SEEDS.length : Number(match[1]);
    assert.equal(passing, count, `lesson ${lesson} says "${match[0]}"`);
  });
}

/** The first step (a multiple of `every`) at which the test accuracy reaches 90%, or Infinity by `max`. */
const stepsTo90 = (s, max, every = 10) => {
  while (s.step < max) {
    s.train(every);
    if (s.metrics().testAccuracy >= 0.9) return s.step;
  }
  return Infinity;
};
/** The test accuracy after `steps` steps. */
const accuracyAfter = (s, steps) => {
  s.train(steps);
  return s.metrics().testAccuracy;
};
/** The first step at which training diverges, or Infinity by `max`. */
const divergesAt = (s, max) => {
  for (let i = 1; i <= max; ++i) if (s.train(1).diverged) return i;
  return Infinity;
};
/** Dead units over all hidden layers. */
const deadUnits = (s) =>
  s
    .diagnostics()
    .layers.slice(0, -1)
    .reduce((n, l) => n + l.deadUnits, 0);

// Lesson 1, watch: "The test loss falls below 0.001 within a few hundred steps."
claim(
  1,
  'two ReLU units fit |x|/3 - 1 to a test loss below 0.001 within 1,000 steps',
  (seed) =>
    withSession(presetConfig(1, 'abs-2', { seed }), (s) => {
      while (s.step < 1000) {
        s.train(10);
        const loss = s.metrics().testLoss;
        if (loss < 0.001) return { ok: true, value: `step ${s.step}` };
      }
      return { ok: false, value: `loss ${s.metrics().testLoss.toFixed(3)}` };
    }),
  /below 0\.001 within 1,000 steps on (\d+) of 10 seeds/,
);

// Lesson 2: the three conventions for ReLU'(0) agree bit for bit on the 4-2 network ...
const lossesWithSlope = (id, seed, g) =>
  withSession(presetConfig(2, id, { seed, reluGradAtZero: g }), (s) => {
    const losses = [];
    for (let i = 0; i < 300; ++i) {
      s.train(1);
      losses.push(s.metrics().trainLoss);
    }
    return losses;
  });
const conventions = (id, seed) => {
  const [a, b, c] = ['0', '0.5', '1'].map((g) => lossesWithSlope(id, seed, g));
  const same = a.every((x, i) => x === b[i] && x === c[i]);
  const apart = Math.max(...a.map((x, i) => Math.max(Math.abs(x - b[i]), Math.abs(x - c[i])) / x));
  return { same, apart };
};
claim(
  2,
  "the 4-2 network's three runs (ReLU'(0) = 0, 0.5, 1) agree to the last bit for 300 steps",
  (seed) => {
    const r = conventions('g0-0', seed);
    return { ok: r.same, value: `apart ${r.apart.toExponential(1)}` };
  },
  /agree to the last bit for all 300 steps on (\d+) of 10 seeds/,
);
// ... and part, by well under 1%, on the narrow 2-2-2 network.
claim(2, "the 2-2-2 network's three runs part within 300 steps, by under 1%", (seed) => {
  const r = conventions('narrow-0', seed);
  return { ok: !r.same && r.apart < 0.01, value: `apart ${r.apart.toExponential(1)}` };
});

// Lesson 3: "its test accuracy stays around 50%, the level of guessing" / "passes 90% within a few
// hundred steps" / with x1^2 and x2^2 "it reaches 100% test accuracy".
claim(
  3,
  'the all-identity network stays between 25% and 66% test accuracy (2,000 steps)',
  (seed) => {
    const a = withSession(presetConfig(3, 'linear', { seed }), (s) => accuracyAfter(s, 2000));
    return { ok: a >= 0.25 && a <= 0.66, value: a };
  },
  /between 25% and 66% with each of seeds 1 to 10/,
);
claim(3, 'the same network with ReLU passes 90% test accuracy within 500 steps', (seed) => {
  const step = withSession(presetConfig(3, 'relu', { seed }), (s) => stepsTo90(s, 500));
  return { ok: step <= 500, value: `step ${step}` };
});
claim(3, 'the all-identity network with x1^2 and x2^2 as features reaches 100% (300 steps)', (seed) => {
  const a = withSession(presetConfig(3, 'linear', { seed, features: ['x1', 'x2', 'x1sq', 'x2sq'] }), (s) => accuracyAfter(s, 300));
  return { ok: a === 1, value: a };
});

// Lesson 4: one unit stays on a floor near 0.39; eight units fit the sine better, below 0.05.
const sineLoss = (units, seed) =>
  withSession(presetConfig(4, `units-${units}`, { seed }), (s) => {
    s.train(2000);
    return s.metrics().testLoss;
  });
const sine = new Map();
const sineLosses = (seed) => {
  if (!sine.has(seed)) sine.set(seed, { one: sineLoss(1, seed), eight: sineLoss(8, seed) });
  return sine.get(seed);
};
claim(
  4,
  'one ReLU unit stays above a test loss of 0.3 on the sine, and eight units end lower (2,000 steps)',
  (seed) => {
    const r = sineLosses(seed);
    return { ok: r.one > 0.3 && r.eight < r.one, value: `${r.one.toFixed(3)} / ${r.eight.toFixed(3)}` };
  },
  /Eight units end lower than one with every seed/,
);
claim(
  4,
  'eight ReLU units fit the sine to a test loss below 0.05 by step 2,000',
  (seed) => {
    const r = sineLosses(seed);
    return { ok: r.eight < 0.05, value: r.eight.toFixed(3) };
  },
  /eight units get below 0\.05 by step 2,000 on (\d+) of 10 seeds/,
);

// Lesson 5: ReLU and tanh pass 90% within a couple of hundred steps, sigmoid lingers near chance.
claim(5, '8-8 network: ReLU, then tanh pass 90% within 200 steps; sigmoid needs over 1,000', (seed) => {
  const s90 = (a, max) => withSession(presetConfig(5, a, { seed }), (s) => stepsTo90(s, max));
  const r = { relu: s90('relu', 200), tanh: s90('tanh', 200), sigmoid: s90('sigmoid', 1000) };
  return { ok: r.relu <= r.tanh && r.tanh <= 200 && r.sigmoid > 1000, value: JSON.stringify(r) };
});
// Lesson 5's article: on lesson 6's ten layers of eight, tanh first with Glorot, ReLU first with He.
const deepTo90 = (seed, activation, init) =>
  withSession(presetConfig(6, 'relu', { seed, activations: [activation], init }), (s) => stepsTo90(s, 1500));
claim(
  5,
  '10 x 8 network, Glorot initialisation: tanh passes 90% before ReLU',
  (seed) => {
    const r = { tanh: deepTo90(seed, 'tanh', 'glorot_uniform'), relu: deepTo90(seed, 'relu', 'glorot_uniform') };
    return { ok: r.tanh < r.relu, value: JSON.stringify(r) };
  },
  /tanh gets there first on (\d+) of 10 seeds/,
);
claim(
  5,
  '10 x 8 network, He initialisation: ReLU passes 90% before tanh',
  (seed) => {
    const r = { tanh: deepTo90(seed, 'tanh', 'he_normal'), relu: deepTo90(seed, 'relu', 'he_normal') };
    return { ok: r.relu < r.tanh, value: JSON.stringify(r) };
  },
  /with He, ReLU does on all ten/,
);

// Lesson 6: the sigmoid network's first-layer gradient is 1e5 to 1e6 times smaller from the first step,
// it stays at chance for hundreds of steps, ReLU learns in a few hundred; with Glorot, ReLU barely learns.
claim(6, "after one step the sigmoid network's first-layer gradient norm is 1e5 to 1e6 times below ReLU's", (seed) => {
  const first = (a) =>
    withSession(presetConfig(6, a, { seed }), (s) => {
      s.train(1);
      return s.diagnostics().layers[0].gradNorm;
    });
  const ratio = first('relu') / first('sigmoid');
  return { ok: ratio >= 1e5 && ratio <= 1e6, value: ratio.toExponential(1) };
});
claim(6, 'the sigmoid network is still below 60% test accuracy at step 300', (seed) => {
  const a = withSession(presetConfig(6, 'sigmoid', { seed }), (s) => accuracyAfter(s, 300));
  return { ok: a < 0.6, value: a };
});
claim(6, 'the ReLU network (He) passes 90% within 500 steps', (seed) => {
  const step = withSession(presetConfig(6, 'relu', { seed }), (s) => stepsTo90(s, 500));
  return { ok: step <= 500, value: `step ${step}` };
});
claim(
  6,
  'the ReLU network with Glorot initialisation is still below 60% at step 500',
  (seed) => {
    const a = withSession(presetConfig(6, 'relu', { seed, init: 'glorot_uniform' }), (s) => accuracyAfter(s, 500));
    return { ok: a < 0.6, value: a };
  },
  /still near chance at step 500 on (\d+) of 10 seeds/,
);

// Lesson 7: the Zeros column, roughly 30-70% per ReLU layer, 0% under tanh (step 200, as the browser test).
claim(7, 'at step 200 every ReLU layer outputs 30% to 70% exact zeros, every tanh layer none', (seed) => {
  const zeros = (a) =>
    withSession(presetConfig(7, a, { seed }), (s) => {
      s.train(200);
      return s
        .diagnostics()
        .layers.slice(0, -1)
        .map((l) => l.sparsity);
    });
  const relu = zeros('relu');
  const tanh = zeros('tanh');
  return {
    ok: relu.every((z) => z >= 0.3 && z <= 0.7) && tanh.every((z) => z === 0),
    value: relu.map((z) => z.toFixed(2)).join(','),
  };
});

// Lesson 8: the killers, the remedies.
claim(
  8,
  'rate 3: at least 8 of 16 units dead at step 100, the whole second layer among them',
  (seed) =>
    withSession(presetConfig(8, 'rate-3', { seed }), (s) => {
      s.train(100);
      const [one, two] = s
        .diagnostics()
        .layers.slice(0, 2)
        .map((l) => l.deadUnits);
      return { ok: one + two >= 8 && two === 8, value: `${one}+${two}` };
    }),
  /at least 8 with each of seeds 1 to 10, and the whole second layer with them/,
);
claim(8, 'rate 3: layer 2 units revive in the first 300 steps, layer 1 units never', (seed) =>
  withSession(presetConfig(8, 'rate-3', { seed }), (s) => {
    const revivals = [0, 0];
    let before = null;
    for (let step = 0; step <= 300; ++step) {
      if (step) s.train(1);
      const dead = s
        .diagnostics()
        .layers.slice(0, 2)
        .map((l) => Array.from(l.dead));
      if (before) dead.forEach((units, l) => units.forEach((d, j) => (revivals[l] += before[l][j] && !d ? 1 : 0)));
      before = dead;
    }
    return { ok: revivals[0] === 0 && revivals[1] > 0, value: revivals.join('/') };
  }),
);
claim(8, 'bias -2: the second layer is dead at step 0 and accuracy is below 60% at step 1,000', (seed) =>
  withSession(presetConfig(8, 'bias-2', { seed }), (s) => {
    const dead = s.diagnostics().layers[1].deadUnits;
    const a = accuracyAfter(s, 1000);
    return { ok: dead === 8 && a < 0.6, value: `${dead} dead, ${a}` };
  }),
);
/** The most dead units seen at steps 100, 200, ..., 1000. */
const mostDead = (id, seed) =>
  withSession(presetConfig(8, id, { seed }), (s) => {
    let most = 0;
    while (s.step < 1000) {
      s.train(100);
      most = Math.max(most, deadUnits(s));
    }
    return most;
  });
claim(
  8,
  'rate 0.3: no unit dies (steps 100 to 1,000)',
  (seed) => {
    const n = mostDead('rate-0.3', seed);
    return { ok: n === 0, value: n };
  },
  /no unit dies on (\d+) of 10 seeds/,
);
claim(
  8,
  'He initialisation with bias -2: at most 1 unit dead (steps 100 to 1,000)',
  (seed) => {
    const n = mostDead('he', seed);
    return { ok: n <= 1, value: n };
  },
  /at most 1 on (\d+) of 10 seeds with He initialisation/,
);
const remedyAccuracy = (id, seed) => withSession(presetConfig(8, id, { seed }), (s) => accuracyAfter(s, 1000));
claim(
  8,
  'every remedy (rate 0.3, leaky 0.2, PReLU, ELU, He) passes 90% within 1,000 steps',
  (seed) => {
    const acc = ['rate-0.3', 'leaky', 'prelu', 'elu', 'he'].map((id) => remedyAccuracy(id, seed));
    return { ok: acc.every((a) => a >= 0.9), value: acc.join(',') };
  },
  /Every remedy passes 90% test accuracy within 1,000 steps on this seed, and on (\d+) of 10 seeds/,
);
claim(
  8,
  'leaky ReLU with α = 0.2 and bias -2 passes 90% within 1,000 steps',
  (seed) => {
    const a = remedyAccuracy('leaky', seed);
    return { ok: a >= 0.9, value: a };
  },
  /at 0\.2 the network passes 90% within 1,000 steps on (\d+) of 10 seeds/,
);
claim(8, 'leaky ReLU with α = 0.01 and bias -2 is still below 70% at step 3,000', (seed) => {
  const a = withSession(presetConfig(8, 'leaky', { seed, alphas: [0.01] }), (s) => accuracyAfter(s, 3000));
  return { ok: a < 0.7, value: a };
});

// Lesson 9: what diverges, and what clipping or a smaller start does.
claim(
  9,
  'rate 1.5: the run diverges within 10 steps',
  (seed) => {
    const at = withSession(presetConfig(9, 'rate-1.5', { seed }), (s) => divergesAt(s, 10));
    return { ok: at <= 10, value: `step ${at}` };
  },
  /within 10 steps on (\d+) of 10 seeds/,
);
claim(
  9,
  'rate 1.5: the run diverges within 600 steps',
  (seed) => {
    const at = withSession(presetConfig(9, 'rate-1.5', { seed }), (s) => divergesAt(s, 600));
    return { ok: at <= 600, value: `step ${at}` };
  },
  /within 600 on all ten/,
);
claim(
  9,
  'weights in ±3: the first loss is between 1e3 and 1e7',
  (seed) => {
    const loss = withSession(presetConfig(9, 'init-3', { seed }), (s) => s.metrics().trainLoss);
    return { ok: loss >= 1e3 && loss <= 1e7, value: loss.toExponential(1) };
  },
  /from \$10\^3\$ to \$10\^7\$ over the ten seeds/,
);
claim(
  9,
  'weights in ±3: the run diverges within 10 steps',
  (seed) => {
    const at = withSession(presetConfig(9, 'init-3', { seed }), (s) => divergesAt(s, 10));
    return { ok: at <= 10, value: `step ${at}` };
  },
  /and within ten steps on (\d+) of 10 seeds/,
);
claim(
  9,
  'weights in ±3 at rate 0.003: the run diverges within 10 steps',
  (seed) => {
    const at = withSession(presetConfig(9, 'init-3', { seed, learningRate: 0.003 }), (s) => divergesAt(s, 10));
    return { ok: at <= 10, value: `step ${at}` };
  },
  /even at rate 0\.003, within ten steps on (\d+) of 10 seeds/,
);
const lossAfter = (id, steps, seed) =>
  withSession(presetConfig(9, id, { seed }), (s) => {
    const r = s.train(steps);
    return r.diverged ? Infinity : s.metrics().trainLoss;
  });
claim(
  9,
  'rate 1.5 clipped at 0.1: no overflow, train loss below 0.1 by step 1,000',
  (seed) => {
    const loss = lossAfter('rate-1.5-clip', 1000, seed);
    return { ok: loss < 0.1, value: loss.toFixed(4) };
  },
  /below 0\.1 with each of the ten seeds/,
);
claim(9, 'rate 0.03 without clipping: no overflow, train loss below half of 0.54 by step 1,000', (seed) => {
  const loss = lossAfter('rate-0.03', 1000, seed);
  return { ok: loss < 0.27, value: loss.toFixed(4) };
});
claim(9, 'weights in ±3 clipped at 0.1: no overflow, but train loss still above 0.1 at step 2,000', (seed) => {
  const loss = lossAfter('init-3-clip', 2000, seed);
  return { ok: loss > 0.1 && Number.isFinite(loss), value: loss.toFixed(4) };
});
claim(
  9,
  'weights in ±1: train loss below 0.06 by step 2,000',
  (seed) => {
    const loss = lossAfter('init-1', 2000, seed);
    return { ok: loss < 0.06, value: loss.toFixed(4) };
  },
  /below 0\.06 on (\d+) of 10 seeds/,
);

// Lesson 10: all five learn the circle within a few hundred steps; only ReLU has exact zeros.
const FIVE = ['relu', 'leaky_relu', 'elu', 'gelu_erf', 'silu'];
claim(10, 'ReLU, leaky ReLU, ELU, GELU and SiLU all pass 90% within 500 steps', (seed) => {
  const steps = FIVE.map((a) => withSession(presetConfig(10, a, { seed }), (s) => stepsTo90(s, 500)));
  return { ok: steps.every((n) => n <= 500), value: steps.join(',') };
});
claim(10, 'at step 300 only ReLU has exact zeros', (seed) => {
  const zeros = FIVE.map((a) =>
    withSession(presetConfig(10, a, { seed }), (s) => {
      s.train(300);
      return s
        .diagnostics()
        .layers.slice(0, -1)
        .map((l) => l.sparsity);
    }),
  );
  return {
    ok: zeros[0].every((z) => z > 0) && zeros.slice(1).every((l) => l.every((z) => z === 0)),
    value: zeros[0].map((z) => z.toFixed(2)).join(','),
  };
});
