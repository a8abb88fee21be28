// The search page of the built sample site, in Debian's Chromium, served from a
// sub-path: a family types the spelling they know and finds the person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, BASE_PATH } from './harness.mjs';

let srv, br;
before(async () => { srv = await serve(); br = await browser(); });
after(async () => { await br?.close(); srv?.server.close(); });

async function searchFor(lang, query, { expectNone = false } = {}) {
  const page = await br.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.origin}${BASE_PATH}${lang}/search/`);
  await page.locator('#q').fill(query);
  if (expectNone) {
    await page.waitForFunction((q) => document.body.dataset.searched === q, query, { timeout: 5000 });
  } else {
    await page.waitForSelector('#results li a', { timeout: 5000 });
  }
  const items = await page.locator('#results li a').evaluateAll((as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
  const url = page.url();
  const status = await page.locator('#search-status').textContent();
  await page.close();
  assert.deepEqual(errors, [], 'no script errors');
  return { items, url, status };
}

function finds(items, id) {
  return items.findIndex((i) => i.href.endsWith(`/people/${id}/`));
}

const cases = [
  // [page language, query, expected id, what it proves]
  ['kk', 'Байтұрсынұлы', 'baitursynov-akhmet', 'a Kazakh spelling finds the Russified record'],
  ['kk', 'Байтурсынов Ахмет', 'baitursynov-akhmet', 'surname and given name'],
  ['ru', 'Baitursynov', 'baitursynov-akhmet', 'Latin finds Cyrillic'],
  ['ru', 'Кудайбердиев', 'kudaiberdyuly-shakarim', 'a Russified query finds a record given only in Kazakh form'],
  ['en', 'Qudaiberdiuly Shakarim', 'kudaiberdyuly-shakarim', 'a Latin query finds a Kazakh-Cyrillic record'],
  ['en', 'Tynyshbaev', 'tynyshpaev-mukhamedzhan', 'б/п: the skeleton forgives voicing'],
  ['en', 'Auezov Mukhtar', 'auezov-mukhtar', 'English'],
  ['ru', 'Ауэзов Мухтар Омарханович', 'auezov-mukhtar', 'a query word the record lacks lowers the score, not excludes'],
  ['kk', 'Жумабаев Магжан', 'dzhumabaev-magzhan', 'Жумабаев = Джумабаев'],
  ['en', 'Dulatov', 'dulatov-mir-yakub', 'hyphenated given name'],
  ['ru', 'Дулатв', 'dulatov-mir-yakub', 'a one-letter typo'],
  // One-letter typos in the surname, in each script, never in its first letter.
  ['ru', 'Байтурсынво Ахмет', 'baitursynov-akhmet', 'Cyrillic typo: two letters swapped'],
  ['ru', 'Тынышпвев', 'tynyshpaev-mukhamedzhan', 'Cyrillic typo: a neighbouring key'],
  ['en', 'Auzeov Mukhtar', 'auezov-mukhtar', 'Latin typo: two letters swapped'],
  ['en', 'Dzhumabaeev', 'dzhumabaev-magzhan', 'Latin typo: a letter struck twice'],
  ['kk', 'Байтұрсвнұлы', 'baitursynov-akhmet', 'Kazakh Cyrillic typo: a neighbouring key'],
  ['kk', 'Қдайбердіұлы Шәкәрім', 'kudaiberdyuly-shakarim', 'Kazakh Cyrillic typo: a letter left out'],
  ['en', 'Baıtūrsnūly', 'baitursynov-akhmet', 'Kazakh Latin (2021) typo with its diacritics: a letter left out'],
  ['en', 'Kim Gerbert', 'kim-gerbert', 'Korean name, archive spelling'],
];

for (const [lang, query, id, why] of cases) {
  test(`${lang}: "${query}" finds ${id} (${why})`, async () => {
    const { items, url } = await searchFor(lang, query);
    const at = finds(items, id);
    assert.ok(at >= 0 && at < 10, `${id} in the top 10 of ${JSON.stringify(items.slice(0, 10))}`);
    assert.ok(items[at].href.startsWith(`${BASE_PATH}${lang}/people/`), 'links the page in this language under the sub-path');
    assert.ok(new URL(url).searchParams.get('q') === query, 'the query is kept in the URL');
  });
}

test('nothing of the index is fetched before a key is pressed', async () => {
  const page = await br.context.newPage();
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/search/') && r.url().endsWith('.json')) fetched.push(r.url()); });
  await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  await page.waitForTimeout(300);
  assert.deepEqual(fetched, []);
  await page.locator('#q').fill('Auezov');
  await page.waitForSelector('#results li a');
  assert.ok(fetched.some((u) => u.includes('/search/d/')) && fetched.some((u) => u.includes('/search/r/')), JSON.stringify(fetched));
  await page.close();
});

test('a result shows the other spelling only when the match came through it', async () => {
  const line = async (lang, query) => {
    const page = await br.context.newPage();
    await page.goto(`${srv.origin}${BASE_PATH}${lang}/search/?q=${encodeURIComponent(query)}`);
    await page.waitForSelector('#results li a');
    const li = page.locator('#results li').filter({ has: page.locator('a[href$="/people/kim-gerbert/"]') });
    const text = { name: await li.locator('a').textContent(), other: await li.locator('.other-forms').count() ? await li.locator('.other-forms').textContent() : '' };
    await page.close();
    return text;
  };
  // The English page shows the English form, Herbert Kim; the archive has Ким Герберт.
  const viaArchive = await line('en', 'Kim Gerbert');
  assert.equal(viaArchive.name, 'Herbert Kim');
  assert.match(viaArchive.other, /Ким Герберт/, JSON.stringify(viaArchive));
  const direct = await line('en', 'Kim Herbert');
  assert.equal(direct.other, '', JSON.stringify(direct));
});

test('the query and filters in the URL are restored and applied', async () => {
  const page = await br.context.newPage();
  await page.goto(`${srv.origin}${BASE_PATH}en/search/?q=Omarov&region=0`);
  await page.waitForFunction(() => document.body.dataset.searched === 'Omarov');
  assert.equal(await page.locator('#q').inputValue(), 'Omarov');
  assert.equal(await page.locator('#results li').count(), 0, 'nobody of region 0 (Abai) is named Omarov');
  await page.selectOption('#region', { label: 'Region not established' });
  await page.waitForSelector('#results li a');
  assert.ok((await page.locator('#results li').count()) >= 3, 'the Omarovs of the sample');
  await page.close();
});

test('nothing found: a clear message suggesting the regional indexes', async () => {
  const { items, status } = await searchFor('ru', 'Zzyzxq', { expectNone: true });
  assert.equal(items.length, 0);
  assert.match(status, /региональные указатели/);
});

test('essays and biographies are searchable', async () => {
  const page = await br.context.newPage();
  await page.goto(`${srv.origin}${BASE_PATH}ru/search/?q=${encodeURIComponent('комиссия реабилитации')}`);
  await page.waitForSelector('#text-results li a');
  const hrefs = await page.locator('#text-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.some((h) => h.includes('/ru/essays/')), JSON.stringify(hrefs));
  await page.close();
});

test('keyboard: the search box is reached by Tab, Enter searches, results are links in tab order', async () => {
  const page = await br.context.newPage();
  await page.goto(`${srv.origin}${BASE_PATH}kk/`);
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement.id === 'home-q');
  }
  assert.ok(reached, 'the home search box is reachable by Tab');
  await page.keyboard.type('Ауэзов');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/kk\/search\/\?q=/);
  await page.waitForSelector('#results li a');
  await page.locator('#q').focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' Мухтар');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.searched === 'Ауэзов Мухтар');
  const first = await page.locator('#results li a').first().getAttribute('href');
  assert.ok(first.endsWith('/kk/people/auezov-mukhtar/'), first);
  await page.close();
});

test('hostile queries return without error or freeze', async () => {
  for (const q of ['😀🙏', 'مرحبا بالعالم', '‏שלום', 'a'.repeat(10000), '<script>alert(1)</script>', '%00%', '   ']) {
    const page = await br.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
    const started = Date.now();
    await page.locator('#q').fill(q);
    await page.waitForFunction(() => {
      const s = document.getElementById('search-status').textContent;
      return s && !s.endsWith('…');
    }, null, { timeout: 5000 });
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(errors, [], q.slice(0, 20));
    await page.close();
  }
});

test('without JavaScript the page says so and links the regional indexes', async () => {
  const ctx = br.context;
  const page = await ctx.newPage();
  await page.route('**/*.js', (route) => route.abort());
  await page.goto(`${srv.origin}${BASE_PATH}en/search/`);
  assert.ok(await page.locator('#search-js-note').isVisible());
  assert.ok(await page.locator('#search-js-note a[href$="/en/regions/"]').count());
  assert.ok(!(await page.locator('#search-form').isVisible()));
  await page.close();
});
