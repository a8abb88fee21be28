// esim search: finds a person by any spelling of the name, in the browser, from
// the static sharded index that the build writes under search/ (see
// src/search/index.rs for the files). Only the files a query needs are fetched,
// and none before a key is pressed.
import { words, stem, skeleton } from './keys.js';
import { score, decode } from './match.js';

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

const memo = new Map();
function keysOf(w, skel) {
  let k = memo.get(w);
  if (!k) {
    const s = stem(w);
    k = { stem: s, skel: skel ?? skeleton(s) };
    memo.set(w, k);
  }
  return k;
}

// The dictionary parts of skeleton length `len` (first letter `first`) whose
// skeletons may lie in [lo, hi): all of them without bounds.
function parts(first, len, lo, hi) {
  const key = `${first}-${Math.min(len, 12)}`;
  const splits = data.shards[key];
  if (!splits || len < 1) return [];
  const out = [];
  for (let k = 0; k <= splits.length; k++) {
    const from = k ? splits[k - 1] : '';
    const to = k < splits.length ? splits[k] : null;
    if ((hi === undefined || from < hi) && (lo === undefined || to === null || to > lo)) out.push(`d/${key}-${k}.json`);
  }
  return out;
}

// The indexed words that may answer query word `q`: the part holding its own
// skeleton first (its spellings, stems and skeleton-mates, and, for the word
// being typed, the words it starts); then, when no word has its very spelling,
// the neighbouring skeleton lengths, where a typo moves a word (and two further
// when not even a one-letter typo turned up).
async function candidateWords(q) {
  const found = new Map();
  const seen = new Set();
  let best = 0;
  const scan = async (paths) => {
    const fresh = paths.filter((p) => !seen.has(p));
    fresh.forEach((p) => seen.add(p));
    for (const part of await Promise.all(fresh.map(get))) {
      for (const [skel, list] of part || []) {
        for (const [w, runs] of list) {
          const s = score(q, w, keysOf(w, skel));
          if (s > (found.get(w)?.[0] || 0)) found.set(w, [s, runs ?? null]);
          if (s > best) best = s;
        }
      }
    }
  };
  const [first, n] = [q.skel[0], q.skel.length];
  const own = parts(first, n, q.skel, q.skel + '\u007f');
  const prefix = q.skel.slice(0, Math.max(1, n - 1));
  const typed = q.typing ? [n + 1, n + 2].flatMap((l) => parts(first, l, prefix, prefix + '\u007f')) : [];
  await scan([...own, ...typed]);
  if (best < 1) await scan([n - 1, n, n + 1].flatMap((l) => parts(first, l)));
  if (best < 0.76) await scan([n - 2, n + 2].flatMap((l) => parts(first, l)));
  const ranked = [...found].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1));
  return ranked.filter(([, [s]]) => s >= Math.max(0.5, best - 0.35)).slice(0, 48);
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
  if ((f.from || f.to) && !caseYears(row).some((y) => (!f.from || y >= f.from) && (!f.to || y <= f.to))) return false;
  return true;
}

// The years a person's record gives for their cases: the arrest and the
// sentence, each only when the record states it.
function caseYears(row) {
  return [row[7], row[8]].filter((y) => y > 0);
}

// The query's words with their keys; the last one may still be being typed.
function queryWords(query) {
  const folds = words(query).filter((w) => !/^[0-9]+$/.test(w)).slice(0, 8);
  return folds.map((fold, i) => {
    const k = keysOf(fold);
    return { fold, stem: k.stem, skel: k.skel, typing: i === folds.length - 1 };
  }).filter((q) => q.skel);
}

const total = (a) => a.reduce((x, y) => x + y, 0);

// Namesakes share their names' words: fold each name once.
const named = new Map();
function nameWords(name) {
  if (!named.has(name)) named.set(name, words(name));
  return named.get(name);
}

// How well each name form of a row answers the query: [kk, archive, latin]
// totals, a query word counting its best word in the form.
function formScores(qs, row) {
  return [row[1], row[2], row[3]].map((name) => {
    const ws = nameWords(name || '');
    return total(qs.map((q) => Math.max(0, ...ws.map((w) => score(q, w, keysOf(w))))));
  });
}

// The segments where the candidates weigh most (a surname's bearers, those
// of the surnames a typo may have meant, those of the best matches), a few.
function segmentsOf(ranked) {
  const weight = new Map();
  ranked.forEach(([o, t], i) => {
    const n = Math.floor(o / data.segment);
    weight.set(n, (weight.get(n) || 0) + t + (i < 3 ? 1000 : 0));
  });
  return [...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([n]) => n);
}

async function searchPeople(query, f) {
  const qs = queryWords(query);
  if (!qs.length) return [];
  const perWord = await Promise.all(qs.map(candidateWords));
  const scores = new Map();
  const bump = (o, i, s, add) => {
    let a = scores.get(o);
    if (!a) {
      if (!add) return;
      scores.set(o, (a = new Float32Array(qs.length)));
    }
    if (s > a[i]) a[i] = s;
  };
  const scattered = [];
  perWord.forEach((cands, i) => cands.forEach(([w, [s, runs]]) => {
    if (runs) decode(runs, 0).forEach((o) => bump(o, i, s, true));
    else scattered.push([i, w, s]);
  }));
  const rank = () => [...scores].map(([o, a]) => [o, total(a), a]).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  // Common given names and patronymics: their postings only in the segments
  // of the best candidates (or the first segments when nothing else matched).
  if (scattered.length) {
    const add = scores.size === 0;
    const segs = add ? [0, 1, 2] : segmentsOf(rank());
    await Promise.all(segs.map(async (n) => {
      const seg = await get(`s/${n}.json`);
      for (const [i, w, s] of scattered) {
        if (seg && seg[w]) decode(seg[w], n * data.segment).forEach((o) => bump(o, i, s, add));
      }
    }));
  }
  const ranked = rank();
  // Rows come in blocks: fetch the blocks of the next candidates together, a
  // few at most, then score each fetched row on all its name forms.
  const out = [];
  const blocks = new Set();
  const filtered = f.region !== '' || f.fate !== '' || f.from || f.to;
  for (let start = 0; start < ranked.length && out.length < 20 && start < 400; start += 20) {
    const slice = ranked.slice(start, start + 20);
    for (const [o] of slice) if (blocks.size < (filtered ? 12 : 2)) blocks.add(Math.floor(o / data.block));
    const fetched = await Promise.all([...blocks].map(async (b) => [b, await get(`r/${b}.json`)]));
    const rows = new Map(fetched);
    for (const [o, , a] of slice) {
      const block = rows.get(Math.floor(o / data.block));
      const row = block && block[o % data.block];
      if (!row || !passes(row, f)) continue;
      const forms = formScores(qs, row);
      // Among equals, the record whose name has no words the query lacks.
      const extra = nameWords(row[2]).length - qs.length;
      out.push({ row, forms, score: Math.max(total(a), ...forms), extra, o });
    }
    if (blocks.size >= (filtered ? 12 : 2)) break;
  }
  return out.sort((x, y) => y.score - x.score || x.extra - y.extra || x.o - y.o).slice(0, 20);
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

// The name as this language shows it; the other spelling only when it is
// the one the query matched.
function showPeople(found) {
  results.replaceChildren();
  const shown = data.lang === 'kk' ? 0 : data.lang === 'en' ? 2 : 1;
  for (const { row, forms } of found) {
    const [id, kk, archive, latin, born, regions, fate, arrest, sentenced] = row;
    const names = [kk || archive, archive, latin];
    const name = names[shown];
    const via = forms.indexOf(Math.max(...forms));
    const other = forms[via] > forms[shown] && names[via] !== name ? names[via] : '';
    const facts = [
      born ? `${S.born} ${born}` : '',
      arrest ? `${S.arrested} ${arrest}` : '',
      // The sentence year, under its own name, when no arrest date is known.
      !arrest && sentenced ? `${S.sentenced} ${sentenced}` : '',
      regions.map((r) => data.regions[r]).join(', '),
      fate >= 0 ? data.fates[fate] : '',
    ].filter(Boolean).join(' · ');
    results.append(el('li', {}, el('a', { href: `${data.people}${id}/` }, name),
      other ? el('span', { class: 'other-forms' }, ' ', other) : null,
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
const later = () => { clearTimeout(timer); timer = setTimeout(run, 10); };
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
