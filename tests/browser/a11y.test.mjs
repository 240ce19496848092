// Accessibility as a test: axe-core (a dev dependency, used by the tests only: it is injected into the
// page from node_modules, never shipped) on every route (explorer, playground, lessons 1-10 and the
// article page, race) at 1440 and 390 px wide, light and dark. Prints the violations by impact per route
// (the closing note quotes these figures) and fails on any serious or critical one. Canvas charts must
// carry a text alternative: every canvas is hidden from assistive technology or named, and the charts
// have their values as text.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, screenshot, AXE, axe } from './harness.mjs';

useSite();

// A lesson (or the article page) drawn and on screen: an expression, as page.waitForFunction takes it.
const shown = (n) => `document.querySelector('.lesson[data-lesson="${n}"]')?.offsetParent != null`;

const ROUTES = [
  { name: 'explorer', hash: '#/explorer', ready: () => window.__explorer?.draws > 0 },
  {
    name: 'playground',
    hash: '#/playground',
    ready: () => window.__playground?.step !== undefined && document.querySelector('.pg-out__overlay')?.width > 0,
  },
  ...Array.from({ length: 10 }, (_, i) => ({ name: `lesson ${i + 1}`, hash: `#/lessons/${i + 1}`, ready: shown(i + 1) })),
  { name: 'article', hash: '#/lessons/article', ready: shown('article') },
  { name: 'own lesson', hash: '#/lessons/own', ready: shown('own') },
  {
    name: 'race',
    hash: '#/race?v=1&len=500',
    ready: () => window.__race?.steps?.length > 0 && document.querySelector('.race-map__canvas')?.width > 0,
  },
];
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];
const SCHEMES = ['light', 'dark'];
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];

const figures = [];

// One page for all of it (the site is one page: a route is a hash), resized and recoloured in place, so the
// core loads once rather than 56 times on a shared machine.
for (const viewport of WIDTHS) {
  test(`axe: every route at ${viewport.width} px, light and dark`, async () => {
    const serious = [];
    const { page, context } = await openPage(browser, site, '#/explorer', {
      viewport,
      reducedMotion: 'reduce',
      bypassCSP: true,
      waitFor: ROUTES[0].ready,
    });
    try {
      await page.addScriptTag({ path: AXE });
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        for (const route of ROUTES) {
          await page.evaluate((hash) => {
            location.hash = hash;
          }, route.hash);
          if (route.ready) await page.waitForFunction(route.ready, null, { timeout: 60000 });
          await page.waitForTimeout(400);
          const violations = await axe(page);
          const count = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
          for (const v of violations) count[v.impact] = (count[v.impact] ?? 0) + v.nodes.length;
          const where = `${route.name} ${viewport.width}px ${colorScheme}`;
          figures.push({ where, ...count });
          console.log(`# axe ${where}: ${IMPACTS.map((i) => `${i} ${count[i]}`).join(', ')}`);
          for (const v of violations) {
            console.log(
              `#   ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}; e.g. ${v.nodes
                .slice(0, 3)
                .map((n) => n.target)
                .join(' | ')}`,
            );
            if (v.impact === 'serious' || v.impact === 'critical')
              serious.push(`${where}: ${v.id} at ${v.nodes.map((n) => n.target).join(', ')}`);
          }
          if (violations.length && process.env.A11Y_SCREENSHOTS)
            await screenshot(page, `a11y-${route.name.replace(' ', '')}-${viewport.width}-${colorScheme}`);
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(serious, [], 'no serious or critical violations');
  });
}

test('canvas charts have a text alternative', async () => {
  for (const route of [
    ROUTES[0],
    ROUTES[1],
    ROUTES.at(-1),
    { name: 'playground 1-D', hash: '#/playground?v=1&data=abs', ready: ROUTES[1].ready },
  ]) {
    const { page, context } = await openPage(browser, site, route.hash, {
      waitFor: typeof route.ready === 'function' ? route.ready : undefined,
    });
    try {
      await page.waitForTimeout(300);
      const bare = await page.evaluate(() =>
        [...document.querySelectorAll('canvas')]
          .filter((c) => {
            if (!c.getClientRects().length) return false;
            if (c.closest('[aria-hidden="true"]')) return false;
            // Named itself or inside a named image; or a uPlot canvas inside a chart that gives its values as text.
            if (c.getAttribute('aria-label') || c.closest('[role="img"][aria-label]')) return false;
            if (c.closest('figure')?.querySelector('.chart-values, table')) return false;
            return true;
          })
          .map((c) => `${c.className || 'canvas'} in ${c.parentElement?.className}`),
      );
      assert.deepEqual(bare, [], `${route.name}: canvases without a text alternative`);
      // The charts' values as text (a visually hidden table).
      const tables = await page.$$eval('.chart-values', (ts) => ts.map((t) => t.textContent.length));
      if (route.name.startsWith('playground') || route.name === 'race') assert.ok(tables.length > 0, `${route.name}: chart values as text`);
    } finally {
      await context.close();
    }
  }
});

after(() => {
  if (!figures.length) return;
  const total = Object.fromEntries(IMPACTS.map((i) => [i, figures.reduce((t, f) => t + f[i], 0)]));
  console.log(`# axe total over ${figures.length} pages: ${IMPACTS.map((i) => `${i} ${total[i]}`).join(', ')}`);
});
