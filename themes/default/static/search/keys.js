// Name keys for search: the browser twin of src/search/keys.rs, whose module
// documentation states the rules. Both must give the same keys for every input;
// tests/data/name-keys.tsv holds the golden vectors that both are tested against.

const SILENT = new Set("'`\u00b4\u2018\u2019\u2032\u02b9\u02ba\u02bb\u02bc\ua78b\ua78c\u04c0\u04cf" +
  '\u00ad\u200b\u200c\u200d\u2060\ufeff');

// [from, to] code-point ranges of letters (Latin, Cyrillic, combining marks).
const LETTERS = [0x61, 0x7a, 0xc0, 0x36f, 0x400, 0x52f, 0x1ab0, 0x1aff, 0x1c80, 0x1c8f,
  0x1dc0, 0x1eff, 0x20d0, 0x20ff, 0x2c60, 0x2c7f, 0x2de0, 0x2dff, 0xa640, 0xa69f,
  0xa720, 0xa7ff, 0xfe20, 0xfe2f];

const table = (s) => new Map(s.split(' ').map((p) => [p[0], p.slice(1)]));

const SPECIAL = table('šsh şsh șsh ŝsh žzh żzh čch çch ĉch ŋn ıi łl đd ðd øo æae œoe ßs əa ' +
  'þt ýu âia ûiu');

const CYRILLIC = table('аa әa бb вv гg ғg ґg дd еe єe ѣe жzh җzh зz ҙz иi іi йi ыi јi ѵi ' +
  'кk қk ҡk лl мm нn ңn оo өo пp рr сs ҫs тt уu ұu үu фf ѳf хkh һkh ҳkh цts чch ҷch ' +
  'шsh щsh ъ ь эe юiu яia');

// Tried in this order at each position: longest first.
const RULES = ('shch:sh tsch:ch dsch:zh sch:sh dzh:zh tch:ch dj:zh sz:sh cz:ch ck:k tz:ts ' +
  'ph:f th:t gh:g ng:n ye:e sh:sh zh:zh ch:ch kh:kh').split(' ').map((r) => r.split(':'));

const SUFFIXES = ('ovich evich ichna skaia ovna evna ivna kizi ogli oglu uli ulu ova eva ina ' +
  'ski ska ov ev in').split(' ');

const CLASS = table('aa ea ia oa ua ya bp pp dt tt gk kk vf ff zs ss');

const KOREAN = new Map([['choi', 'tsoi'], ['choe', 'tsoi'], ['park', 'pak']]);

const isLower = (c) => c >= 'a' && c <= 'z';
const isDigit = (c) => c >= '0' && c <= '9';
const isVowel = (c) => c !== '' && 'aeiouy'.includes(c);

// 0: separator, 1: letter, 2: digit.
function charClass(c) {
  if (isDigit(c)) return 2;
  const cp = c.codePointAt(0);
  if (cp === 0xd7 || cp === 0xf7) return 0;
  for (let i = 0; i < LETTERS.length; i += 2) {
    if (cp >= LETTERS[i] && cp <= LETTERS[i + 1]) return 1;
  }
  return 0;
}

function prepare(text) {
  let kept = '';
  for (const c of text) if (!SILENT.has(c)) kept += c;
  return kept.normalize('NFKC').toLowerCase();
}

function collapse(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (!(isLower(s[i]) && s[i] === s[i - 1])) out += s[i];
  }
  return out;
}

function latinRules(s) {
  let out = '';
  let i = 0;
  scan: while (i < s.length) {
    for (const [from, to] of RULES) {
      // A rule ending in z, k or g does not split zh, kh, gh: тж is t-zh.
      const splits = 'zkg'.includes(from[from.length - 1]) && s[i + from.length] === 'h';
      if (!splits && s.startsWith(from, i)) {
        out += to;
        i += from.length;
        continue scan;
      }
    }
    const c = s[i];
    const prev = s[i - 1] || '';
    const next = s[i + 1] || '';
    if (c === 'y') {
      if (next === 'o' && isLower(prev) && !isVowel(prev)) {
        out += 'e';
        i++;
      } else out += 'i';
    } else if (c === 'h') out += 'kh';
    else if (c === 'x') out += 'ks';
    else if (c === 'q') out += 'k';
    else if (c === 'w') out += 'v';
    else if (c === 'c') out += 'ts';
    else if (c === 'j') out += isVowel(prev) && !isVowel(next) ? 'i' : 'zh';
    else out += c;
    i++;
  }
  return out;
}

function foldPrepared(text) {
  let mapped = '';
  for (const c of text) mapped += SPECIAL.get(c) ?? c;
  let ascii = '';
  for (const c of mapped.normalize('NFD')) {
    if (isLower(c) || isDigit(c)) ascii += c;
    else ascii += CYRILLIC.get(c) ?? '';
  }
  return collapse(latinRules(collapse(ascii)));
}

/** Folds one word to the canonical Latin form (the "exact" key). */
export function fold(word) {
  return foldPrepared(prepare(word));
}

/** The query or name split into words, each folded. Empty words dropped. */
export function words(text) {
  const out = [];
  let run = '';
  let runClass = 0;
  const push = () => {
    const f = foldPrepared(run);
    if (f) out.push(f);
  };
  for (const c of prepare(text)) {
    const cls = charClass(c);
    if (cls !== runClass && run) {
      push();
      run = '';
    }
    runClass = cls;
    if (cls) run += c;
  }
  push();
  return out;
}

/** The folded word with surname and patronymic suffixes reduced to a stem. */
export function stem(folded) {
  const word = KOREAN.get(folded) ?? folded;
  const len = [...word].length;
  let s = word;
  const suffix = SUFFIXES.find((x) => word.endsWith(x) && len - x.length >= 3);
  if (suffix) s = word.slice(0, -suffix.length);
  if ([...s].length >= 4 && s.endsWith('i') && 'aeou'.includes(s[s.length - 2])) {
    s = s.slice(0, -1);
  }
  return s;
}

/**
 * The folded words whose stem is `s` without starting with it (a Korean
 * surname's other romanisation: choi, park), which a prefix of `s` misses.
 */
export function unprefixed(s) {
  return [...KOREAN.keys()].filter((w) => stem(w) === s && !w.startsWith(s));
}

/** A looser phonetic skeleton of the stem. */
export function skeleton(stem) {
  if (![...stem].some(isLower)) return stem;
  const chars = [...stem];
  let out = '';
  let last = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    const next = chars[i + 1];
    let cls = CLASS.get(c) ?? c;
    let n = 1;
    if ('szc'.includes(c) && next === 'h') [cls, n] = ['sh', 2];
    else if (c === 'k' && next === 'h') n = 2;
    else if (c === 't' && next === 's' && chars[i + 2] !== 'h') [cls, n] = ['s', 2];
    const opens = i === 0;
    i += n;
    if (cls === 'a' && !opens) {
      last = '';
      continue;
    }
    if (cls === 't' && 'szc'.includes(chars[i] || '-') && chars[i + 1] === 'h') continue;
    if (cls !== last) {
      out += cls;
      last = cls;
    }
  }
  return out;
}

/** fold → stem → skeleton of one raw word. */
export function keys(word) {
  const f = fold(word);
  const s = stem(f);
  return { fold: f, stem: s, skeleton: skeleton(s) };
}
