// The browser's matching (themes/default/static/search/match.js): the edit
// distance that forgives a typo, the score of an indexed word for a query word,
// and the decoding of the postings that src/search/postings.rs encodes (the same
// vectors as its unit tests). Run with: node --test tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { distance, score, decode } = await import(new URL('../../themes/default/static/search/match.js', import.meta.url));
const { keys, words } = await import(new URL('../../themes/default/static/search/keys.js', import.meta.url));

test('distance: one edit of each kind, transpositions included', () => {
  assert.equal(distance('kuttibaev', 'kuttibaev', 2), 0);
  assert.equal(distance('kuttibaev', 'kuttibeav', 2), 1, 'transposition');
  assert.equal(distance('popov', 'popgv', 1), 1, 'substitution');
  assert.equal(distance('esimov', 'esmov', 1), 1, 'deletion');
  assert.equal(distance('koanev', 'kovanev', 1), 1, 'insertion');
  assert.equal(distance('ab', 'ba', 1), 1);
  assert.equal(distance('', 'abc', 3), 3);
});

test('distance gives up above its bound, and early', () => {
  assert.equal(distance('abcdef', 'uvwxyz', 1), 2);
  assert.equal(distance('a', 'abcdef', 2), 3, 'lengths alone are too far apart');
  const long = 'a'.repeat(10000);
  const start = performance.now();
  assert.equal(distance(long, 'b'.repeat(10000), 2), 3);
  assert.ok(performance.now() - start < 500);
});

// The full table, for reference: the banded distance must agree with it
// whenever it is within the bound, and give max + 1 otherwise.
function fullDistance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i ? (j ? 0 : i) : j)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

test('distance: the band off the diagonal agrees with the full table', () => {
  // A fixed pseudo-random sequence: the same pairs on every run.
  let seed = 7;
  const next = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const word = () => Array.from({ length: next(10) }, () => 'abcд'[next(4)]).join('');
  for (let t = 0; t < 20000; t++) {
    const [a, b, max] = [word(), word(), next(4)];
    assert.equal(distance(a, b, max), Math.min(fullDistance(a, b), max + 1), `${a} ${b} ${max}`);
  }
});

function query(text, typing = false) {
  const k = keys(text);
  return { fold: k.fold, stem: k.stem, skel: k.skeleton, typing };
}
function scoreOf(q, indexed) {
  const k = keys(indexed);
  return score(q, k.fold, { stem: k.stem, skel: k.skeleton });
}

test('score: spelling, stem, skeleton, typo, prefix, in that order', () => {
  const exact = scoreOf(query('Тлеубаев'), 'Tleubaev');
  const stem = scoreOf(query('Тлеубаева'), 'Тлеубаев');
  const skeleton = scoreOf(query('Тлеупаев'), 'Тлеубаев');
  const typo = scoreOf(query('Тлеубеав'), 'Тлеубаев');
  const prefix = scoreOf(query('Тлеу', true), 'Тлеубаев');
  assert.deepEqual([exact, stem, skeleton], [1, 0.92, 0.8]);
  assert.ok(typo > prefix && prefix > 0, `${typo} ${prefix}`);
  assert.equal(scoreOf(query('Тлеу'), 'Тлеубаев'), 0, 'a finished word is not a prefix');
  assert.equal(scoreOf(query('Омаров'), 'Тлеубаев'), 0);
});

test('score: a skeleton-mate more than one typo away ranks below a one-letter typo', () => {
  // Коздоев: two letters of Кодзоев swapped; Костоев shares its skeleton
  // (з, с; д, т) but is two letters off: another name.
  const typo = scoreOf(query('Коздоев'), 'Кодзоев');
  const mate = scoreOf(query('Коздоев'), 'Костоев');
  assert.ok(typo > mate && mate > 0.5, `${typo} ${mate}`);
  // A skeleton-mate one letter off (voicing: б/п) keeps its score.
  assert.equal(scoreOf(query('Тлеупаев'), 'Тлеубаев'), 0.8);
});

test('score: one-letter typos in Cyrillic and Latin, never the first letter', () => {
  const pairs = [
    ['Куттыбеав', 'Куттыбаев'], ['Коанев', 'Коханев'], ['Джоблолова', 'Джоболова'], ['Есивов', 'Есимов'],
    ['Попгв', 'Попов'], ['Шевчгк', 'Шевчук'], ['Жанибекыв', 'Жанибеков'], ['Zhanibekvo', 'Zhanibekov'],
    ['Kudayberdeiv', 'Kudayberdiev'], ['Serikbaeb', 'Serikbaev'], ['Тілеубайлы', 'Тілеубайұлы'],
  ];
  for (const [typed, indexed] of pairs) {
    const s = scoreOf(query(typed), indexed);
    assert.ok(s >= 0.66 && s < 1, `${typed} → ${indexed}: ${s}`);
  }
  assert.equal(scoreOf(query('Попгв'), 'Петров'), 0, 'two letters off a short word is another name');
  assert.equal(scoreOf(query('Kudayberdeiv'), 'Кудайбергенов'), 0);
});

test('a Kazakh Latin 2021 spelling the fold reads otherwise still matches', () => {
  // th is t in the fold (English), but т + х in Kazakh Latin: two letters off.
  assert.deepEqual(words('Seiıthanūly Jūmağali'), ['seitanuli', 'zhumagali']);
  assert.ok(scoreOf(query('Seiıthanūly'), 'Сейітханұлы') >= 0.66);
});

test('decode reads the runs src/search/postings.rs writes', () => {
  assert.deepEqual(decode([5, -3, 12], 0), [5, 6, 7, 8, 21]);
  assert.deepEqual(decode([6, -1], 1024), [1030, 1031]);
  assert.deepEqual(decode([0, 1], 0), [0, 2]);
  assert.deepEqual(decode([1000, -1999], 0).length, 2000);
  assert.deepEqual(decode([], 7), []);
});
