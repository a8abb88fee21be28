// Every page type in every language passes axe-core with zero violations, in
// Debian's Chromium, served from a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { serve, browser, pageTypes, BASE_PATH } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const jsQRSource = fs.readFileSync(require.resolve('jsqr/dist/jsQR.js'), 'utf8');

let srv, br;
before(async () => { srv = await serve(); br = await browser(); });
after(async () => { await br?.close(); srv?.server.close(); });

for (const [name, rel] of pageTypes()) {
  test(`axe: ${name}`, async () => {
    const page = await br.context.newPage();
    const url = `${srv.origin}${BASE_PATH}${rel}`;
    const response = await page.goto(url);
    assert.ok(response.ok() || rel === '404.html', `${url} loads`);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }));
    const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
    assert.deepEqual(violations, [], `${name} ${url}`);
    await page.close();
  });
}

test('print: a person page prints as a memorial sheet without navigation', async () => {
  const page = await br.context.newPage();
  await page.goto(`${srv.origin}${BASE_PATH}en/people/tynyshpaev-mukhamedzhan/`);
  await page.emulateMedia({ media: 'print' });
  const hidden = await page.evaluate(() => ['.site-nav', '.languages', '.skip'].map((s) => getComputedStyle(document.querySelector(s)).display));
  assert.deepEqual(hidden, ['none', 'none', 'none']);
  assert.ok(await page.locator('.qr').isVisible(), 'the QR code prints');
  // What the sheet shows scans as the page's permanent URL: the QR code as
  // Chromium draws it for print, decoded by jsQR.
  const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
  const shot = (await page.locator('.qr').screenshot()).toString('base64');
  assert.equal(await decodeQR(shot), canonical, 'the printed QR code scans as the permanent URL');
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  await page.close();
});

// The text of the QR code in a PNG screenshot (base64), or null.
async function decodeQR(png) {
  const page = await br.context.newPage();
  await page.setContent('<canvas></canvas>');
  await page.addScriptTag({ content: jsQRSource });
  const text = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const canvas = document.querySelector('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height);
    return window.jsQR(data.data, img.width, img.height)?.data ?? null;
  }, `data:image/png;base64,${png}`);
  await page.close();
  return text;
}

test('pages work without JavaScript', async () => {
  const ctx = br.context;
  const page = await ctx.newPage();
  await page.route('**/*.js', (route) => route.abort());
  await page.goto(`${srv.origin}${BASE_PATH}ru/regions/not-established/`);
  const links = await page.locator('.people a').count();
  assert.equal(links, 39);
  await page.close();
});
