// The output and unit maps paint through a table of divergingInto's colours (web/js/shell/colors.js): the
// table must give what divergingInto gives, exactly at -1, 0 and 1 and within one colour level between.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// colors.js reads the theme through palette.js, which looks at window when it loads.
globalThis.window ??= {};
const { divergingInto, divergingIndex, divergingPixels, divergingTable } = await import('../../web/js/shell/colors.js');

const colors = { negativeRgb: [230, 159, 0], positiveRgb: [0, 114, 178], bgRgb: [255, 255, 255] };

function direct(t, strength) {
  const px = new Uint8ClampedArray(4);
  divergingInto(px, 0, t, colors, strength);
  return [...px];
}

function viaTable(t, strength) {
  return [...new Uint8Array(new Uint32Array([divergingTable(colors, strength)[divergingIndex(t)]]).buffer)];
}

test('the table gives divergingInto colours: exact at -1, 0, 1 and beyond, within a level between, NaN alike', () => {
  for (const strength of [0.8, 0.9, 1]) {
    for (const t of [-5, -1, 0, 1, 7, NaN]) assert.deepEqual(viaTable(t, strength), direct(t, strength), `t=${t}`);
    let worst = 0;
    for (let k = 0; k <= 20000; ++k) {
      const t = -1 + k / 10000 + 1e-5;
      const a = viaTable(t, strength);
      const b = direct(t, strength);
      for (let c = 0; c < 4; ++c) worst = Math.max(worst, Math.abs(a[c] - b[c]));
    }
    assert.ok(worst <= 1, `strength ${strength}: ${worst} levels apart`);
  }
  assert.notDeepEqual(viaTable(0.5, 0.8), viaTable(0.5, 1), 'each strength has its own table');
});

test('divergingPixels paints values over a scale into RGBA bytes', () => {
  const values = new Float64Array([9, 2, -4, 0, 4, NaN]);
  const px = new Uint8ClampedArray(4 * 5);
  divergingPixels(px, values, 1, 5, 4, colors, 0.9);
  const expected = [0.5, -1, 0, 1, NaN].flatMap((t) => direct(t, 0.9));
  assert.deepEqual([...px], expected);
});
