// The search benchmark, in Debian's Chromium against a local static server:
// index size (gzip), the search page's own JS and CSS (gzip), bytes fetched per
// query (gzip, as a compressing host sends them), time from the last keystroke
// to the first results (the people's, shown first; the texts' after them), the files of the index, what the page fetches before a
// key is pressed, and the quality list (expected person in the top 10, first),
// by kind of query.
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
const peopleDirs = ['d', 's', 'r'];
const indexBytes = peopleDirs.reduce((t, d) => t + dirGzip(path.join(site, 'search', d)), 0);
const countFiles = (dir) => fs.readdirSync(dir, { withFileTypes: true })
  .reduce((t, e) => t + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);
const indexFiles = countFiles(path.join(site, 'search'));
const textBytes = dirGzip(path.join(site, 'search', 't'));
const pageAssets = ['search/search.js', 'search/engine.js', 'search/keys.js', 'search/match.js', 'style.css'].reduce((t, f) => t + gz(path.join(site, f)), 0);

const pairs = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const srv = await serve();
const br = await browser();
const page = await br.context.newPage();
// The index files each query fetches, sized (gzip) from the disk once the
// query is done: the server shares this process, and compressing responses
// while the query runs would slow the server down and the query with it.
let fetched = [];
page.on('response', (r) => {
  if (r.url().includes('/search/') && r.url().endsWith('.json')) fetched.push(new URL(r.url()).pathname);
});
const sizes = new Map();
const gzipOf = (urlPath) => {
  if (!sizes.has(urlPath)) sizes.set(urlPath, gz(path.join(HOST_DIR, decodeURIComponent(urlPath))));
  return sizes.get(urlPath);
};
await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
await page.waitForTimeout(200);
const before = fetched.length;
const bytes = [], times = [], allTimes = [];
let hits = 0, firsts = 0;
const misses = [];
const byKind = new Map();
for (const [query, id, kind] of pairs) {
  // A fresh page per query: nothing cached from the previous one.
  await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  fetched = [];
  const [ms, all] = await page.evaluate(async (q) => {
    const input = document.getElementById('q');
    const t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (document.body.dataset.searched === q ? resolve() : requestAnimationFrame(check));
      check();
    });
    const people = performance.now() - t0;
    // The texts' results, shown after the people's.
    await new Promise((resolve) => {
      const check = () => (document.body.dataset.texts === q ? resolve() : requestAnimationFrame(check));
      check();
    });
    return [people, performance.now() - t0];
  }, query);
  await page.waitForTimeout(20);
  const ids = await page.locator('#results li a').evaluateAll((as) => as.slice(0, 10).map((a) => a.getAttribute('href')));
  const at = ids.findIndex((h) => h.endsWith(`/people/${id}/`));
  const k = byKind.get(kind) || { n: 0, top: 0, first: 0 };
  byKind.set(kind, k);
  k.n++;
  if (at >= 0) { hits++; k.top++; } else misses.push(`${kind}: ${query} → ${id}`);
  if (at === 0) { firsts++; k.first++; }
  bytes.push(fetched.reduce((a, u) => a + gzipOf(u), 0));
  times.push(ms);
  allTimes.push(all);
}
await br.close();
srv.server.close();
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const p90 = (a) => pct(a, 0.9);
const p95 = (a) => pct(a, 0.95);
const share = (x, n) => `${x}/${n} = ${(100 * x / n).toFixed(1)}%`;
const kb = (b) => (b / 1024).toFixed(1);
console.log(`people: ${people}`);
console.log(`index (d, p, r; gzip): ${(indexBytes / 1048576).toFixed(2)} MB = ${(indexBytes / 1048576 / (people / 100000)).toFixed(2)} MB per 100,000 people (budget 4)`);
console.log(`texts index (gzip): ${kb(textBytes)} KB`);
console.log(`index files (people and texts): ${indexFiles} (budget 2,000)`);
console.log(`fetched before a key is pressed: ${before} files (budget 0)`);
console.log(`search page JS + CSS (gzip): ${kb(pageAssets)} KB (budget 30)`);
console.log(`per query, gzip: median ${kb(median(bytes))} KB, p90 ${kb(p90(bytes))} KB (budget 50 median)`);
console.log(`keystroke to results (people, shown first): median ${median(times).toFixed(0)} ms, p95 ${p95(times).toFixed(0)} ms (budget 100, 200)`);
console.log(`  to the texts' results too: median ${median(allTimes).toFixed(0)} ms, p95 ${p95(allTimes).toFixed(0)} ms`);
console.log(`quality: top 10 ${share(hits, pairs.length)} (budget 99%), first ${share(firsts, pairs.length)} (budget 95%)`);
for (const [kind, k] of [...byKind].sort()) console.log(`  ${kind}: top 10 ${share(k.top, k.n)}, first ${share(k.first, k.n)}`);
const typos = [...byKind].filter(([kind]) => kind.startsWith('typo')).reduce((t, [, k]) => [t[0] + k.top, t[1] + k.n], [0, 0]);
console.log(`  all typos: top 10 ${share(typos[0], typos[1])} (budget 95%)`);
for (const m of misses.slice(0, 40)) console.log(`  missed: ${m}`);
