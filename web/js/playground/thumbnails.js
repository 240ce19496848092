// Dataset thumbnails, drawn from the core's own points: one short-lived session per dataset, so each
// picture is exactly the data the playground trains on (seed 1, no noise).
import { DATASETS } from '../state.js';
import { divergingInto } from '../shell/colors.js';
import { PLOT_EXTENT } from '../catalog.js';

const SIDE = 56;

/** name -> Float64Array (n, 3) of the dataset's points, made once per page. */
export function datasetPoints(engine) {
  const out = new Map();
  for (const d of DATASETS) {
    if (d.name === 'custom') continue;
    const session = engine.createSession({
      seed: 1,
      data: { dataset: d.name, num_points: 200, noise: 0, test_fraction: 0.1 },
      network: { hidden: [], head: d.problem === 'regression' ? 'linear_mse' : d.classes > 2 ? 'softmax_ce' : 'sigmoid_bce' },
    });
    try {
      const a = session.points('train');
      const b = session.points('test');
      const all = new Float64Array(a.length + b.length);
      all.set(a);
      all.set(b, a.length);
      out.set(d.name, all);
    } finally {
      session.dispose();
    }
  }
  return out;
}

/** Draws a dataset's points into a small canvas: classes in their colours, values on the diverging scale. */
export function drawThumbnail(canvas, info, points, colors) {
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  canvas.width = SIDE * ratio;
  canvas.height = SIDE * ratio;
  canvas.style.width = `${SIDE}px`;
  canvas.style.height = `${SIDE}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = colors.surface;
  ctx.fillRect(0, 0, SIDE, SIDE);
  if (!points) return;
  let lo = Infinity;
  let hi = -Infinity;
  let scale = 0;
  for (let i = 2; i < points.length; i += 3) {
    lo = Math.min(lo, points[i]);
    hi = Math.max(hi, points[i]);
    scale = Math.max(scale, Math.abs(points[i]));
  }
  const px = (x) => ((x + PLOT_EXTENT) / (2 * PLOT_EXTENT)) * SIDE;
  const rgba = [];
  for (let i = 0; i < points.length; i += 3) {
    let x;
    let y;
    if (info.dims === 1) {
      x = px(points[i]);
      y = SIDE - 4 - ((points[i + 2] - lo) / (hi - lo || 1)) * (SIDE - 8);
      ctx.fillStyle = colors.positive;
    } else {
      x = px(points[i]);
      y = SIDE - px(points[i + 1]);
      if (info.problem === 'regression') {
        divergingInto(rgba, 0, points[i + 2] / (scale || 1), colors, 1);
        ctx.fillStyle = `rgb(${rgba[0]},${rgba[1]},${rgba[2]})`;
      } else {
        ctx.fillStyle = colors.classes[points[i + 2]] ?? colors.fg;
      }
    }
    ctx.fillRect(x - 1.2, y - 1.2, 2.4, 2.4);
  }
}
