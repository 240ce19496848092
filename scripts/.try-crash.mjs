import { startSite, launchBrowser, openPage } from '../tests/browser/harness.mjs';
const site = await startSite();
const browser = await launchBrowser();
const { page, errors } = await openPage(browser, site, '#/playground?v=1&seed=5&data=xor&h=6,3&lr=0.1&speed=6', { beforeLoad: (p) => p.addInitScript(() => { window.__engineDeadlineScale = Number(new URLSearchParams(location.search).get('ds') ?? 1); }), waitFor: () => window.__playground?.step === 0 });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
await page.click('.pg-play');
for (let i = 0; i < 8; ++i) { await page.waitForTimeout(2000); console.log('step', await page.evaluate(() => [window.__playground.step, window.__playground.playing, window.__playground.fps(), window.__playground.engineDown, window.__engine.workers, document.querySelector('.pg-messages').innerText.slice(0,200)])); }
await page.evaluate(() => window.__playground.crashEngine());
for (let i = 0; i < 8; ++i) { await page.waitForTimeout(1000); console.log('after', await page.evaluate(() => [window.__playground.step, window.__playground.playing, window.__playground.engineDown])); }
console.log(await page.locator('.pg-banner').innerText().catch(e=>e.message));
console.log('errors', errors);
await browser.close(); await site.close();
