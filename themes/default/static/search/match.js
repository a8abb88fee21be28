// How the search page matches a query word to an indexed word, and reads the
// index's postings. Pure functions, tested in node (tests/e2e/match.test.mjs).

// Three rows of the distance's table, kept between calls: a query scores
// thousands of words, and rows allocated for each kept the collector busy.
let rows = [0, 1, 2].map(() => new Int32Array(64));

/**
 * The optimal-string-alignment distance of `a` and `b` (insertions, deletions,
 * substitutions, and transpositions of neighbours, each 1), or `max + 1` as
 * soon as it must exceed `max`: only the cells at most `max` off the diagonal
 * are computed (any other is more than `max`), so linear in the length for a
 * small `max`.
 */
export function distance(a, b, max) {
  const n = a.length;
  const m = b.length;
  const far = max + 1;
  if (Math.abs(n - m) > max) return far;
  if (rows[0].length < m + 2) rows = rows.map(() => new Int32Array(2 * (m + 2)));
  let [before, prev, cur] = rows;
  for (let j = 0; j <= Math.min(m, max + 1); j++) prev[j] = Math.min(j, far);
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    cur[0] = Math.min(i, far);
    cur[lo - 1] = lo === 1 ? cur[0] : far;
    let best = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, before[j - 2] + 1);
      cur[j] = Math.min(d, far);
      if (d < best) best = d;
    }
    if (hi < m) cur[hi + 1] = far;
    if (best > max) return far;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[m], far);
}

/**
 * How well the indexed word `w` (its fold; `k` its stem and skeleton) answers
 * the query word `q` ({fold, stem, skel, typing}): 1 the same spelling, 0.92
 * the same stem, 0.8 the same skeleton (0.74 when more than one typo off: a
 * name of its own that shares the skeleton, below the name one typo meant),
 * then one typo (two in a long word, where one Cyrillic letter can be two
 * Latin ones), the start of the word being typed, a skeleton one class off;
 * 0 not at all.
 */
export function score(q, w, k) {
  if (w === q.fold) return 1;
  if (k.stem === q.stem) return 0.92;
  if (k.skel === q.skel) {
    // The same skeleton but more than one typo away: below a typo.
    if (q.fold.length >= 4 && Math.min(distance(w, q.fold, 1), distance(k.stem, q.stem, 1)) > 1) return 0.74;
    return 0.8;
  }
  if (q.fold.length >= 4) {
    const max = q.fold.length >= 6 ? 2 : 1;
    const d = Math.min(distance(w, q.fold, max), distance(k.stem, q.stem, max));
    if (d <= max) return d === 1 ? 0.76 : 0.66;
  }
  if (q.typing && q.fold.length >= 3 && w.startsWith(q.fold)) return 0.7;
  if (q.skel.length >= 3 && distance(k.skel, q.skel, 1) <= 1) return 0.5;
  return 0;
}

/** Ordinals from postings written as runs from `base` (src/search/postings.rs). */
export function decode(runs, base) {
  const out = [];
  let c = base;
  for (const x of runs) {
    if (x >= 0) {
      c += x;
      out.push(c++);
    } else {
      for (let k = 0; k < -x; k++) out.push(c++);
    }
  }
  return out;
}
