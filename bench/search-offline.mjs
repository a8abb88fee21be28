// The search benchmark without a browser, for quick iterations: runs the search
// page's own code (themes/default/static/search/engine.js) in node against a
// built site's index on disk, one fresh cache per query as a fresh page has,
// and prints the same quality figures as bench/search.mjs, the gzip bytes read
// per query, and the time per query. LATENCY=<ms> delays every file read by
// that much, as a network round trip would, so that sequential reads show in
// the time. The real figures still come from bench/search.sh in Chromium.
//   node bench/search-offline.mjs <site>/memorial bench/search-queries.tsv [lang]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [site, list, lang = 'en'] = process.argv.slice(2);
// The theme's engine in this checkout (ENGINE=<file>: another), so that a
// change to it is measured without building the site again — as long as the
// index files it reads are the same.
const engine = await import(path.resolve(process.env.ENGINE || new URL('../themes/default/static/search/engine.js', import.meta.url).pathname));
const html = fs.readFileSync(path.join(site, lang, 'search/index.html'), 'utf8');
const json = /<script type="application\/json" id="search-data">([\s\S]*?)<\/script>/.exec(html);
if (!json) throw new Error(`${site}/${lang}/search/index.html: no search data`);
const data = JSON.parse(json[1]);
const latency = Number(process.env.LATENCY || 0);
const only = process.env.KIND || '';

// Files read once from disk (the OS cache's part, not the search's), then
// parsed per query as the browser parses each response.
const files = new Map();
function raw(rel) {
  if (!files.has(rel)) {
    const p = path.join(site, 'search', rel);
    const text = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
    files.set(rel, text === null ? null : { text, gzip: zlib.gzipSync(text, { level: 6 }).length });
  }
  return files.get(rel);
}

const pairs = fs.readFileSync(list, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))
  .filter(([, , kind]) => kind.includes(only));
const noFilter = { region: '', fate: '', from: 0, to: 0 };
const bytes = [], times = [], allTimes = [], reads = [];
const byDir = new Map();
let hits = 0, firsts = 0;
const misses = [];
const byKind = new Map();
for (const [query, id, kind] of pairs) {
  let gz = 0, n = 0;
  const search = engine.createSearch(data, async (rel) => {
    const f = raw(rel);
    if (latency) await new Promise((r) => setTimeout(r, latency));
    if (!f) return null;
    gz += f.gzip;
    n++;
    // The texts' word parts and their documents apart.
    const dir = rel.startsWith('t/') ? (rel.includes('/docs-') ? 't/docs' : 't/words') : rel.split('/')[0];
    byDir.set(dir, (byDir.get(dir) || 0) + f.gzip);
    return JSON.parse(f.text);
  });
  const t0 = performance.now();
  // As the page does: the people first, the texts' work after them.
  const found = search.searchPeople(query, noFilter).then((p) => { times.push(performance.now() - t0); return p; });
  const texts = search.searchTexts(query, found);
  const people = await found;
  await texts;
  allTimes.push(performance.now() - t0);
  const ids = people.slice(0, 10).map((p) => p.row[0]);
  const at = ids.indexOf(id);
  const k = byKind.get(kind) || { n: 0, top: 0, first: 0 };
  byKind.set(kind, k);
  k.n++;
  if (at >= 0) { hits++; k.top++; } else misses.push(`${kind}: ${query} → ${id} (got ${ids.slice(0, 3).join(', ')})`);
  if (at === 0) { firsts++; k.first++; }
  bytes.push(gz);
  reads.push(n);
}
const sorted = (a) => [...a].sort((x, y) => x - y);
const pct = (a, p) => sorted(a)[Math.min(a.length - 1, Math.floor(a.length * p))];
const share = (x, n) => `${x}/${n} = ${(100 * x / n).toFixed(1)}%`;
const kb = (b) => (b / 1024).toFixed(1);
console.log(`queries: ${pairs.length}, latency per read: ${latency} ms`);
console.log(`per query, gzip: median ${kb(pct(bytes, 0.5))} KB, p90 ${kb(pct(bytes, 0.9))} KB; files median ${pct(reads, 0.5)}, max ${pct(reads, 1)}`);
console.log(`  by directory, mean per query: ${[...byDir].map(([d, b]) => `${d}/ ${kb(b / pairs.length)} KB`).join(', ')}`);
console.log(`time per query (node), people: median ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms, max ${pct(times, 1).toFixed(1)} ms`);
console.log(`  with the texts: median ${pct(allTimes, 0.5).toFixed(1)} ms, p95 ${pct(allTimes, 0.95).toFixed(1)} ms`);
console.log(`quality: top 10 ${share(hits, pairs.length)}, first ${share(firsts, pairs.length)}`);
for (const [kind, k] of [...byKind].sort()) console.log(`  ${kind}: top 10 ${share(k.top, k.n)}, first ${share(k.first, k.n)}`);
const typos = [...byKind].filter(([kind]) => kind.startsWith('typo')).reduce((t, [, k]) => [t[0] + k.top, t[1] + k.n], [0, 0]);
if (typos[1]) console.log(`  all typos: top 10 ${share(typos[0], typos[1])}`);
for (const m of misses.slice(0, Number(process.env.MISSES || 40))) console.log(`  missed: ${m}`);
