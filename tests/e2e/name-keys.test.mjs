// The browser's name keys (themes/default/static/search/keys.js) against the same
// golden vectors and match pairs as tests/name_keys.rs, which states their format.
// Run with: node --test tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const keysJs = new URL('../../themes/default/static/search/keys.js', import.meta.url);
const { words, fold, stem, skeleton, keys } = await import(keysJs);

function rows(name, columns) {
  const text = readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  assert.equal(lines.shift().split('\t').length, columns, name);
  return lines.map((line) => {
    const fields = line.replace(/\r$/, '').split('\t');
    assert.equal(fields.length, columns, `${name}: ${line}`);
    return fields;
  });
}

function joined(text) {
  const folds = words(text);
  const stems = folds.map(stem);
  return [folds.join(' '), stems.join(' '), stems.map(skeleton).join(' ')];
}

test('golden vectors', () => {
  const failures = [];
  const all = rows('name-keys.tsv', 4);
  assert.ok(all.length >= 200, `${all.length} rows`);
  for (const [input, ...want] of all) {
    const got = joined(input);
    if (got.join('\t') !== want.join('\t')) failures.push(`${input.slice(0, 120)}\t${got.join('\t')}`);
    if (words(input).length <= 1) {
      const k = keys(input);
      const w = { fold: want[0], stem: want[1], skeleton: want[2] };
      if (JSON.stringify(k) !== JSON.stringify(w)) failures.push(`keys(${input}) = ${JSON.stringify(k)}`);
      if (fold(input) !== want[0]) failures.push(`fold(${input}) = ${fold(input)}`);
    }
  }
  assert.deepEqual(failures, []);
});

const LEVELS = ['fold', 'stem', 'skeleton'];

function keySet(text, level) {
  return new Set(joined(text)[level].split(' ').filter(Boolean));
}

function level(a, b) {
  const within = (p, q) => p.size > 0 && [...p].every((k) => q.has(k));
  for (let i = 0; i < LEVELS.length; i++) {
    const [x, y] = [keySet(a, i), keySet(b, i)];
    if (within(x, y) || within(y, x)) return LEVELS[i];
  }
  return 'none';
}

test('spellings of one name meet, different names do not', () => {
  const all = rows('name-matches.tsv', 3);
  const meet = all.filter((r) => r[2] !== 'none').length;
  assert.ok(meet >= 60 && all.length - meet >= 15);
  const failures = all
    .map(([a, b, want]) => [a, b, want, level(a, b)])
    .filter(([, , want, got]) => want !== got)
    .map(([a, b, want, got]) => `${a}\t${b}\twant ${want}, got ${got}`);
  assert.deepEqual(failures, []);
});

test('ten thousand characters do not hang', () => {
  const cycle = (s) => s.repeat(Math.ceil(10000 / s.length)).slice(0, 10000);
  const start = performance.now();
  assert.ok(words(cycle("Байтұрсынұлы-Baitūrsynūly Ахмет'ов 😀 ")).length > 700);
  const k = keys(cycle('ДжжшщАйЫяHhXxJjYyoe'));
  assert.ok(k.fold && k.skeleton);
  assert.deepEqual(keys(cycle('ДжжшщАйЫяHhXxJjYyoe')), k);
  assert.ok(performance.now() - start < 2000);
});

test('keys.js stays small and self-contained', () => {
  const path = fileURLToPath(keysJs);
  assert.ok(statSync(path).size < 6144, `${statSync(path).size} bytes`);
  assert.doesNotMatch(readFileSync(path, 'utf8'), /^\s*import\b/m);
});
