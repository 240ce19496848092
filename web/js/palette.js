// Okabe and Ito's colour-blind-safe palette, mirrored from base.css (--oi-*). Series take colours in the
// order below; the order differs by theme so the first colours have good contrast on the background
// (yellow is hard to see on white, black invisible on the dark theme).
export const OKABE_ITO = {
  black: '#000000',
  orange: '#e69f00',
  skyBlue: '#56b4e9',
  bluishGreen: '#009e73',
  yellow: '#f0e442',
  blue: '#0072b2',
  vermillion: '#d55e00',
  reddishPurple: '#cc79a7',
};

const SERIES_ORDER = {
  light: ['blue', 'vermillion', 'bluishGreen', 'reddishPurple', 'orange', 'skyBlue', 'black'],
  dark: ['skyBlue', 'orange', 'bluishGreen', 'reddishPurple', 'yellow', 'vermillion', 'white'],
};

// One query object for the page's life: charts ask for the theme every frame, and a matchMedia() call
// each time made a new MediaQueryList for the garbage collector.
const DARK_QUERY = window.matchMedia?.('(prefers-color-scheme: dark)');

/** 'dark' or 'light', following the system setting (base.css follows the same media query). */
export function currentTheme() {
  return DARK_QUERY?.matches ? 'dark' : 'light';
}

/** Colour of the i-th series in a theme; wraps after seven (callers add dashes or labels to tell them apart). */
export function seriesColor(i, theme = currentTheme()) {
  const order = SERIES_ORDER[theme] ?? SERIES_ORDER.light;
  const name = order[i % order.length];
  return name === 'white' ? '#ffffff' : OKABE_ITO[name];
}

/** A CSS custom property's value on the root element, e.g. cssVar('--fg'). */
export function cssVar(name, element = document.documentElement) {
  return getComputedStyle(element).getPropertyValue(name).trim();
}

/** Calls fn(theme) whenever the system switches between light and dark. */
export function onThemeChange(fn) {
  DARK_QUERY?.addEventListener('change', () => fn(currentTheme()));
}

/** Whether the user asked for less motion (animations then jump to their end state). */
export function prefersReducedMotion() {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}
