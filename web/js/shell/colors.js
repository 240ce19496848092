// Colours for values, read from the theme's CSS variables so canvases follow light and dark like the rest
// of the page: class 0 / negative is orange, class 1 / positive is blue (Okabe-Ito), a third class green.
import { cssVar, OKABE_ITO } from '../palette.js';

function rgb(hex) {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function readColor(name, fallback) {
  const value = cssVar(name);
  if (/^#[0-9a-f]{3,6}$/i.test(value)) return value;
  return fallback;
}

/** The current theme's colours as RGB triples and CSS strings; call again after a theme change. */
export function themeColors() {
  const negative = readColor('--negative', OKABE_ITO.orange);
  const positive = readColor('--positive', OKABE_ITO.blue);
  const third = OKABE_ITO.bluishGreen;
  const bg = readColor('--surface', '#ffffff');
  return {
    negative,
    positive,
    third,
    classes: [negative, positive, third],
    classRgb: [rgb(negative), rgb(positive), rgb(third)],
    negativeRgb: rgb(negative),
    positiveRgb: rgb(positive),
    bgRgb: rgb(bg),
    fg: cssVar('--fg') || '#1b1d21',
    muted: cssVar('--muted') || '#555b66',
    axis: cssVar('--axis') || '#555b66',
    grid: cssVar('--grid') || 'rgba(0,0,0,0.1)',
    surface: bg,
    border: cssVar('--border') || '#c9ccd2',
    error: cssVar('--error-border') || '#b34700',
    focus: cssVar('--focus') || '#d55e00',
    dark: rgb(bg)[0] < 128,
  };
}

/**
 * Writes a diverging colour for t in [-1, 1] into out at offset o (RGBA): the background at 0, the
 * negative colour at -1, the positive one at +1. Lighter than the points drawn over it (at most 80%).
 */
export function divergingInto(out, o, t, colors, strength = 0.8) {
  const c = t < 0 ? colors.negativeRgb : colors.positiveRgb;
  const bg = colors.bgRgb;
  const a = Math.min(1, Math.abs(t)) * strength;
  out[o] = bg[0] + (c[0] - bg[0]) * a;
  out[o + 1] = bg[1] + (c[1] - bg[1]) * a;
  out[o + 2] = bg[2] + (c[2] - bg[2]) * a;
  out[o + 3] = 255;
}

/** Mixes the class colours by probabilities p (length 3) into out at o, washed toward the background. */
export function mixInto(out, o, p0, p1, p2, colors, strength = 0.8) {
  const [a, b, c] = colors.classRgb;
  const bg = colors.bgRgb;
  // Confidence (max probability over the uniform 1/3) sets how far from the background the colour goes.
  const top = Math.max(p0, p1, p2);
  const k = Math.max(0, (top - 1 / 3) / (2 / 3)) * strength;
  for (let i = 0; i < 3; ++i) {
    const mixed = a[i] * p0 + b[i] * p1 + c[i] * p2;
    out[o + i] = bg[i] + (mixed - bg[i]) * k;
  }
  out[o + 3] = 255;
}

/** A weight's colour and line width for the network diagram. */
export function weightStyle(w, colors, scale = 1) {
  const m = Math.min(1, Math.abs(w) / scale);
  return {
    color: w < 0 ? colors.negative : colors.positive,
    width: 0.5 + 5 * m,
    alpha: 0.25 + 0.75 * m,
  };
}
