// esim serve in Debian's Chromium: an open page reloads by itself when an
// input changes, shows a build error in an accessible overlay over the last
// good page, and reloads when the input is fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { browser } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const REPO = path.resolve(import.meta.dirname, '../..');
// check-site.sh exports the binary it tests.
const ESIM = process.env.ESIM_BIN || path.join(REPO, 'target/debug/esim');

const PERSON = 'en/people/tynyshpaev-mukhamedzhan/';
const BIOGRAPHY = 'content/people/tynyshpaev-mukhamedzhan.en.md';
const RECORDS = 'data/records/other.csv';
const GOOD_DATE = ',1999-06-07,';
const BAD_DATE = ',1999-13-07,';

let site, child, url, br, stderr = '';

// Starts `esim serve --port 0` and resolves with the URL of its serving line.
function startServe(root) {
  child = spawn(ESIM, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no serving line; stderr:\n${stderr}`)), 60_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^esim: serving (http:\/\/127\.0\.0\.1:\d+\/\S*) \(Ctrl\+C to stop\)$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`esim serve exited (${code}); stderr:\n${stderr}`)));
  });
}

function edit(rel, from, to) {
  const file = path.join(site, rel);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${rel} has ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

before(async () => {
  assert.ok(fs.existsSync(ESIM), `the esim binary ${ESIM} (set ESIM_BIN)`);
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-serve-'));
  for (const dir of ['data', 'content', 'themes']) {
    fs.cpSync(path.join(REPO, dir), path.join(site, dir), { recursive: true });
  }
  fs.copyFileSync(path.join(REPO, 'config.toml'), path.join(site, 'config.toml'));
  url = await startServe(site);
  br = await browser();
});

after(async () => {
  await br?.close();
  child?.kill();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

test('serve: the page reloads on a change, shows a build error, reloads when fixed', async () => {
  const page = await br.context.newPage();
  const response = await page.goto(url + PERSON);
  assert.equal(response.status(), 200);
  const marked = () => page.evaluate(() => window.esimTestMark === true);
  await page.evaluate(() => { window.esimTestMark = true; });

  // An edit: the open page reloads by itself and shows it.
  let loaded = page.waitForEvent('load', { timeout: 30_000 });
  fs.appendFileSync(path.join(site, BIOGRAPHY), '\nAdded while the page was open.\n');
  await loaded;
  assert.equal(await marked(), false, 'the page was reloaded');
  assert.match(await page.locator('main').innerText(), /Added while the page was open\./);
  await page.evaluate(() => { window.esimTestMark = true; });

  // A bad date: an overlay with the error over the last good page.
  edit(RECORDS, GOOD_DATE, BAD_DATE);
  const overlay = page.locator('#esim-serve-error[role="alert"]');
  await overlay.waitFor({ timeout: 30_000 });
  const text = await overlay.locator('pre').innerText();
  assert.match(text, /data\/records\/other\.csv:2:\d+: rehabilitation_date: "1999-13-07": there is no month 13/);
  assert.equal(await marked(), true, 'no reload for a failed build');
  assert.match(await page.locator('main').innerText(), /Added while the page was open\./, 'the last good page');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run('#esim-serve-error', {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), [], 'the overlay is accessible');
  await overlay.getByRole('button', { name: 'Close' }).click();
  assert.equal(await overlay.count(), 0, 'the overlay closes');

  // A page opened while the build is broken shows the error at once.
  const other = await br.context.newPage();
  await other.goto(url + 'en/');
  assert.match(await other.locator('#esim-serve-error pre').innerText({ timeout: 5_000 }), /there is no month 13/);
  await other.close();

  // Fixed: the page reloads, without the overlay.
  loaded = page.waitForEvent('load', { timeout: 30_000 });
  edit(RECORDS, BAD_DATE, GOOD_DATE);
  await loaded;
  assert.equal(await marked(), false, 'the page was reloaded');
  assert.equal(await page.locator('#esim-serve-error').count(), 0);
  assert.match(await page.locator('main').innerText(), /Added while the page was open\./);
  await page.close();
});
