// The search benchmark, in Debian's Chromium against a local static server:
// index size (gzip), the search page's own JS and CSS (gzip), bytes fetched per
// query (gzip, as a compressing host sends them), time from the last keystroke
// to the first results, and the quality list (expected person in the top 10).
//   ESIM_HOST_DIR=<dir holding memorial/> node bench/search.mjs bench/search-queries.tsv
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, browser, BASE_PATH, HOST_DIR } from '../tests/e2e/harness.mjs';

const site = path.join(HOST_DIR, BASE_PATH);
const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;
function dirGzip(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirGzip(p) : gz(p);
  }
  return total;
}
const people = fs.readFileSync(path.join(site, 'data/records.jsonl'), 'utf8').split('\n').filter(Boolean).length;
const indexBytes = ['d', 'p', 'r'].reduce((t, d) => t + dirGzip(path.join(site, 'search', d)), 0);
const textBytes = dirGzip(path.join(site, 'search', 't'));
const pageAssets = ['search/search.js', 'search/keys.js', 'style.css'].reduce((t, f) => t + gz(path.join(site, f)), 0);

const pairs = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const srv = await serve();
const br = await browser();
const page = await br.context.newPage();
let fetched = [];
page.on('response', async (r) => {
  if (r.url().includes('/search/') && r.url().endsWith('.json')) {
    try { fetched.push(zlib.gzipSync(await r.body()).length); } catch { /* aborted */ }
  }
});
await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
const bytes = [], times = [];
let hits = 0;
const misses = [];
for (const [query, id, kind] of pairs) {
  // A fresh page per query: nothing cached from the previous one.
  await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  fetched = [];
  const ms = await page.evaluate(async (q) => {
    const input = document.getElementById('q');
    const t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (document.body.dataset.searched === q ? resolve() : requestAnimationFrame(check));
      check();
    });
    return performance.now() - t0;
  }, query);
  await page.waitForTimeout(20);
  const ids = await page.locator('#results li a').evaluateAll((as) => as.slice(0, 10).map((a) => a.getAttribute('href')));
  if (ids.some((h) => h.endsWith(`/people/${id}/`))) hits++; else misses.push(`${kind}: ${query} → ${id}`);
  bytes.push(fetched.reduce((a, b) => a + b, 0));
  times.push(ms);
}
await br.close();
srv.server.close();
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p90 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length * 0.9)]; };
const kb = (b) => (b / 1024).toFixed(1);
console.log(`people: ${people}`);
console.log(`index (d, p, r; gzip): ${(indexBytes / 1048576).toFixed(2)} MB = ${(indexBytes / 1048576 / (people / 100000)).toFixed(2)} MB per 100,000 people (budget 4)`);
console.log(`texts index (gzip): ${kb(textBytes)} KB`);
console.log(`search page JS + CSS (gzip): ${kb(pageAssets)} KB (budget 30)`);
console.log(`per query, gzip: median ${kb(median(bytes))} KB, p90 ${kb(p90(bytes))} KB (budget 50 median)`);
console.log(`keystroke to results: median ${median(times).toFixed(0)} ms, p90 ${p90(times).toFixed(0)} ms (budget 100)`);
console.log(`quality: ${hits}/${pairs.length} = ${(100 * hits / pairs.length).toFixed(1)}% in the top 10 (budget 98%)`);
for (const m of misses.slice(0, 20)) console.log(`  missed: ${m}`);
