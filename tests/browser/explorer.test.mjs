// The activation explorer in a real browser: the pixels of ReLU and its derivative are where the formula
// puts them, the sliders and the f'(0) switch move what is drawn, every control works from the keyboard,
// and a bad link is reported rather than crashing. The expected values come from the formulas written
// here (max(0, x), its slopes), never from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, screenshot, tabThrough, sidewaysOverflow, DESKTOP, PHONE } from './harness.mjs';

useSite();

const drawn = () => window.__explorer?.draws > 0;

/**
 * For each data point (x, y), the pixels of the chart canvas in a (2r+1)^2 square around where the chart's own
 * scales put it; returns, per point, how close the closest pixel is to `color` (RGB distance).
 */
async function distanceToColor(page, points, color, r = 2) {
  return page.evaluate(
    ({ points, color, r }) => {
      // Any CSS colour (#fff, #0072b2, rgb(...)) to RGB, by painting it.
      const scratch = document.createElement('canvas').getContext('2d');
      scratch.fillStyle = color;
      scratch.fillRect(0, 0, 1, 1);
      const rgb = scratch.getImageData(0, 0, 1, 1).data;
      const canvas = window.__explorer.canvas();
      const ctx = canvas.getContext('2d');
      return points.map(([x, y]) => {
        const [px, py] = window.__explorer.toCanvas(x, y);
        const data = ctx.getImageData(Math.round(px) - r, Math.round(py) - r, 2 * r + 1, 2 * r + 1).data;
        let best = Infinity;
        for (let i = 0; i < data.length; i += 4) {
          const d = Math.hypot(data[i] - rgb[0], data[i + 1] - rgb[1], data[i + 2] - rgb[2]);
          if (data[i + 3] > 200 && d < best) best = d;
        }
        return best;
      });
    },
    { points, color, r },
  );
}

const NEAR = 40; // an anti-aliased line's centre pixel is within this of its colour; the background is ~200 away

async function redrawn(page, before) {
  await page.waitForFunction((n) => window.__explorer.draws > n, before);
}

test('ReLU and its derivative are drawn where max(0, x) and its slope put them', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu&d=1&from=-10&to=10', { waitFor: drawn });
  try {
    const color = await page.evaluate(() => window.__explorer.colors.relu);
    const relu = (x) => Math.max(0, x);
    const xs = [-9, -7.5, -4, -1.5, 1.5, 3, 4.5, 6.5, 9];
    // f: on the curve every sampled point has the line's colour...
    const onF = await distanceToColor(
      page,
      xs.map((x) => [x, relu(x)]),
      color,
    );
    onF.forEach((d, i) => assert.ok(d < NEAR, `f(${xs[i]}) = ${relu(xs[i])}: nearest pixel is ${d.toFixed(0)} from the line colour`));
    // ...and off it (1.5 above and below, clear of f' at 0 and 1) none has.
    const off = xs
      .flatMap((x) => [
        [x, relu(x) + 2.5],
        [x, relu(x) - 1.7],
      ])
      .filter(([, y]) => Math.abs(y - 1) > 0.6 && Math.abs(y) > 0.6);
    const offD = await distanceToColor(page, off, color, 1);
    offD.forEach((d, i) => assert.ok(d > 100, `(${off[i]}) is off the curve but has the line colour (distance ${d.toFixed(0)})`));
    // f': 1 for x > 0 (where f is elsewhere). The line is dashed: look along 10 px of it.
    const dashWindow = await page.evaluate(() => {
      const [a] = window.__explorer.toCanvas(0, 0);
      const [b] = window.__explorer.toCanvas(1, 0);
      return 8 / (b - a); // 8 px in x units: longer than a dash's gap (5 px)
    });
    for (const x of [2, 5, 8]) {
      const along = Array.from({ length: 11 }, (_, i) => [x + ((i - 5) * dashWindow) / 5, 1]);
      const d = await distanceToColor(page, along, color, 1);
      assert.ok(Math.min(...d) < NEAR, `f'(${x}) = 1 is not drawn (closest ${Math.min(...d).toFixed(0)})`);
      // Halfway between f' = 1 and f = x there is nothing.
      const between = await distanceToColor(
        page,
        along.map(([xx]) => [xx, (1 + xx) / 2]),
        color,
        1,
      );
      assert.ok(Math.min(...between) > 100, `something in the line colour at (${x}, ${(1 + x) / 2}), between f' and f`);
    }
    // The data behind the dots: ReLU's kink at 0, slope 0 used there (the default), limits 0 and 1.
    const marks = await page.evaluate(() => window.__explorer.marks.relu);
    assert.equal(marks.length, 1);
    assert.deepEqual([marks[0].x, marks[0].f, marks[0].d, marks[0].dL, marks[0].dR], [0, 0, 0, 0, 1]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("hovering reads x, f(x) and f'(x); so does the keyboard read-out slider", async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu', { waitFor: drawn });
  try {
    const [cx, cy] = await page.evaluate(() => window.__explorer.toClient(3, 3));
    await page.mouse.move(cx, cy);
    await page.waitForFunction(() => window.__explorer.legend()[0].value !== '--');
    let legend = Object.fromEntries((await page.evaluate(() => window.__explorer.legend())).map((r) => [r.label, Number(r.value)]));
    const x = legend.x;
    assert.ok(Math.abs(x - 3) < 0.06, `hover at x = 3 read x = ${x}`);
    assert.equal(legend['ReLU f(x)'], Math.max(0, x));
    assert.equal(legend['ReLU f′(x)'], 1);

    await page.mouse.move(10, 10); // leave the chart
    await page.focus('#probe-x');
    await page.fill('#probe-x', '-2');
    await page.waitForFunction(() => Number(window.__explorer.legend()[0].value) === -2);
    legend = Object.fromEntries((await page.evaluate(() => window.__explorer.legend())).map((r) => [r.label, Number(r.value)]));
    assert.equal(legend['ReLU f(x)'], 0);
    assert.equal(legend['ReLU f′(x)'], 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a touch screen, a tap on the chart reads the values there', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu', {
    viewport: PHONE,
    hasTouch: true,
    waitFor: drawn,
  });
  try {
    const [cx, cy] = await page.evaluate(() => window.__explorer.toClient(-4, 0));
    await page.touchscreen.tap(cx, cy);
    await page.waitForFunction(() => window.__explorer.legend()[0].value !== '--');
    const legend = Object.fromEntries((await page.evaluate(() => window.__explorer.legend())).map((r) => [r.label, Number(r.value)]));
    assert.ok(Math.abs(legend.x + 4) < 0.1, `tap at x = -4 read x = ${legend.x}`);
    assert.equal(legend['ReLU f(x)'], 0);
    assert.equal(legend['ReLU f′(x)'], 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the leaky ReLU slider moves the curve as it moves, and the URL follows', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=leaky_relu&d=0', { waitFor: drawn });
  try {
    const color = await page.evaluate(() => window.__explorer.colors.leaky_relu);
    const leaky = (x, a) => (x > 0 ? x : a * x);
    const xs = [-9, -7, -5, -3];
    let d = await distanceToColor(
      page,
      xs.map((x) => [x, leaky(x, 0.01)]),
      color,
    );
    d.forEach((v, i) => assert.ok(v < NEAR, `alpha 0.01: f(${xs[i]}) not drawn`));

    // Drag-equivalent: 'input' events from the range control, each redrawn on the next frame.
    for (const alpha of ['0.2', '0.5']) {
      const before = await page.evaluate(() => window.__explorer.draws);
      await page.fill('#param-leaky_relu', alpha);
      await redrawn(page, before);
    }
    d = await distanceToColor(
      page,
      xs.map((x) => [x, leaky(x, 0.5)]),
      color,
    );
    d.forEach((v, i) => assert.ok(v < NEAR, `alpha 0.5: f(${xs[i]}) = ${leaky(xs[i], 0.5)} not drawn`));
    const old = await distanceToColor(
      page,
      [
        [-9, leaky(-9, 0.01)],
        [-7, leaky(-7, 0.01)],
      ],
      color,
      1,
    );
    old.forEach((v) => assert.ok(v > 100, 'the alpha 0.01 line is still drawn'));
    assert.match(await page.textContent('label[for="param-leaky_relu"] output'), /^0\.5$/);
    assert.match(page.url(), /leaky_relu\.alpha=0\.5/);

    // Keyboard: one arrow step is the slider's step, 0.01.
    await page.focus('#param-leaky_relu');
    const before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('ArrowRight');
    await redrawn(page, before);
    assert.equal(await page.evaluate(() => window.__explorer.state.params.leaky_relu), 0.51);
    d = await distanceToColor(page, [[-9, leaky(-9, 0.51)]], color);
    assert.ok(d[0] < NEAR, 'alpha 0.51 after ArrowRight not drawn');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the f'(0) convention switch moves the filled dot at 0 and the open dots to the one-sided limits", async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu&d=1&from=-2&to=2&g0=0', { waitFor: drawn });
  try {
    const color = await page.evaluate(() => window.__explorer.colors.relu);
    const hole = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--surface').trim());
    // The dot's centre pixel: the line colour when filled, the background when open.
    const centre = async (y) => (await distanceToColor(page, [[0, y]], color, 0))[0];
    const centreHole = async (y) => (await distanceToColor(page, [[0, y]], hole, 0))[0];

    assert.ok((await centre(0)) < NEAR, 'g0 = 0: filled dot at (0, 0)');
    assert.ok((await centreHole(1)) < NEAR, 'g0 = 0: open dot at (0, 1), the right-hand limit');
    assert.ok((await centre(0.5)) > 100, 'g0 = 0: nothing at (0, 0.5)');

    // Operate the radio group with the keyboard: focus the checked radio, arrow to the next.
    await page.focus('#g0-0');
    let before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('ArrowRight');
    await redrawn(page, before);
    assert.equal(await page.evaluate(() => window.__explorer.marks.relu[0].d), 0.5);
    assert.ok((await centre(0.5)) < NEAR, 'g0 = 0.5: filled dot at (0, 0.5)');
    assert.ok((await centreHole(0)) < NEAR, 'g0 = 0.5: open dot at (0, 0), the left-hand limit');
    assert.ok((await centreHole(1)) < NEAR, 'g0 = 0.5: open dot at (0, 1), the right-hand limit');
    assert.match(page.url(), /g0=0\.5/);

    before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('ArrowRight');
    await redrawn(page, before);
    assert.ok((await centre(1)) < NEAR, 'g0 = 1: filled dot at (0, 1)');
    assert.ok((await centreHole(0)) < NEAR, 'g0 = 1: open dot at (0, 0)');
    assert.ok((await centre(0.5)) > 100, 'g0 = 1: nothing left at (0, 0.5)');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every control is reachable by Tab and works from the keyboard', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu,leaky_relu,elu,silu,softplus,prelu', {
    waitFor: drawn,
  });
  try {
    const focused = (await tabThrough(page, 60)).filter(Boolean);
    const ids = new Set(focused.map((f) => f.id).filter(Boolean));
    const expected = await page.evaluate(() =>
      [...document.querySelectorAll('#explorer input, #explorer button, #explorer select')]
        .filter((el) => el.offsetParent !== null && !(el.type === 'radio' && !el.checked))
        .map((el) => el.id),
    );
    for (const id of expected) assert.ok(ids.has(id), `Tab never reaches #${id}`);
    assert.ok(
      focused.some((f) => f.tag === 'summary'),
      'the code sections open from the keyboard',
    );
    assert.ok(
      focused.filter((f) => f.tag === 'input').every((f) => f.label !== ''),
      'every input has a label',
    );
    assert.ok(
      focused.every((f) => f.focusVisible),
      'focus is visible everywhere',
    );

    // Operate them: a checkbox with Space, the derivative toggle, the range by typing, a reset button.
    await page.focus('#fn-sigmoid');
    let before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('Space');
    await redrawn(page, before);
    assert.ok((await page.evaluate(() => window.__explorer.state.fns)).includes('sigmoid'));

    await page.focus('#show-deriv');
    before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('Space');
    await redrawn(page, before);
    assert.equal(await page.evaluate(() => window.__explorer.state.deriv), false);
    assert.match(page.url(), /d=0/);

    await page.focus('#range-from');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('-3');
    before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('Tab');
    await redrawn(page, before);
    assert.equal(await page.evaluate(() => window.__explorer.state.from), -3);

    // A range that cannot be drawn is refused next to the field, and the plot keeps the old one.
    await page.focus('#range-to');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('-5');
    await page.keyboard.press('Tab');
    assert.match(await page.textContent('#range-error'), /must exceed/);
    assert.equal(await page.getAttribute('#range-to', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => window.__explorer.state.to), 10);

    await page.focus('text=Reset to −10..10');
    before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('Enter');
    await redrawn(page, before);
    assert.deepEqual(await page.evaluate(() => [window.__explorer.state.from, window.__explorer.state.to]), [-10, 10]);
    assert.equal(await page.textContent('#range-error'), '');

    await page.focus('#param-silu');
    before = await page.evaluate(() => window.__explorer.draws);
    await page.keyboard.press('End');
    await redrawn(page, before);
    assert.equal(await page.evaluate(() => window.__explorer.state.params.silu), 10);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link carries the state; bad values in it are ignored with a visible note, never a crash', async () => {
  const good = '#/explorer?fn=silu,elu&d=0&from=-4&to=6&g0=1&silu.beta=2.5&elu.alpha=0.5';
  let opened = await openPage(browser, site, good, { waitFor: drawn });
  try {
    const { page } = opened;
    const state = await page.evaluate(() => window.__explorer.state);
    assert.deepEqual(state.fns, ['silu', 'elu']);
    assert.equal(state.deriv, false);
    assert.deepEqual([state.from, state.to, state.g0, state.params.silu, state.params.elu], [-4, 6, 1, 2.5, 0.5]);
    assert.equal(await page.inputValue('#param-silu'), '2.5');
    assert.equal(await page.isChecked('#fn-elu'), true);
    assert.equal(await page.isHidden('.note'), true);
    // Reloading gives the same state.
    await page.reload();
    await page.waitForFunction(drawn);
    assert.deepEqual(await page.evaluate(() => window.__explorer.state), state);
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.context.close();
  }

  opened = await openPage(browser, site, '#/explorer?fn=relu,bogus&from=abc&to=5&g0=0.3&silu.beta=1&elu.alpha=99&zzz=1', {
    waitFor: drawn,
  });
  try {
    const { page } = opened;
    const note = await page.textContent('.note');
    for (const part of ['"bogus"', 'from: "abc"', 'g0: "0.3"', 'elu.alpha: 99', '"zzz"'])
      assert.ok(note.includes(part), `note lacks ${part}: ${note}`);
    const state = await page.evaluate(() => window.__explorer.state);
    assert.deepEqual(state.fns, ['relu']);
    assert.deepEqual([state.from, state.to, state.g0], [-10, 10, 0]);
    // The address bar now holds the cleaned state.
    assert.doesNotMatch(page.url(), /bogus|zzz|abc/);
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.context.close();
  }
});

test('each chosen function has its formula, explanation and code; ReLU has both Python forms', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu,gelu_erf', { waitFor: drawn });
  try {
    await page.waitForSelector('#about-relu .katex');
    const relu = await page.textContent('#about-relu');
    assert.match(relu, /returns x for x > 0 and 0 otherwise/);
    assert.match(relu, /frameworks such as PyTorch and TensorFlow pick 0/);
    assert.match(relu, /struct Relu \{/);
    assert.match(relu, /if x > 0:\s+return x\s+else:\s+return 0\.0/);
    assert.match(relu, /return max\(0\.0, x\)/);
    assert.match(relu, /not 1\.0 as the article says/);
    assert.equal(await page.locator('#about-relu .katex-display').count(), 2);
    assert.match(await page.textContent('#about-gelu_erf'), /struct GeluErf \{/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('screenshots of the explorer: desktop and phone, light and dark', async () => {
  const hash = '#/explorer?fn=relu,leaky_relu,silu,elu&d=1&g0=0.5&leaky_relu.alpha=0.1&elu.alpha=1.5';
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    for (const scheme of ['light', 'dark']) {
      const { page, errors, context } = await openPage(browser, site, hash, { viewport, colorScheme: scheme, waitFor: drawn });
      try {
        await page.waitForSelector('#about-relu .katex');
        await page.evaluate(() => document.fonts.ready);
        assert.equal(await sidewaysOverflow(page), 0);
        await screenshot(page, `explorer-${name}-${scheme}`, { fullPage: false });
        await screenshot(page, `explorer-${name}-${scheme}-full`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  }
});
