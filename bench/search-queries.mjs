// Makes the list of (query, expected person) pairs of the search benchmark from
// a fixture's records.csv: people whose full name is unique in the fixture, each
// asked for under several spellings a family might use. Deterministic.
//   node bench/search-queries.mjs <site>/public/data/records.csv > bench/search-queries.tsv
import fs from 'node:fs';

const [file] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
const header = lines.shift().split(',');
const col = (name) => header.indexOf(name);
// The fixture's CSV quotes only fields with commas; names never have any.
const rows = lines.map((l) => l.split(','));

const people = new Map();
for (const r of rows) {
  const id = r[col('id')];
  if (!people.has(id) && r[col('surname')]) people.set(id, r);
}
// A query is fair only if the expected person is one of few who answer to it:
// namesakes tie, and a fixture of 311,000 has many.
const key = (...cols) => (r) => cols.map((c) => r[col(c)]).join(' ').toLowerCase();
const full = key('surname', 'given_name', 'patronymic');
const short = key('surname', 'given_name');
const shortKk = key('surname_kk', 'given_name_kk');
const counts = (f) => {
  const m = new Map();
  for (const r of people.values()) m.set(f(r), (m.get(f(r)) || 0) + 1);
  return m;
};
const count = counts(full);
const shortCount = counts(short);
const shortKkCount = counts(shortKk);

// Kazakh Latin (2021) for the Kazakh forms, BGN-like Latin for the archive forms.
const KZ = { а: 'a', ә: 'ä', б: 'b', в: 'v', г: 'g', ғ: 'ğ', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z', и: 'i', й: 'i', к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'ñ', о: 'o', ө: 'ö', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'ū', ү: 'ü', ф: 'f', х: 'h', һ: 'h', ц: 'ts', ч: 'ch', ш: 'ş', щ: 'şş', ъ: '', ы: 'y', і: 'ı', ь: '', э: 'e', ю: 'iu', я: 'ia' };
const BGN = { а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ә: 'a', ғ: 'g', қ: 'k', ң: 'ng', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i' };
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
function typo(word) {
  const chars = [...word];
  if (chars.length < 5) return word;
  const i = 2 + rand(chars.length - 3);
  const swap = 'аеиоуыкнртлсмдвпбгзж';
  let c = swap[rand(swap.length)];
  if (c === chars[i].toLowerCase()) c = 'о';
  chars[i] = c;
  return chars.join('');
}

const out = [['query', 'id', 'kind']];
const unique = [...people.values()].filter((r) => count.get(full(r)) === 1 && r[col('given_name')]);
const step = Math.max(1, Math.floor(unique.length / 70));
for (let i = 0; i < unique.length && out.length <= 300; i += step) {
  const r = unique[i];
  const id = r[col('id')];
  const [s, g, p] = [r[col('surname')], r[col('given_name')], r[col('patronymic')]];
  const [sk, gk] = [r[col('surname_kk')], r[col('given_name_kk')]];
  out.push([[s, g, p].filter(Boolean).join(' '), id, 'archive, full']);
  out.push([latin([s, g, p].filter(Boolean).join(' '), BGN), id, 'Latin (BGN), full']);
  const fewShort = shortCount.get(short(r)) <= 3;
  if (fewShort) out.push([latin([s, g].join(' '), BGN), id, 'Latin (BGN), no patronymic']);
  out.push([[typo(s), g, p].filter(Boolean).join(' '), id, 'one-letter typo in the surname']);
  const kkOk = sk && shortKkCount.get(shortKk(r)) <= 3;
  if (kkOk) out.push([[sk, gk || g].join(' '), id, 'Kazakh form, no patronymic']);
  if (kkOk) out.push([latin([sk, gk || g].join(' '), KZ), id, 'Kazakh Latin 2021, no patronymic']);
  if (sk && !kkOk) out.push([[sk, gk || g, p].filter(Boolean).join(' '), id, 'Kazakh form with the archive patronymic']);
  if (sk && !kkOk) out.push([latin([sk, gk || g, p].filter(Boolean).join(' '), KZ), id, 'Kazakh Latin 2021 with the archive patronymic']);
  const variants = r[col('name_variants')];
  if (variants) out.push([[variants.split('|')[0], g].join(' '), id, 'name variant']);
}
process.stdout.write(out.map((r) => r.join('\t')).join('\n') + '\n');
