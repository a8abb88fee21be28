// Lighthouse (accessibility, best practices, SEO) on every page type of the
// sample site in each language, in Debian's Chromium. Not part of the test
// command (it takes minutes); bench/lighthouse.sh runs it and the figures are
// recorded in bench/LIGHTHOUSE.md.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { serve, pageTypes, BASE_PATH } from './harness.mjs';

const srv = await serve();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const categories = ['accessibility', 'best-practices', 'seo'];
const rows = [];
let failed = 0;
for (const [name, rel] of pageTypes()) {
  if (rel === '404.html') continue; // a 404 status is not indexable by design
  const url = `${srv.origin}${BASE_PATH}${rel}`;
  const result = await lighthouse(url, { port: chrome.port, onlyCategories: categories, output: 'json', logLevel: 'error' });
  const lhr = result.lhr;
  const scores = categories.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
  const misses = Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary').map((a) => a.id);
  if (scores.some((s) => s < 100)) failed++;
  rows.push(`| ${name} | ${scores.join(' | ')} | ${misses.join(', ')} |`);
  console.log(name, scores.join(' '), misses.join(','));
}
await chrome.kill();
srv.server.close();
console.log(['| page | accessibility | best practices | SEO | audits below 1 |', '|---|---|---|---|---|', ...rows].join('\n'));
process.exit(failed ? 1 : 0);
