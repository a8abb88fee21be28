// esim search: finds a person by any spelling of the name, in the browser, from
// the static sharded index that the build writes under search/ (see
// src/search/index.rs for the files). Only the shards a query needs are fetched.
import { words, stem, skeleton } from './keys.js';

const data = JSON.parse(document.getElementById('search-data').textContent);
const form = document.getElementById('search-form');
const input = document.getElementById('q');
const status = document.getElementById('search-status');
const results = document.getElementById('results');
const textResults = document.getElementById('text-results');
const S = data.strings;

const cache = new Map();
function get(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch(data.index + path).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return cache.get(path);
}

// FNV-1a of the UTF-8 bytes: the bucket of a word's postings (as in Rust).
const utf8 = new TextEncoder();
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of utf8.encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

// Levenshtein distance, giving up above `max`.
function within(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return false;
    prev = cur;
  }
  return prev[b.length] <= max;
}

const memo = new Map();
function keysOf(w) {
  let k = memo.get(w);
  if (!k) {
    const s = stem(w);
    k = { stem: s, skel: skeleton(s) };
    memo.set(w, k);
  }
  return k;
}

// How well an indexed word matches a query word: exact spelling, same stem,
// same skeleton, the start of the word (while typing), one typo.
function score(q, w) {
  if (w === q.fold) return 1;
  const k = keysOf(w);
  if (k.stem === q.stem) return 0.92;
  if (k.skel === q.skel) return 0.8;
  if (q.fold.length >= 3 && w.startsWith(q.fold)) return 0.7;
  if (q.stem.length >= 4 && within(k.stem, q.stem, 1)) return 0.65;
  if (q.skel.length >= 3 && within(k.skel, q.skel, 1)) return 0.5;
  return 0;
}

// Dictionary shards are keyed by the skeleton's first letter and length. A typo
// may change the length by one; the word being typed may be shorter than the
// name it starts.
function shardsFor(q, anyFirst, typing) {
  const n = Math.min([...q.skel].length, 12);
  return data.shards.filter((s) => {
    const [first, len] = s.split('-');
    const l = Number(len);
    if (anyFirst) return l === n;
    return first === q.skel[0] && l >= n - 1 && l <= n + (typing ? 3 : 1);
  });
}

async function candidateWords(q, typing) {
  const found = new Map();
  const scan = async (shards) => {
    for (const list of await Promise.all(shards.map((s) => get(`d/${s}.json`)))) {
      for (const w of list || []) {
        const s = score(q, w);
        if (s > (found.get(w) || 0)) found.set(w, s);
      }
    }
  };
  await scan(shardsFor(q, false, typing));
  // A typo in the first letter moves the word to another shard: look there too
  // when nothing matched well.
  if (![...found.values()].some((s) => s >= 0.65)) {
    await scan(shardsFor(q, true, false).filter((s) => !s.startsWith(q.skel[0] + '-')));
  }
  // Only the good matches: weaker ones would cost downloads and add noise.
  const ranked = [...found].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const best = ranked.length ? ranked[0][1] : 0;
  return ranked.filter(([, s]) => s >= Math.max(0.5, best - 0.3)).slice(0, 12);
}

async function postings(word) {
  const h = fnv1a(word);
  const bucket = await get(`p/${h % data.buckets}.json`);
  let deltas = bucket ? bucket[word] : null;
  // 0: a frequent word, whose postings have a file of their own.
  if (deltas === 0) deltas = await get(`p/w/${h.toString(16).padStart(8, '0')}.json`);
  deltas = deltas || [];
  let o = 0;
  return deltas.map((d) => (o += d));
}

function filters() {
  const f = new FormData(form);
  return {
    region: f.get('region') || '',
    fate: f.get('fate') || '',
    from: Number(f.get('from')) || 0,
    to: Number(f.get('to')) || 0,
  };
}

function passes(row, f) {
  if (f.region !== '' && !row[5].includes(Number(f.region))) return false;
  if (f.fate !== '' && row[6] !== Number(f.fate)) return false;
  if (f.from && (!row[7] || row[7] < f.from)) return false;
  if (f.to && (!row[7] || row[7] > f.to)) return false;
  return true;
}

async function searchPeople(query, f) {
  const qs = words(query).filter((w) => !/^[0-9]+$/.test(w)).slice(0, 8).map((fold) => {
    const k = keysOf(fold);
    return { fold, stem: k.stem, skel: k.skel };
  }).filter((q) => q.skel);
  if (!qs.length) return [];
  const perWord = await Promise.all(qs.map((q, i) => candidateWords(q, i === qs.length - 1)));
  const scores = new Map();
  await Promise.all(perWord.flatMap((cands, i) => cands.map(async ([w, s]) => {
    for (const o of await postings(w)) {
      let a = scores.get(o);
      if (!a) scores.set(o, (a = new Float32Array(qs.length)));
      if (s > a[i]) a[i] = s;
    }
  })));
  // A query word the person lacks lowers the score; it does not exclude them.
  const ranked = [...scores].map(([o, a]) => [o, a.reduce((x, y) => x + y, 0)])
    .sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  // Rows come in blocks: fetch the blocks of the next candidates together,
  // not one after another, until 20 pass the filters.
  const out = [];
  for (let start = 0; start < ranked.length && out.length < 20 && start < 400; start += 20) {
    const slice = ranked.slice(start, start + 20);
    const blocks = [...new Set(slice.map(([o]) => Math.floor(o / data.block)))];
    await Promise.all(blocks.map((b) => get(`r/${b}.json`)));
    for (const [o, s] of slice) {
      const block = await get(`r/${Math.floor(o / data.block)}.json`);
      const row = block && block[o % data.block];
      if (row && passes(row, f) && out.length < 20) out.push([row, s]);
    }
  }
  return out;
}

async function searchTexts(query) {
  const qs = words(query).filter((w) => w.length >= 2).slice(0, 8);
  if (!qs.length || !data.texts) return [];
  const hits = new Map();
  for (const q of qs) {
    const shard = await get(`t/${data.lang}/${q[0]}.json`);
    const matched = new Set();
    for (const [w, docs] of Object.entries(shard || {})) {
      if (w === q || (q.length >= 3 && w.startsWith(q)) || (q.length >= 4 && stem(w) === stem(q))) docs.forEach((d) => matched.add(d));
    }
    matched.forEach((d) => hits.set(d, (hits.get(d) || 0) + 1));
  }
  const top = [...hits].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 8);
  const out = [];
  for (const [d] of top) {
    const block = await get(`t/${data.lang}/docs-${Math.floor(d / data.block)}.json`);
    if (block && block[d % data.block]) out.push(block[d % data.block]);
  }
  return out;
}

function plural(n) {
  const forms = S.results;
  const cat = new Intl.PluralRules(data.lang).select(n);
  return (forms[cat] || forms.other || forms.many || '').replace('{n}', n.toLocaleString(data.lang));
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function showPeople(found) {
  results.replaceChildren();
  for (const [row] of found) {
    const [id, kk, archive, latin, born, regions, fate, arrest] = row;
    const name = data.lang === 'kk' ? kk || archive : data.lang === 'en' ? latin : archive;
    const others = [...new Set([archive, kk, latin].filter((n) => n && n !== name))].join(' · ');
    const facts = [
      born ? `${S.born} ${born}` : '',
      arrest ? `${S.arrested} ${arrest}` : '',
      regions.map((r) => data.regions[r]).join(', '),
      fate >= 0 ? data.fates[fate] : '',
    ].filter(Boolean).join(' · ');
    results.append(el('li', {}, el('a', { href: `${data.people}${id}/` }, name),
      others ? el('span', { class: 'other-forms' }, ' ', others) : null,
      el('br'), el('span', { class: 'facts-line' }, facts)));
  }
}

function showTexts(found) {
  textResults.replaceChildren();
  document.getElementById('text-results-section').hidden = !found.length;
  for (const [title, url, kind] of found) {
    textResults.append(el('li', {}, el('a', { href: url }, title), ' ', el('span', { class: 'kind' }, S[kind] || kind)));
  }
}

let generation = 0;
async function run() {
  const query = input.value.trim();
  const f = filters();
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
  history.replaceState(null, '', params.toString() ? `?${params}` : location.pathname);
  const mine = ++generation;
  if (!query) {
    status.textContent = S.prompt;
    results.replaceChildren();
    showTexts([]);
    return;
  }
  status.textContent = S.searching;
  const [people, texts] = await Promise.all([searchPeople(query, f), searchTexts(query)]);
  if (mine !== generation) return; // a newer query is running
  showPeople(people);
  showTexts(texts);
  document.body.dataset.searched = query;
  if (people.length) {
    status.textContent = plural(people.length);
  } else {
    status.replaceChildren(S.none, ' ', el('a', { href: data.regionsUrl }, S.browse));
  }
}

let timer;
const later = () => { clearTimeout(timer); timer = setTimeout(run, 30); };
input.addEventListener('input', later);
form.addEventListener('change', later);
form.addEventListener('submit', (e) => { e.preventDefault(); run(); });

const params = new URLSearchParams(location.search);
for (const name of ['q', 'region', 'fate', 'from', 'to']) {
  const field = form.elements[name];
  if (field && params.has(name)) field.value = params.get(name);
}
document.getElementById('search-js-note').hidden = true;
form.hidden = false;
run();
