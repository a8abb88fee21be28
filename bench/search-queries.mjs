// Makes the list of (query, expected person) pairs of the search benchmark from
// a fixture's records.csv: people chosen at even steps through the file, each
// asked for under the spellings a family might use, among them at least 100
// one-letter typos in the surname. A query is made only when the expected
// person is the only one who bears the name parts it uses (namesakes tie, and
// a fixture of 311,000 has many). Deterministic.
//   node bench/search-queries.mjs <site>/data/records.csv > bench/search-queries.tsv
import fs from 'node:fs';

const [file] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
const header = lines.shift().split(',');
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${file}: no column ${name}`);
  return i;
};
// The fixture's CSV quotes only fields with commas; names never have any.
const rows = lines.map((l) => l.split(','));

const people = new Map();
for (const r of rows) {
  const id = r[col('id')];
  if (!people.has(id) && r[col('surname')]) people.set(id, r);
}
const get = (r, name) => r[col(name)] || '';
const key = (...cols) => (r) => cols.map((c) => get(r, c)).join(' ').toLowerCase();
const counts = (f) => {
  const m = new Map();
  for (const r of people.values()) m.set(f(r), (m.get(f(r)) || 0) + 1);
  return m;
};
const full = key('surname', 'given_name', 'patronymic');
const kazakh = (r) => [get(r, 'surname_kk'), get(r, 'given_name_kk') || get(r, 'given_name')].join(' ').toLowerCase();
const fullCount = counts(full);
const kazakhCount = counts(kazakh);

// Kazakh Latin 2021 (with its diacritics), BGN/PCGN and ICAO 9303 (passports).
const KZ = { а: 'a', ә: 'ä', б: 'b', в: 'v', г: 'g', ғ: 'ğ', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z', и: 'i', й: 'i', к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'ñ', о: 'o', ө: 'ö', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'ū', ү: 'ü', ф: 'f', х: 'h', һ: 'h', ц: 'ts', ч: 'ch', ш: 'ş', щ: 'şş', ъ: '', ы: 'y', і: 'ı', ь: '', э: 'e', ю: 'iu', я: 'ia' };
const BGN = { а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ә: 'a', ғ: 'g', қ: 'k', ң: 'ng', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i' };
const ICAO = { ...BGN, ё: 'e', й: 'i', ъ: 'ie', ю: 'iu', я: 'ia', щ: 'shch', ң: 'n' };
function latin(s, table) {
  return [...s].map((c) => {
    const lower = c.toLowerCase();
    const t = table[lower];
    if (t === undefined) return c;
    return c === lower ? t : t.charAt(0).toUpperCase() + t.slice(1);
  }).join('');
}

let seed = 7;
const rand = (n) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };

// Keyboard neighbours: the keys left and right on the same row, and above and
// below, of the Russian ЙЦУКЕН and the English QWERTY layouts.
const LAYOUTS = [['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'], ['qwertyuiop', 'asdfghjkl', 'zxcvbnm']];
const NEIGHBOURS = new Map();
for (const layout of LAYOUTS) {
  layout.forEach((row, y) => [...row].forEach((c, x) => {
    const near = [row[x - 1], row[x + 1], layout[y - 1]?.[x], layout[y + 1]?.[x]].filter(Boolean);
    NEIGHBOURS.set(c, near);
  }));
}
const KINDS = ['substitution', 'deletion', 'insertion', 'transposition'];
// One typo in `word`, never in its first letter: a neighbouring key struck
// instead of a letter or as well as it, a letter left out, two swapped.
function typo(word, kind) {
  const chars = [...word];
  const typeable = (i) => NEIGHBOURS.has(chars[i].toLowerCase());
  const at = [...chars.keys()].filter((i) => i >= 1 && typeable(i) && (kind !== 'transposition' || (i + 1 < chars.length && chars[i + 1] !== chars[i])));
  if (chars.length < 4 || !at.length) return null;
  const i = at[rand(at.length)];
  const near = NEIGHBOURS.get(chars[i].toLowerCase());
  const other = near[rand(near.length)];
  if (kind === 'substitution') chars[i] = other;
  if (kind === 'deletion') chars.splice(i, 1);
  if (kind === 'insertion') chars.splice(i + rand(2), 0, other);
  if (kind === 'transposition') [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
  const out = chars.join('');
  return out.toLowerCase() === word.toLowerCase() ? null : out;
}

// A Kazakh patronymic from a Russian one: Темирбекович → Темирбекұлы.
function kazakhPatronymic(p) {
  const m = /^(.+?)(ович|евич|ич)$/.exec(p) || /^(.+?)(овна|евна|ична|инична)$/.exec(p);
  if (!m) return null;
  return m[1] + (/ич$/.test(m[2]) ? 'ұлы' : 'қызы');
}

// The masculine form of a Russian-style feminine surname: Каражанова → Каражанов.
function masculine(s) {
  if (/(ова|ева|ина|ына)$/.test(s)) return s.slice(0, -1);
  if (/ская$/.test(s)) return s.slice(0, -4) + 'ский';
  return null;
}

const out = [['query', 'id', 'kind']];
const push = (query, id, kind) => { if (query) out.push([query.replace(/\s+/g, ' ').trim(), id, kind]); };
const unique = [...people.values()].filter((r) => fullCount.get(full(r)) === 1 && get(r, 'given_name'));
const step = Math.max(1, Math.floor(unique.length / 80));
let typos = 0;
for (let i = 0, n = 0; i < unique.length; i += step, n++) {
  const r = unique[i];
  const id = get(r, 'id');
  const [s, g, p] = [get(r, 'surname'), get(r, 'given_name'), get(r, 'patronymic')];
  const [sk, gk] = [get(r, 'surname_kk'), get(r, 'given_name_kk') || g];
  const name = [s, g, p].join(' ');
  push(name, id, 'archive spelling, full');
  push(latin(name, BGN), id, 'Latin (BGN), full');
  push(latin(name, ICAO).toUpperCase(), id, 'Latin (ICAO, passport capitals)');
  push([g, p, s].join(' '), id, 'given name first');
  push(name.toLowerCase(), id, 'lowercase');
  if (sk) {
    const kkName = kazakhCount.get(kazakh(r)) === 1 ? [sk, gk].join(' ') : [sk, gk, p].join(' ');
    push(kkName, id, 'Kazakh Cyrillic');
    push(latin(kkName, KZ), id, 'Kazakh Latin 2021');
    const kp = kazakhPatronymic(p);
    if (kp) push([sk, gk, kp].join(' '), id, 'Kazakh patronymic (-ұлы, -қызы)');
  }
  const m = get(r, 'sex') === 'f' && masculine(s);
  if (m) push(latin([m, g, p].join(' '), BGN), id, 'female, queried by the masculine surname');
  // Two typos per person, in turn Cyrillic and Latin, each kind in turn.
  for (const script of ['Cyrillic', 'Latin']) {
    const kind = KINDS[(n + (script === 'Latin' ? 1 : 0)) % KINDS.length];
    const word = script === 'Latin' ? latin(s, BGN) : s;
    const t = typo(word, kind);
    if (!t) continue;
    const rest = script === 'Latin' ? latin([g, p].join(' '), BGN) : [g, p].join(' ');
    push([t, rest].join(' '), id, `typo in the surname (${script}, ${kind})`);
    typos++;
  }
  const variants = get(r, 'name_variants');
  // With the patronymic: a surname and given name alone are often borne by
  // several people, who would tie with the expected person.
  if (variants) push([variants.split('|')[0], g, p].join(' '), id, 'name variant');
}
if (typos < 100 || out.length <= 600) throw new Error(`only ${out.length - 1} pairs, ${typos} typos`);
process.stdout.write(out.map((r) => r.join('\t')).join('\n') + '\n');
