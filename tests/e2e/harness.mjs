// Shared by the browser tests: a static server for the built site (as any
// static host would serve it, under a sub-path) and Debian's Chromium driven by
// playwright-core with a fresh profile.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// check-site.sh builds the site into $ESIM_HOST_DIR/<sub-path>/.
export const HOST_DIR = process.env.ESIM_HOST_DIR;
export const BASE_PATH = process.env.ESIM_BASE_PATH || '/memorial/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain', '.csv': 'text/csv', '.jsonl': 'application/jsonl', '.woff2': 'font/woff2',
};

export function serve(root = HOST_DIR) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      const notFound = path.join(root, BASE_PATH, '404.html');
      res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({ server, origin: `http://127.0.0.1:${port}` });
  }));
}

// Chromium sometimes exits during start-up on a loaded CI machine ("Target
// page, context or browser has been closed" before any page opened); a fresh
// profile and a second try start it. A browser that fails three times fails
// the test with the last error.
export async function browser(attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-chromium-'));
    try {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const close = async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); };
      return { context, close };
    } catch (err) {
      fs.rmSync(profile, { recursive: true, force: true });
      if (attempt >= attempts) throw err;
      console.error(`# chromium did not start (attempt ${attempt} of ${attempts}): ${String(err.message).split('\n')[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

// One URL of each page type in each language of the sample site.
export function pageTypes(langs = ['kk', 'ru', 'en']) {
  const pages = [['root', ''], ['404', '404.html']];
  for (const l of langs) {
    pages.push(
      [`${l} home`, `${l}/`],
      [`${l} person with biography`, `${l}/people/tynyshpaev-mukhamedzhan/`],
      [`${l} person`, `${l}/people/dulatov-mir-yakub/`],
      [`${l} regions`, `${l}/regions/`],
      [`${l} region`, `${l}/regions/not-established/`],
      [`${l} empty region`, `${l}/regions/almaty/`],
      [`${l} essays`, `${l}/essays/`],
      [`${l} essay`, `${l}/essays/law-1993/`],
      [`${l} page`, `${l}/about/`],
      [`${l} data`, `${l}/data/`],
      [`${l} search`, `${l}/search/?q=Omarov`],
    );
  }
  return pages;
}
