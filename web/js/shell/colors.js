// Colours for values, read from the theme's CSS variables so canvases follow light and dark like the rest
// of the page: class 0 / negative is orange, class 1 / positive is blue (Okabe-Ito); classes 2..5 take the
// --class-N colours of base.css.
import { cssVar, OKABE_ITO } from '../palette.js';

function rgb(hex) {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// As base.css's --class-N on the light theme: the palette's colours by class.
const CLASS_FALLBACKS = [
  OKABE_ITO.orange,
  OKABE_ITO.blue,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
];
const COLOR_NAMES = new Map([
  [OKABE_ITO.orange, 'orange'],
  [OKABE_ITO.blue, 'blue'],
  [OKABE_ITO.skyBlue, 'sky blue'],
  [OKABE_ITO.bluishGreen, 'green'],
  [OKABE_ITO.reddishPurple, 'purple'],
  [OKABE_ITO.yellow, 'yellow'],
  [OKABE_ITO.vermillion, 'vermillion'],
  [OKABE_ITO.black, 'black'],
]);

function readColor(name, fallback) {
  const value = cssVar(name);
  if (/^#[0-9a-f]{3,6}$/i.test(value)) return value;
  return fallback;
}

/** The current theme's colours as RGB triples and CSS strings; call again after a theme change. */
export function themeColors() {
  const negative = readColor('--negative', OKABE_ITO.orange);
  const positive = readColor('--positive', OKABE_ITO.blue);
  const classes = CLASS_FALLBACKS.map((fallback, k) => readColor(`--class-${k}`, fallback));
  const bg = readColor('--surface', '#ffffff');
  return {
    negative,
    positive,
    classes,
    classRgb: classes.map(rgb),
    /** Each class's colour in words, for menus and legends: "orange", "blue", ... */
    classNames: classes.map((c) => COLOR_NAMES.get(c.toLowerCase()) ?? 'colour'),
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

// divergingInto's colours as a table: t in -1..1 at 2 * LUT_HALF + 1 steps (t = 0 exactly the background,
// a step far below one colour level), and one more entry for NaN (what divergingInto gives it: opaque
// black), as RGBA pixels. Maps of thousands of pixels a frame look their colours up instead of mixing them.
const LUT_HALF = 1024;
const LUT_NAN = 2 * LUT_HALF + 1;
const tables = new WeakMap(); // colors -> strength -> table

/** The table for a theme's colours and a strength: Uint32 pixels, indexed by divergingIndex(t). */
export function divergingTable(colors, strength = 0.8) {
  if (!tables.has(colors)) tables.set(colors, new Map());
  const byStrength = tables.get(colors);
  let lut = byStrength.get(strength);
  if (!lut) {
    const bytes = new Uint8ClampedArray(4 * (LUT_NAN + 1));
    for (let k = 0; k < LUT_NAN; ++k) divergingInto(bytes, 4 * k, k / LUT_HALF - 1, colors, strength);
    divergingInto(bytes, 4 * LUT_NAN, NaN, colors, strength);
    lut = new Uint32Array(bytes.buffer);
    byStrength.set(strength, lut);
  }
  return lut;
}

/** Where t's colour is in a divergingTable (t beyond -1..1 takes the end's colour). */
export function divergingIndex(t) {
  return t === t ? Math.round((Math.max(-1, Math.min(1, t)) + 1) * LUT_HALF) : LUT_NAN;
}

/** Paints n values from[offset ..] / scale into RGBA bytes px (from pixel 0) by divergingTable. */
export function divergingPixels(px, from, offset, n, scale, colors, strength = 0.8) {
  const lut = divergingTable(colors, strength);
  const out = new Uint32Array(px.buffer, px.byteOffset, n);
  for (let i = 0; i < n; ++i) out[i] = lut[divergingIndex(from[offset + i] / scale)];
}

/**
 * Mixes the class colours by the k probabilities p[from .. from + k) into out at o, washed toward the
 * background: confidence (the top probability over the uniform 1/k) sets how far from it the colour goes.
 */
export function mixInto(out, o, p, from, k, colors, strength = 0.8) {
  const bg = colors.bgRgb;
  let top = 0;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let c = 0; c < k; ++c) {
    const q = p[from + c];
    const rgbC = colors.classRgb[c];
    top = Math.max(top, q);
    r += rgbC[0] * q;
    g += rgbC[1] * q;
    b += rgbC[2] * q;
  }
  const a = Math.max(0, (top - 1 / k) / (1 - 1 / k)) * strength;
  out[o] = bg[0] + (r - bg[0]) * a;
  out[o + 1] = bg[1] + (g - bg[1]) * a;
  out[o + 2] = bg[2] + (b - bg[2]) * a;
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

/**
 * Writes a linear region's colour into out at offset o (RGBA): a muted colour picked by the region's
 * pattern hash, so one region keeps its colour from frame to frame while it exists. Hues are spread by the
 * golden ratio and kept pale (dark theme: deep), so the class-coloured points stay readable on top.
 */
export function regionInto(out, o, hash, colors) {
  const hue = ((hash >>> 0) * 0.618033988749895) % 1;
  const shade = ((hash >>> 24) & 3) / 3; // four steps of lightness, so neighbours with close hues still differ
  const [r, g, b] = hslRgb(hue, 0.42, colors.dark ? 0.2 + 0.08 * shade : 0.74 + 0.1 * shade);
  out[o] = r;
  out[o + 1] = g;
  out[o + 2] = b;
  out[o + 3] = 255;
}

// HSL (each 0..1) to RGB bytes, the CSS formula.
function hslRgb(hue, s, l) {
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + hue * 12) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}
