// One typeface for every letter: the shipped Noto Serif draws the Kazakh,
// Russian and Latin text of the sample site in Debian's Chromium, so that no
// Қ, Ғ, Ү, Ұ, Ң, Ә, Ө or І falls back to another font in the middle of a word.
// Also: search results and region lists give a sentence year as such.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, BASE_PATH } from './harness.mjs';

let srv, br;
before(async () => { srv = await serve(); br = await browser(); });
after(async () => { await br?.close(); srv?.server.close(); });

// The fonts Chromium actually used to draw an element's text, by the DevTools
// protocol's platform fonts (their family names and glyph counts).
async function renderedFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

const pages = [
  ['kk', 'kk/', 'h1'],
  ['kk', 'kk/essays/stages-of-rehabilitation/', 'h1'],
  ['kk', 'kk/regions/', 'h1'],
  ['ru', 'ru/people/dzhumaliev-kazhym/', 'h1'],
  ['en', 'en/people/tynyshpaev-mukhamedzhan/', 'h1'],
];

for (const [lang, rel, selector] of pages) {
  test(`${lang}: ${rel} ${selector} is drawn in the shipped Noto Serif only`, async () => {
    const page = await br.context.newPage();
    const fontRequests = [];
    page.on('response', (r) => { if (r.url().endsWith('.woff2')) fontRequests.push([r.url(), r.status()]); });
    await page.goto(`${srv.origin}${BASE_PATH}${rel}`);
    await page.evaluate(() => document.fonts.ready);
    const family = await page.locator(selector).first().evaluate((e) => getComputedStyle(e).fontFamily);
    assert.match(family, /^"?Noto Serif"?,/, 'the stack starts with the shipped font');
    const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.weight} ${f.style}`));
    assert.ok(loaded.some((f) => /Noto Serif/.test(f)), `a shipped face loaded: ${loaded}`);
    assert.ok(fontRequests.length && fontRequests.every(([u, s]) => s === 200 && u.includes(`${BASE_PATH}fonts/`)), JSON.stringify(fontRequests));
    const fonts = await renderedFonts(page, selector);
    assert.ok(fonts.length > 0, 'the heading has text');
    // Every glyph of the heading comes from the web font (not a system font).
    assert.deepEqual(fonts.filter((f) => !f.isCustomFont), [], `system fonts drew part of it: ${JSON.stringify(fonts)}`);
    assert.ok(fonts.every((f) => f.familyName === 'Noto Serif'), JSON.stringify(fonts));
    await page.close();
  });
}

test('kk: every Kazakh letter is in the shipped font', async () => {
  const page = await br.context.newPage();
  await page.goto(`${srv.origin}${BASE_PATH}kk/`);
  await page.evaluate(() => document.fonts.ready);
  const letters = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі';
  const ok = await page.evaluate(async (text) => {
    await document.fonts.load('1rem "Noto Serif"', text);
    await document.fonts.load('bold 1rem "Noto Serif"', text);
    return document.fonts.check('1rem "Noto Serif"', text) && document.fonts.check('bold 1rem "Noto Serif"', text);
  }, letters);
  assert.ok(ok, 'document.fonts.check for the Kazakh letters');
  // A probe of the Kazakh letters alone is drawn by the web font, glyph for glyph.
  await page.evaluate((text) => {
    const p = document.createElement('p');
    p.id = 'probe';
    p.textContent = text;
    document.querySelector('main').append(p);
  }, `${letters} Құрбандарын`);
  const fonts = await renderedFonts(page, '#probe');
  assert.deepEqual(fonts.map((f) => [f.familyName, f.isCustomFont]), [['Noto Serif', true]], JSON.stringify(fonts));
  await page.close();
});

test('search: a person with only a sentence date is shown as sentenced, not arrested', async () => {
  const page = await br.context.newPage();
  await page.goto(`${srv.origin}${BASE_PATH}en/search/?q=Tynyshpaev`);
  await page.waitForSelector('#results li a');
  const line = await page.locator('#results li').filter({ has: page.locator('a[href$="/tynyshpaev-mukhamedzhan/"]') }).locator('.facts-line').textContent();
  assert.match(line, /sentenced 1932/);
  assert.doesNotMatch(line, /arrested/);
  await page.close();
});

test('search: the year filter matches an arrest or a sentence year', async () => {
  const page = await br.context.newPage();
  // Джумалиев: arrested and sentenced 1953; the 1958 group: sentenced 1932.
  await page.goto(`${srv.origin}${BASE_PATH}ru/search/?q=${encodeURIComponent('Джумалиев')}&from=1953&to=1953`);
  await page.waitForSelector('#results li a');
  const hrefs = await page.locator('#results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.some((h) => h.endsWith('/dzhumaliev-kazhym/')), JSON.stringify(hrefs));
  await page.goto(`${srv.origin}${BASE_PATH}en/search/?q=Tynyshpaev&from=1932&to=1932`);
  await page.waitForSelector('#results li a');
  assert.ok(await page.locator('#results li a[href$="/tynyshpaev-mukhamedzhan/"]').count(), 'a sentence year passes the filter');
  await page.goto(`${srv.origin}${BASE_PATH}en/search/?q=Tynyshpaev&from=1937&to=1940`);
  await page.waitForFunction(() => document.body.dataset.searched === 'Tynyshpaev');
  assert.equal(await page.locator('#results li a[href$="/tynyshpaev-mukhamedzhan/"]').count(), 0, 'no year of his in 1937–1940');
  await page.close();
});
