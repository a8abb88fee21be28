// The search page's engine (themes/default/static/search/engine.js) against
// small indexes written here in the format src/search/index.rs writes: which
// files a query reads, and whom it finds. Run with: node --test tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { createSearch } = await import(new URL('../../themes/default/static/search/engine.js', import.meta.url));
const { words, stem, skeleton } = await import(new URL('../../themes/default/static/search/keys.js', import.meta.url));

// Runs as src/search/postings.rs encodes them.
function encode(ordinals, base = 0) {
  const out = [];
  let c = base;
  for (let i = 0; i < ordinals.length;) {
    let end = i + 1;
    while (end < ordinals.length && ordinals[end] === ordinals[end - 1] + 1) end++;
    out.push(ordinals[i] - c);
    if (end - i > 1) out.push(-(end - i - 1));
    c = ordinals[end - 1] + 1;
    i = end;
  }
  return out;
}

// An index of `names` (archive spellings, in ordinal order): every word's
// postings in the dictionary, one part per shard, except the words of
// `scattered`: {word: [ordinals kept in the dictionary]}, the rest of their
// postings in segments of `segment` people, in files by the group of their
// skeleton's first letter in `groups`.
const GROUPS = ['a', 'slr', 'kfn'];
const groupOf = (skel) => { const g = GROUPS.findIndex((l) => l.includes(skel[0])); return g < 0 ? GROUPS.length : g; };
function index(names, { block = 4, segment = 8, scattered = {}, dense = {} } = {}) {
  const postings = new Map();
  names.forEach((name, o) => {
    for (const w of new Set(words(name))) postings.set(w, [...(postings.get(w) || []), o]);
  });
  const shards = new Map();
  const files = new Map();
  for (const [w, list] of postings) {
    const skel = skeleton(stem(w));
    const key = `${skel[0]}-${Math.min(skel.length, 12)}`;
    let entry = [w, encode(list)];
    if (scattered[w]) {
      entry = scattered[w].length || dense[w] ? [w, encode(scattered[w]), 1] : [w];
      if (dense[w]) entry.push(dense[w]);
      for (const o of list) {
        const path = `s/${Math.floor(o / segment)}-${groupOf(skel)}.json`;
        const seg = files.get(path) || {};
        seg[w] = [...(seg[w] || []), o];
        files.set(path, seg);
      }
    }
    shards.set(key, [...(shards.get(key) || []), [skel, entry]]);
  }
  for (const [path, seg] of files) {
    const n = Number(/s\/(\d+)/.exec(path)[1]);
    files.set(path, Object.fromEntries(Object.entries(seg).map(([w, os]) => [w, encode(os, n * segment)])));
  }
  for (const [key, entries] of shards) {
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1][0] < b[1][0] ? -1 : 1));
    const part = [];
    for (const [skel, entry] of entries) {
      if (part.length && part[part.length - 1][0] === skel) part[part.length - 1][1].push(entry);
      else part.push([skel, [entry]]);
    }
    files.set(`d/${key}-0.json`, part);
  }
  for (let b = 0; b * block < names.length; b++) {
    const rows = names.slice(b * block, (b + 1) * block).map((name, i) => [`p${b * block + i}`, '', name, '', 0, [], -1, 0, 0]);
    files.set(`r/${b}.json`, rows);
  }
  const data = { lang: 'en', block, segment, groups: GROUPS, textBlock: 64, texts: 0, shards: Object.fromEntries([...shards.keys()].map((k) => [k, []])) };
  return { data, files };
}

async function search({ data, files }, query) {
  const read = [];
  const s = createSearch(data, async (path) => {
    read.push(path);
    return files.has(path) ? structuredClone(files.get(path)) : null;
  });
  const found = await s.searchPeople(query, { region: '', fate: '', from: 0, to: 0 });
  return { ids: found.map((r) => r.row[0]), read };
}

test('a typo that makes another existing surname still finds the person meant', async () => {
  // Тлеубеав exists too; the family asking for Tleubaev Mukhtar typed it.
  const idx = index(['Tleubeav Oleg', 'Tleubaev Ivan', 'Tleubaev Mukhtar']);
  const { ids, read } = await search(idx, 'Tleubeav Mukhtar');
  assert.equal(ids[0], 'p2', JSON.stringify(ids));
  assert.ok(read.length > 3, 'the one-typo neighbours were read');
  // Where someone bears every word, nothing more is read.
  const exact = await search(idx, 'Tleubeav Oleg');
  assert.equal(exact.ids[0], 'p0');
  assert.deepEqual(exact.read.filter((p) => p.startsWith('d/')).length, 2, JSON.stringify(exact.read));
});

test('a typo in the suffix finds the stem that starts the query', async () => {
  // Twelve other Leons come first: only the surname can lift Senkevich's row
  // into the two row blocks a query reads.
  const others = ['Abaev', 'Babaev', 'Dudaev', 'Gusev', 'Kaliev', 'Lukin', 'Mazur', 'Nurov', 'Orlov', 'Rudin', 'Tokaev', 'Uvarov'];
  const idx = index([...others.map((s) => `${s} Leon`), 'Senkevich Leon', 'Senkin Petr']);
  const { ids } = await search(idx, 'Senkeivch Leon');
  assert.equal(ids[0], 'p12', JSON.stringify(ids));
});

test('a given name kept in the dictionary spares the segments; one only there reads them', async () => {
  // Ivanov's family (0-11) is large: its Ivan is kept in the dictionary.
  // Petrov's Ivan (13) is only in the segments.
  const names = [
    ...['Aleksei', 'Boris', 'Ivan', 'Ivan', 'Oleg', 'Pavel', 'Petr', 'Roman', 'Semen', 'Timur', 'Vasili', 'Viktor'].map((g) => `Ivanov ${g}`),
    'Petrov Boris', 'Petrov Ivan', 'Petrov Oleg',
  ];
  const idx = index(names, { scattered: { ivan: [2, 3], oleg: [] } });
  const kept = await search(idx, 'Ivanov Ivan');
  assert.deepEqual(kept.ids.slice(0, 2), ['p2', 'p3']);
  assert.ok(!kept.read.some((p) => p.startsWith('s/')), JSON.stringify(kept.read));
  const segment = await search(idx, 'Petrov Ivan');
  assert.equal(segment.ids[0], 'p13', JSON.stringify(segment.ids));
  // Ivan's group (a: vowels) of segment 1, not the other letters'.
  assert.ok(segment.read.includes('s/1-0.json'), JSON.stringify(segment.read));
  assert.ok(!segment.read.some((p) => /^s\/.*-[123]\.json$/.test(p)), JSON.stringify(segment.read));
});

// A texts' index of `docs` ([title, text]) as src/search/index.rs writes it:
// the sorted words cut into parts of `per` words, documents as runs.
function textIndex(docs, per) {
  const byWord = new Map();
  docs.forEach(([title, text], d) => {
    for (const w of new Set(words(`${title} ${text}`))) if (w.length >= 2) byWord.set(w, [...(byWord.get(w) || []), d]);
  });
  const sorted = [...byWord.keys()].sort();
  const files = new Map();
  const splits = [];
  for (let k = 0; k * per < sorted.length; k++) {
    const part = sorted.slice(k * per, (k + 1) * per);
    if (k) splits.push(part[0]);
    files.set(`t/en/w-${k}.json`, Object.fromEntries(part.map((w) => [w, encode(byWord.get(w))])));
  }
  for (let b = 0; b * 64 < docs.length; b++) {
    files.set(`t/en/docs-${b}.json`, docs.slice(b * 64, (b + 1) * 64).map(([title], i) => [title, `/en/doc-${b * 64 + i}/`, 'biography']));
  }
  const data = { lang: 'en', block: 4, segment: 8, textBlock: 64, texts: docs.length, textParts: splits, shards: {} };
  return { data, files };
}

test('a text query reads only the word parts that may answer it', async () => {
  const docs = [
    ['Ivanov Ivan', 'Born in Almaty, arrested in 1937.'],
    ['Ivanova Maria', 'Born in Karaganda; her husband Ivanov was shot.'],
    ['Petrov Oleg', 'Worked at the Karaganda mine.'],
    ['Choi Min', 'A Korean teacher, deported in 1937.'],
    ['Zhukov Pavel', 'Born in Omsk.'],
  ];
  const idx = textIndex(docs, 3);
  assert.ok(idx.data.textParts.length > 5);
  const run = async (query) => {
    const read = [];
    const s = createSearch(idx.data, async (path) => {
      read.push(path);
      return idx.files.has(path) ? structuredClone(idx.files.get(path)) : null;
    });
    return { titles: (await s.searchTexts(query)).map((r) => r[0]), read: read.filter((p) => p.includes('/w-')) };
  };
  // Same stem (ivanov, ivanova), the start of a word (karag…), exact short words.
  const ivanov = await run('Ivanov');
  assert.deepEqual(ivanov.titles, ['Ivanov Ivan', 'Ivanova Maria']);
  assert.ok(ivanov.read.length < idx.data.textParts.length / 2, JSON.stringify(ivanov.read));
  assert.deepEqual((await run('karag')).titles, ['Ivanova Maria', 'Petrov Oleg']);
  assert.deepEqual((await run('Ivanova Karaganda')).titles, ['Ivanova Maria', 'Ivanov Ivan', 'Petrov Oleg']);
  // A Korean surname's other romanisation shares its stem but not its start.
  assert.deepEqual((await run('Tsoi')).titles, ['Choi Min']);
  assert.deepEqual((await run('Omsk')).titles, ['Zhukov Pavel']);
  assert.deepEqual((await run('Nowhere')).titles, []);
});

test('among text documents matching as many query words, those sharing a block are shown', async () => {
  // 200 documents in blocks of 64: "steppe" in four of block 0, ten of
  // block 1 (71 also "Abai"), one of block 2.
  const docs = Array.from({ length: 200 }, (_, d) => [`Doc ${d}`, 'text']);
  for (const d of [3, 9, 20, 30, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 140]) docs[d][1] = 'the steppe';
  docs[71][1] = 'the steppe of Abai';
  const idx = textIndex(docs, 50);
  const read = [];
  const s = createSearch(idx.data, async (path) => {
    read.push(path);
    return idx.files.has(path) ? structuredClone(idx.files.get(path)) : null;
  });
  const found = await s.searchTexts('steppe Abai');
  // The best first; then as many as shown from its block, not the first by
  // number (3, 9, 20, 30 in block 0), which would cost a block more.
  assert.deepEqual(found.map((r) => r[0]), ['Doc 71', 'Doc 70', 'Doc 72', 'Doc 73', 'Doc 74', 'Doc 75', 'Doc 76', 'Doc 77']);
  assert.deepEqual(read.filter((p) => p.includes('/docs-')), ['t/en/docs-1.json']);
});

test('the texts ask for their word parts at once, and wait for `after` for the rest', async () => {
  const docs = [['Ivanov Ivan', 'Born in Almaty.'], ['Petrov Oleg', 'Born in Omsk.']];
  const idx = textIndex(docs, 3);
  const read = [];
  const s = createSearch(idx.data, async (path) => {
    read.push(path);
    return idx.files.has(path) ? structuredClone(idx.files.get(path)) : null;
  });
  let release;
  const after = new Promise((resolve) => { release = resolve; });
  const texts = s.searchTexts('Ivanov Almaty', after);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(read.some((p) => p.includes('/w-')), JSON.stringify(read));
  assert.ok(!read.some((p) => p.includes('/docs-')), 'no documents before the people are done');
  release();
  assert.deepEqual((await texts).map((r) => r[0]), ['Ivanov Ivan']);
});

test('ranking many candidates: the best first, the lower ordinal among equals', async () => {
  // 600 namesakes of one surname (more than the 400 ranked) and one who
  // bears the given name too: found first; then the lowest ordinals.
  const names = Array.from({ length: 600 }, (_, i) => `Ivanov ${i === 450 ? 'Mukhtar' : 'Oleg'}`);
  const idx = index(names, { block: 100, segment: 200 });
  const { ids } = await search(idx, 'Ivanov Mukhtar');
  assert.deepEqual(ids.slice(0, 3), ['p450', 'p0', 'p1']);
});

test('a scattered surname form names its dense segments, and they are read', async () => {
  // Aidar is kept in the dictionary: two bearers in segments 0-2 and 4-6,
  // one (the person asked for) in segment 3, where the Kazakh surname form
  // Saduakasuly is borne (scattered: no runs in the dictionary).
  const names = Array.from({ length: 64 }, (_, o) => `Filler${o} Oleg`);
  const aidars = [0, 1, 8, 9, 16, 17, 24, 32, 33, 40, 41, 48, 49];
  for (const o of aidars) names[o] = `Abaev${o} Aidar`;
  names[24] = 'Saduakasuly Aidar';
  names[26] = 'Saduakasuly Oleg';
  const [surname] = words('Saduakasuly');
  const opts = { block: 4, segment: 8, scattered: { [surname]: [], aidar: aidars } };
  const without = await search(index(names, opts), 'Saduakasuly Aidar');
  assert.ok(!without.read.some((p) => p.startsWith('s/3-')), JSON.stringify(without.read));
  assert.notEqual(without.ids[0], 'p24', JSON.stringify(without));
  const dense = await search(index(names, { ...opts, dense: { [surname]: [3] } }), 'Saduakasuly Aidar');
  assert.ok(dense.read.some((p) => p.startsWith('s/3-')), JSON.stringify(dense.read));
  assert.equal(dense.ids[0], 'p24', JSON.stringify(dense.ids));
});
