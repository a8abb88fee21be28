// esim search, the part that needs no page: finds people and texts for a query
// in the static sharded index that the build writes under search/ (see
// src/search/index.rs for the files), reading only the files the query needs.
// search.js wires it to the page; bench/search-offline.mjs runs it in node
// against a built site's index on disk.
import { words, stem, skeleton, unprefixed } from './keys.js';
import { score } from './match.js';

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

/** Whether a row passes the filters (region, fate, case years). */
export function passes(row, f) {
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

/** Calls `f` with each ordinal of postings written as runs from `base`. */
function eachPosting(runs, base, f) {
  let c = base;
  for (const x of runs) {
    if (x >= 0) {
      c += x;
      f(c++);
    } else {
      for (let k = 0; k < -x; k++) f(c++);
    }
  }
}

// Each candidate person's best score for each of `k` query words, and their
// total (exact: a few single-precision terms), in flat typed arrays indexed by slot, a slot per candidate found
// through an array indexed by ordinal: a query touches tens of thousands of
// people (whole families), and in a fresh page (no optimised code yet) a Map
// per lookup, or a total summed again at each comparison of a sort, cost more
// than the search's reads.
class Scores {
  constructor(k, people) {
    this.k = k;
    // Slot + 1 of each ordinal, 0 for none.
    this.slots = new Int32Array(Math.max(1024, people || 0));
    this.ords = new Uint32Array(1024);
    this.s = new Float32Array(1024 * k);
    this.totals = new Float64Array(1024);
    this.size = 0;
  }

  bump(o, i, s, add) {
    if (o >= this.slots.length) {
      if (!add) return;
      const slots = new Int32Array(Math.max(o + 1, this.slots.length * 2));
      slots.set(this.slots);
      this.slots = slots;
    }
    let x = this.slots[o] - 1;
    if (x < 0) {
      if (!add) return;
      if (this.size === this.ords.length) this.grow();
      x = this.size++;
      this.slots[o] = x + 1;
      this.ords[x] = o;
    }
    const at = x * this.k + i;
    if (s > this.s[at]) {
      const was = this.s[at];
      this.s[at] = s;
      this.totals[x] += this.s[at] - was;
    }
  }

  grow() {
    const n = this.ords.length * 2;
    const ords = new Uint32Array(n);
    ords.set(this.ords);
    const s = new Float32Array(n * this.k);
    s.set(this.s);
    const totals = new Float64Array(n);
    totals.set(this.totals);
    [this.ords, this.s, this.totals] = [ords, s, totals];
  }

  score(x, i) {
    return this.s[x * this.k + i];
  }

  total(x) {
    return this.totals[x];
  }

  // The slot of the best total (the lowest ordinal among equals), or -1.
  best() {
    let b = -1;
    for (let x = 0; x < this.size; x++) {
      const d = b < 0 ? 1 : this.totals[x] - this.totals[b];
      if (d > 0 || (d === 0 && this.ords[x] < this.ords[b])) b = x;
    }
    return b;
  }

  // [ordinal, total] of the best `n`, best first, the lower ordinal among
  // equals: the totals sorted natively give the `n`th best, and only the
  // slots at or above it are sorted by comparison. (Totals rounded to single
  // precision: sums that differ only in the order of their terms are equal.)
  ranked(n) {
    const totals = Float32Array.from(this.totals.subarray(0, this.size));
    let floor = -Infinity;
    if (this.size > n) floor = Float32Array.from(totals).sort()[this.size - n];
    const top = [];
    for (let x = 0; x < this.size; x++) if (totals[x] >= floor) top.push(x);
    top.sort((a, b) => totals[b] - totals[a] || this.ords[a] - this.ords[b]);
    return top.slice(0, n).map((x) => [this.ords[x], totals[x]]);
  }
}

/**
 * A search over the index described by `data` (the page's search data: the
 * manifest and the language), reading its files with `load(path)` (a promise
 * of the parsed JSON, or null), each file at most once.
 */
// Row blocks asked for beside the segments, before the candidates are known
// (see `candidates`): as many as a query without filters reads.
const GUESS = 2;
export function createSearch(data, load) {
  const cache = new Map();
  const get = (path) => {
    if (!cache.has(path)) cache.set(path, load(path));
    return cache.get(path);
  };

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

  // The indexed words that may answer query word `q`, found in the parts
  // holding its own skeleton (its spellings, stems and skeleton-mates, and,
  // for the word being typed, the words it starts); then, when no word has its
  // very spelling or when `widen` is called, in the neighbouring skeleton
  // lengths, where a typo moves a word (and two further when not even a
  // one-letter typo turned up).
  function wordSearch(q) {
    const found = new Map();
    const seen = new Set();
    let best = 0;
    const scan = async (paths) => {
      const fresh = paths.filter((p) => !seen.has(p));
      fresh.forEach((p) => seen.add(p));
      for (const part of await Promise.all(fresh.map(get))) {
        for (const [skel, list] of part || []) {
          for (const [w, runs, partial, dense] of list) {
            const s = score(q, w, keysOf(w, skel));
            if (s > (found.get(w)?.[0] || 0)) found.set(w, [s, runs ?? null, partial === 1, dense ?? null]);
            if (s > best) best = s;
          }
        }
      }
    };
    const [first, n] = [q.skel[0], q.skel.length];
    // A typo in a surname's suffix hides the suffix from the stemmer, and the
    // skeleton is then longer than the indexed stem's (Senkeivch, Сенкевич):
    // the shorter stems that start the query's skeleton are read too.
    const shorter = [];
    for (let l = 2; l < n - 2; l++) shorter.push(...parts(first, l, q.skel.slice(0, l), q.skel.slice(0, l) + '\u0000'));
    const neighbours = async () => {
      await scan([...[n - 1, n, n + 1].flatMap((l) => parts(first, l)), ...shorter]);
      if (best < 0.76) await scan([n - 2, n + 2].flatMap((l) => parts(first, l)));
    };
    let widened = false;
    return {
      async start() {
        const own = parts(first, n, q.skel, q.skel + '\u007f');
        const prefix = q.skel.slice(0, Math.max(1, n - 1));
        const typed = q.typing ? [n + 1, n + 2].flatMap((l) => parts(first, l, prefix, prefix + '\u007f')) : [];
        await scan([...own, ...typed]);
        if (best < 1) {
          widened = true;
          await neighbours();
        }
      },
      // Another word may bear the very spelling a typo made.
      async widen() {
        if (widened || q.fold.length < 4) return false;
        widened = true;
        await neighbours();
        return true;
      },
      candidates() {
        const ranked = [...found].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1));
        return ranked.filter(([, [s]]) => s >= Math.max(0.5, best - 0.35)).slice(0, q.skel[0] === 'a' ? 96 : 48);
      },
    };
  }

  // The segment group of a word's skeleton (src/search/index.rs,
  // `segment_group`): the group holding its first letter, or the last one.
  function groupOf(skel) {
    const g = data.groups.findIndex((letters) => letters.includes(skel[0]));
    return g < 0 ? data.groups.length : g;
  }

  // The segments where the candidates weigh most (a surname's bearers, those
  // of the surnames a typo may have meant, those of the best matches), a few.
  function segmentsOf(scores, anchors) {
    const weight = new Map();
    const add = (o, w) => {
      const n = Math.floor(o / data.segment);
      weight.set(n, (weight.get(n) || 0) + w);
    };
    // Summed in an array by segment first: a Map update per candidate cost more.
    let last = 0;
    for (let x = 0; x < scores.size; x++) last = Math.max(last, scores.ords[x]);
    const sums = new Float64Array(Math.floor(last / data.segment) + 1);
    const met = new Uint8Array(sums.length);
    for (let x = 0; x < scores.size; x++) {
      const n = Math.floor(scores.ords[x] / data.segment);
      sums[n] += scores.totals[x];
      met[n] = 1;
    }
    met.forEach((m, n) => m && weight.set(n, sums[n]));
    for (const [o] of scores.ranked(3)) add(o, 1000);
    anchors.forEach((o) => add(o, 1000));
    return [...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([n]) => n);
  }

  // Each candidate person's best score for each query word, from the words'
  // candidates: their postings in the dictionary, and the scattered words'
  // in the segments where the candidates weigh most. The best 400, best first.
  // The row blocks that the rows of `ranked` (best first) are read from: those
  // of the first candidates, `most` blocks at most.
  function rowBlocks(ranked, most) {
    const blocks = new Set();
    for (const [o] of ranked) {
      if (blocks.size >= most) break;
      blocks.add(Math.floor(o / data.block));
    }
    return blocks;
  }

  async function candidates(qs, searches, guess) {
    const scores = new Scores(qs.length, data.people);
    const scattered = [];
    // A scattered word's entry keeps only its postings in the largest
    // families: the rest are in the segments.
    // The bearers of each query word's best match (its very spelling, say)
    // anchor the segments read, whatever other candidates weigh.
    const anchors = [];
    searches.forEach((search, i) => search.candidates().forEach(([w, [s, runs, partial, dense]], k) => {
      if (runs) {
        let first = -1;
        let last = -1;
        eachPosting(runs, 0, (o) => {
          scores.bump(o, i, s, true);
          if (first < 0) first = o;
          last = o;
        });
        if (k === 0 && !partial && first >= 0) anchors.push(first, last);
      }
      if (!runs || partial) scattered.push([i, w, s]);
      // A scattered best match's bearers in one or two segments (a Kazakh
      // surname form inside its Russified family's) anchor those too.
      if (k === 0 && dense) dense.forEach((n) => anchors.push(n * data.segment));
    }));
    // Common given names and patronymics: their postings only in the segments
    // of the best candidates (or the first segments when nothing else matched)
    // — unless the best candidate already bears every query word in its very
    // spelling, through the postings that the dictionary keeps: the segments
    // (the largest files a query reads) are then spared.
    const best = scores.best();
    const answered = best < 0 ? 0 : qs.filter((_, i) => scores.score(best, i) === 1).length;
    if (scattered.length && answered < qs.length) {
      const add = scores.size === 0;
      const segs = add ? [0, 1, 2] : segmentsOf(scores, anchors);
      // Each segment is in files by the first letter of its words' skeletons:
      // only the groups of the scattered candidates are read.
      const groups = [...new Set(scattered.map(([, w]) => groupOf(keysOf(w).skel)))];
      // The segments rarely move the best candidates out of their row
      // blocks (they tell namesakes apart by a patronymic): those blocks are
      // asked for beside the segments, a round trip the rows then spare.
      if (guess && !add) rowBlocks(scores.ranked(20), guess).forEach((b) => get(`r/${b}.json`));
      await Promise.all(segs.flatMap((n) => groups.map(async (g) => {
        const seg = await get(`s/${n}-${g}.json`);
        for (const [i, w, s] of scattered) {
          if (seg && seg[w]) eachPosting(seg[w], n * data.segment, (o) => scores.bump(o, i, s, add));
        }
      })));
    }
    return scores.ranked(400);
  }

  async function searchPeople(query, f) {
    const qs = queryWords(query);
    if (!qs.length) return [];
    const searches = qs.map(wordSearch);
    await Promise.all(searches.map((s) => s.start()));
    const filtered = f.region !== '' || f.fate !== '' || f.from || f.to;
    let ranked = await candidates(qs, searches, filtered ? 0 : GUESS);
    // Nobody answers every word: a typo may have made another name that
    // exists, so look for the names one typo away too.
    if (qs.length > 1 && !(ranked[0]?.[1] > qs.length - 0.5)) {
      const widened = await Promise.all(searches.map((s) => s.widen()));
      if (widened.some(Boolean)) ranked = await candidates(qs, searches);
    }
    // Rows come in blocks: fetch the blocks of the next candidates together, a
    // few at most, then score each fetched row on all its name forms.
    const out = [];
    const blocks = new Set();
    for (let start = 0; start < ranked.length && out.length < 20; start += 20) {
      const slice = ranked.slice(start, start + 20);
      for (const [o] of slice) if (blocks.size < (filtered ? 12 : 2)) blocks.add(Math.floor(o / data.block));
      const fetched = await Promise.all([...blocks].map(async (b) => [b, await get(`r/${b}.json`)]));
      const rows = new Map(fetched);
      for (const [o, t] of slice) {
        const block = rows.get(Math.floor(o / data.block));
        const row = block && block[o % data.block];
        if (!row || !passes(row, f)) continue;
        const forms = formScores(qs, row);
        // Among equals, the record whose name has no words the query lacks.
        const extra = nameWords(row[2]).length - qs.length;
        out.push({ row, forms, score: Math.max(t, ...forms), extra, o });
      }
      if (blocks.size >= (filtered ? 12 : 2)) break;
    }
    return out.sort((x, y) => y.score - x.score || x.extra - y.extra || x.o - y.o).slice(0, 20);
  }

  // The texts' word parts (sorted words, cut into parts) that may hold words
  // in [lo, hi).
  function textParts(lo, hi) {
    const splits = data.textParts || [];
    const out = [];
    for (let k = 0; k <= splits.length; k++) {
      const from = k ? splits[k - 1] : '';
      const to = k < splits.length ? splits[k] : null;
      if (from < hi && (to === null || to > lo)) out.push(`t/${data.lang}/w-${k}.json`);
    }
    return out;
  }

  // A text word answers query word `q` when it is `q`, starts it (3 letters
  // or more), or shares its stem (4 or more).
  const answers = (q, w) => w === q || (q.length >= 3 && w.startsWith(q)) || (q.length >= 4 && stem(w) === stem(q));

  // The word ranges where the words answering `q` lie: a stem starts its
  // word (but for a few spellings, read on their own), so all of them start
  // with the stem, or with `q` itself.
  function textRanges(q) {
    if (q.length < 3) return [[q, q + '\u0000']];
    if (q.length < 4) return [[q, q + '\u007f']];
    const s = stem(q);
    const from = q.startsWith(s) ? s : q;
    return [[from, from + '\u007f'], ...(from === s ? [] : [[s, s + '\u007f']]), ...unprefixed(s).map((w) => [w, w + '\u0000'])];
  }

  // The best `n` documents by their number of query words matched; among
  // equals (their order is arbitrary: the first by number used to be shown),
  // those in the blocks already read for better ones, then in the blocks that
  // hold most of them: a block read per document cost more than the parts.
  function fewestBlocks(hits, size, n) {
    const levels = new Map();
    for (const [d, h] of hits) levels.set(h, [...(levels.get(h) || []), d]);
    const top = [];
    const used = new Set();
    for (const h of [...levels.keys()].sort((a, b) => b - a)) {
      if (top.length >= n) break;
      const count = new Map();
      const block = (d) => Math.floor(d / size);
      for (const d of levels.get(h)) count.set(block(d), (count.get(block(d)) || 0) + 1);
      const rank = (d) => (used.has(block(d)) ? Infinity : count.get(block(d)));
      const docs = levels.get(h).sort((a, b) => rank(b) - rank(a) || block(a) - block(b) || a - b);
      for (const d of docs.slice(0, n - top.length)) {
        top.push([d, h]);
        used.add(block(d));
      }
    }
    return top;
  }

  // `after`: a promise the texts' work waits for once their word parts are
  // asked for (the page's people results: the texts then take neither the
  // connections nor the main thread from the people's reads).
  async function searchTexts(query, after) {
    const qs = words(query).filter((w) => w.length >= 2).slice(0, 8);
    if (!qs.length || !data.texts) return [];
    const hits = new Map();
    const asked = Promise.all(qs.map((q) => Promise.all([...new Set(textRanges(q).flatMap(([lo, hi]) => textParts(lo, hi)))].map(get))));
    await after;
    const parts = await asked;
    qs.forEach((q, i) => {
      const matched = new Set();
      for (const part of parts[i]) {
        for (const [w, docs] of Object.entries(part || {})) {
          if (answers(q, w)) eachPosting(docs, 0, (d) => matched.add(d));
        }
      }
      matched.forEach((d) => hits.set(d, (hits.get(d) || 0) + 1));
    });
    // Text documents come in blocks of their own size, not the people's.
    const size = data.textBlock;
    const top = fewestBlocks(hits, size, 8);
    const blocks = await Promise.all(top.map(([d]) => get(`t/${data.lang}/docs-${Math.floor(d / size)}.json`)));
    return top.map(([d], i) => blocks[i]?.[d % size]).filter(Boolean);
  }

  return { searchPeople, searchTexts };
}
