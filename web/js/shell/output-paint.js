// The colours of a network's output over a grid, for the playground's map and the race's: one home for how
// each head's output becomes a colour, so the two maps always agree.
import { divergingIndex, divergingTable, mixInto, regionInto } from './colors.js';

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
  const image = imageFor(canvas, ctx, res);
  const px = image.data;
  if (outputs >= 3) {
    const onehot = new Float64Array(outputs);
    for (let i = 0, n = res * res; i < n; ++i) {
      if (discrete) {
        // The most probable class in full (the first of a tie).
        let best = 0;
        for (let c = 1; c < outputs; ++c) if (grid[i * outputs + c] > grid[i * outputs + best]) best = c;
        onehot.fill(0);
        onehot[best] = 1;
        mixInto(px, i * 4, onehot, 0, outputs, colors);
      } else {
        mixInto(px, i * 4, grid, i * outputs, outputs, colors);
      }
    }
  } else {
    // One value per pixel in -1..1, then its colour from a table, written as whole pixels.
    const lut = divergingTable(colors);
    const out = new Uint32Array(px.buffer, px.byteOffset, res * res);
    for (let i = 0, n = res * res; i < n; ++i) {
      let t;
      if (outputs === 2)
        t = grid[i * 2 + 1] - grid[i * 2]; // softmax over two classes
      else if (head === 'sigmoid_bce')
        t = 2 * grid[i] - 1; // probability of class 1
      else if (head === 'tanh_mse')
        t = grid[i]; // already in [-1, 1]
      else t = grid[i] / valueScale; // regression value
      if (discrete) t = head === 'linear_mse' ? Math.round(t * 4) / 4 : t > 0 ? 1 : t < 0 ? -1 : 0;
      out[i] = lut[divergingIndex(t)];
    }
  }
  ctx.putImageData(image, 0, 0);
}

// One ImageData per canvas, reused while its side stays: a new one each frame is 40 kB of garbage at 100 px.
const images = new WeakMap();

function imageFor(canvas, ctx, res) {
  let image = images.get(canvas);
  if (!image || image.width !== res) {
    image = ctx.createImageData(res, res);
    images.set(canvas, image);
  }
  return image;
}

/**
 * Paints a (res, res) grid of activation-pattern hashes as linear regions into `canvas`: each region in its
 * own colour (regionInto), and a thin line wherever two neighbouring pixels' patterns differ, drawn at
 * `scale` canvas pixels per grid pixel so the lines stay thin however coarse the grid (the backing store
 * becomes res * scale square).
 */
export function paintRegions(canvas, patterns, res, scale, colors, scratch = document.createElement('canvas')) {
  scratch.width = res;
  scratch.height = res;
  const small = scratch.getContext('2d');
  const image = small.createImageData(res, res);
  for (let i = 0, n = res * res; i < n; ++i) regionInto(image.data, i * 4, patterns[i], colors);
  small.putImageData(image, 0, 0);
  const side = res * scale;
  if (canvas.width !== side || canvas.height !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, side, side);
  ctx.strokeStyle = colors.fg;
  ctx.globalAlpha = 0.7;
  ctx.lineWidth = Math.max(1, scale / 4);
  ctx.stroke(regionEdges(patterns, res, scale));
  ctx.globalAlpha = 1;
}

/** The boundaries between regions as one path: runs of pixel edges where neighbouring patterns differ. */
export function regionEdges(patterns, res, scale) {
  const path = new Path2D();
  // Vertical edges between columns c and c + 1, merged down the rows; then horizontal ones, across columns.
  for (let c = 0; c + 1 < res; ++c) {
    let start = -1;
    for (let r = 0; r <= res; ++r) {
      const differs = r < res && patterns[r * res + c] !== patterns[r * res + c + 1];
      if (differs && start < 0) start = r;
      if (!differs && start >= 0) {
        path.moveTo((c + 1) * scale, start * scale);
        path.lineTo((c + 1) * scale, r * scale);
        start = -1;
      }
    }
  }
  for (let r = 0; r + 1 < res; ++r) {
    let start = -1;
    for (let c = 0; c <= res; ++c) {
      const differs = c < res && patterns[r * res + c] !== patterns[(r + 1) * res + c];
      if (differs && start < 0) start = c;
      if (!differs && start >= 0) {
        path.moveTo(start * scale, (r + 1) * scale);
        path.lineTo(c * scale, (r + 1) * scale);
        start = -1;
      }
    }
  }
  return path;
}
