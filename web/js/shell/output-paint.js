// The colours of a network's output over a grid, for the playground's map and the race's: one home for how
// each head's output becomes a colour, so the two maps always agree.
import { divergingInto, mixInto } from './colors.js';

/**
 * Paints a (res, res, outputs) grid into canvas `canvas` (its backing store becomes res x res).
 * head: the core's head name; valueScale: regression values are divided by it (the largest |target|);
 * discrete: each point takes its class colour (or a quarter step of the value) instead of a blend.
 */
export function paintOutput(canvas, grid, res, { outputs, head, valueScale = 1, discrete = false, colors }) {
  if (canvas.width !== res || canvas.height !== res) {
    canvas.width = res;
    canvas.height = res;
  }
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(res, res);
  const px = image.data;
  const onehot = new Float64Array(outputs);
  for (let i = 0, n = res * res; i < n; ++i) {
    const o = i * 4;
    if (outputs >= 3) {
      if (discrete) {
        // The most probable class in full (the first of a tie).
        let best = 0;
        for (let c = 1; c < outputs; ++c) if (grid[i * outputs + c] > grid[i * outputs + best]) best = c;
        onehot.fill(0);
        onehot[best] = 1;
        mixInto(px, o, onehot, 0, outputs, colors);
      } else {
        mixInto(px, o, grid, i * outputs, outputs, colors);
      }
      continue;
    }
    let t;
    if (outputs === 2)
      t = grid[i * 2 + 1] - grid[i * 2]; // softmax over two classes
    else if (head === 'sigmoid_bce')
      t = 2 * grid[i] - 1; // probability of class 1
    else if (head === 'tanh_mse')
      t = grid[i]; // already in [-1, 1]
    else t = grid[i] / valueScale; // regression value
    if (discrete) t = head === 'linear_mse' ? Math.round(t * 4) / 4 : t > 0 ? 1 : t < 0 ? -1 : 0;
    divergingInto(px, o, t, colors);
  }
  ctx.putImageData(image, 0, 0);
}
