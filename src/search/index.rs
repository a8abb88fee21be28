//! The search index, written into `public/search/` by every build: static,
//! language-neutral and sharded, so that the browser downloads only what a query
//! needs (see `themes/default/static/search/search.js`, which reads it).
//!
//! | file | what |
//! |---|---|
//! | `d/{c}-{n}.json` | dictionary shard: the distinct folded words whose skeleton starts with `c` and is `n` long (12 = 12 or more), sorted. The browser computes their stems and skeletons itself. |
//! | `p/{b}.json` | postings bucket `b` = FNV-1a(word) mod `buckets`: word → the people who bear it, as delta-coded ordinals, or 0 when the word is frequent and has its own file `p/w/{FNV-1a as 8 hex digits}.json` |
//! | `r/{n}.json` | record rows of ordinals `64n … 64n+63`: `[id, Kazakh name or "", archive name, Latin name, birth year or 0, [region indices], fate index or -1, arrest year or 0]` |
//! | `t/{lang}/{c}.json`, `t/{lang}/docs-{n}.json` | essays, pages and biographies per language: folded word → documents; documents in blocks of 64 |
//!
//! Ordinals number people by the skeleton of their surname, so namesakes are
//! neighbours: their postings delta-code to runs of 1 and their rows share a
//! block, and the ten best matches for a surname usually cost one row file.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use super::keys;
use crate::names;
use crate::publish::output::Output;
use crate::site::Site;
use crate::urls::route;

/// The output units of the build cache that the index's files belong to: the
/// people's names and rows, and the texts (which change with every edit of a
/// biography, when the names do not).
pub const UNIT: &str = "search";
pub const TEXTS_UNIT: &str = "search-texts";

/// People per row file.
pub const BLOCK: usize = 64;
/// Words borne by more people than this get a postings file of their own.
pub const OWN_FILE_POSTINGS: usize = 256;
/// Skeleton lengths from this one up share a dictionary shard.
pub const MAX_SHARD_LEN: usize = 12;

/// What the search page needs to know about the index (embedded in the page).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Manifest {
    pub v: u32,
    pub people: usize,
    pub block: usize,
    pub buckets: u32,
    /// The dictionary shards that exist.
    pub shards: Vec<String>,
    /// Text documents per language, and their blocks.
    pub texts: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub words: usize,
}

/// FNV-1a (32 bit) of the UTF-8 bytes; `search.js` computes the same.
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

pub fn shard_key(skeleton: &str) -> Option<String> {
    let first = skeleton.chars().next()?;
    Some(format!("{first}-{}", skeleton.chars().count().min(MAX_SHARD_LEN)))
}

/// The folded words a person can be found by: every name form and variant.
fn person_words(site: &Site, i: usize) -> Vec<String> {
    let p = &site.people[i];
    let mut texts = vec![
        names::full(&p.archive_name, names::Form::Archive),
        names::full(&names::kazakh(p), names::Form::Kazakh),
        names::full(&names::latin(p), names::Form::Latin),
    ];
    texts.extend(p.name_variants.iter().cloned());
    let mut words: Vec<String> = texts
        .iter()
        .flat_map(|t| keys::words(t))
        .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()))
        .filter(|w| !keys::skeleton(&keys::stem(w)).is_empty())
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The search order: by the surname's skeleton, then its folded form, then the
/// given name, then id.
fn ordinals(site: &Site) -> Vec<u32> {
    let mut keyed: Vec<(String, String, String, &str, u32)> = site
        .people
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let surname = keys::words(&p.archive_name.surname).into_iter().next().unwrap_or_default();
            let given = keys::words(&p.archive_name.given).into_iter().next().unwrap_or_default();
            (keys::skeleton(&keys::stem(&surname)), surname, given, p.id.as_str(), i as u32)
        })
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|k| k.4).collect()
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| e.to_string())
}

/// Builds the whole index and writes it under `search/`.
pub fn write(site: &Site, out: &Output) -> Result<(Manifest, Stats), String> {
    let (mut manifest, mut stats) = write_people(site, out)?;
    let (texts, text_stats) = write_texts(site, out)?;
    manifest.texts = texts;
    stats.files += text_stats.files;
    stats.bytes += text_stats.bytes;
    Ok((manifest, stats))
}

/// The counter of what the index writes.
fn putter<'a>(
    out: &'a Output,
    unit: &'a str,
    stats: &'a mut Stats,
) -> impl FnMut(String, Vec<u8>) -> Result<(), String> + 'a {
    move |rel: String, bytes: Vec<u8>| {
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
        out.file(unit, &rel, &bytes).map_err(|e| e.to_string())
    }
}

/// What of a person the people's index shows: a change elsewhere in the
/// record (a place, a charge, a source) leaves the index as it is.
pub fn person_fingerprint(p: &crate::records::Person) -> u64 {
    let regions: Vec<u16> = p.cases.iter().map(|c| c.region).collect();
    let fates: Vec<Option<u16>> = p.cases.iter().map(|c| c.fate).collect();
    let arrests: Vec<_> = p.cases.iter().map(|c| c.arrest_date.or(c.sentence_date)).collect();
    crate::cache::fingerprint(&(
        &p.id,
        &p.archive_name,
        &p.kk_name,
        &p.en_name,
        &p.name_variants,
        p.sex,
        p.birth_date.map(|d| d.year),
        regions,
        fates,
        arrests,
    ))
}

/// The people's part of the index: dictionary, postings and rows (the
/// manifest's `texts` left empty).
pub fn write_people(site: &Site, out: &Output) -> Result<(Manifest, Stats), String> {
    let mut stats = Stats::default();
    let mut put = putter(out, UNIT, &mut stats);

    let order = ordinals(site);
    // Words of each person, computed in parallel, then gathered by word.
    let words: Vec<Vec<String>> = order.par_iter().map(|&i| person_words(site, i as usize)).collect();
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    for (ordinal, list) in words.into_iter().enumerate() {
        for w in list {
            postings.entry(w).or_default().push(ordinal as u32);
        }
    }

    // Dictionary shards.
    let mut shards: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for word in postings.keys() {
        if let Some(key) = shard_key(&keys::skeleton(&keys::stem(word))) {
            shards.entry(key).or_default().push(word);
        }
    }
    for (key, list) in shards.iter_mut() {
        list.sort_unstable();
        put(format!("search/d/{key}.json"), json(list)?)?;
    }

    // Postings buckets: about 16 words each. A frequent word (a common given
    // name) gets a file of its own, `p/w/{fnv1a:08x}.json`, marked 0 in its
    // bucket: a query for a rare surname must not download it with the bucket.
    let buckets = (postings.len() as u32 / 16).next_power_of_two().clamp(64, 1 << 15);
    let mut by_bucket: Vec<BTreeMap<&str, serde_json::Value>> = vec![BTreeMap::new(); buckets as usize];
    for (word, list) in &postings {
        let mut prev = 0;
        let deltas = list
            .iter()
            .map(|&o| {
                let d = o - prev;
                prev = o;
                d
            })
            .collect();
        let deltas: Vec<u32> = deltas;
        let bucket = &mut by_bucket[(fnv1a(word) % buckets) as usize];
        if deltas.len() > OWN_FILE_POSTINGS {
            put(format!("search/p/w/{:08x}.json", fnv1a(word)), json(&deltas)?)?;
            bucket.insert(word, 0.into());
        } else {
            bucket.insert(word, deltas.into());
        }
    }
    for (b, map) in by_bucket.iter().enumerate() {
        put(format!("search/p/{b}.json"), json(map)?)?;
    }

    // Record rows.
    let rows: Vec<(usize, Vec<u8>)> = order
        .par_chunks(BLOCK)
        .enumerate()
        .map(|(n, chunk)| {
            let rows: Vec<serde_json::Value> = chunk.iter().map(|&i| row(site, i as usize)).collect();
            json(&rows).map(|b| (n, b))
        })
        .collect::<Result<_, _>>()?;
    for (n, bytes) in rows {
        put(format!("search/r/{n}.json"), bytes)?;
    }

    let words = postings.len();
    drop(put);
    stats.words = words;
    let manifest = Manifest {
        v: 1,
        people: site.people.len(),
        block: BLOCK,
        buckets,
        shards: shards.into_keys().collect(),
        texts: BTreeMap::new(),
    };
    Ok((manifest, stats))
}

/// The texts' part of the index: documents per language.
pub fn write_texts(site: &Site, out: &Output) -> Result<(BTreeMap<String, usize>, Stats), String> {
    let mut stats = Stats::default();
    let mut put = putter(out, TEXTS_UNIT, &mut stats);
    let mut texts = BTreeMap::new();
    for l in &site.languages {
        let docs = write_language_texts(site, &l.code, &mut put)?;
        texts.insert(l.code.clone(), docs);
    }
    drop(put);
    Ok((texts, stats))
}

fn row(site: &Site, i: usize) -> serde_json::Value {
    let p = &site.people[i];
    let archive = names::full(&p.archive_name, names::Form::Archive);
    let kazakh = names::full(&names::kazakh(p), names::Form::Kazakh);
    let latin = names::full(&names::latin(p), names::Form::Latin);
    let mut regions: Vec<u16> = Vec::new();
    for c in &p.cases {
        if !regions.contains(&c.region) {
            regions.push(c.region);
        }
    }
    let fate = p.cases.iter().rev().find_map(|c| c.fate).map(i32::from).unwrap_or(-1);
    let arrest = p.cases.iter().filter_map(|c| c.arrest_date.or(c.sentence_date)).map(|d| d.year).min().unwrap_or(0);
    serde_json::json!([
        p.id,
        if kazakh == archive { String::new() } else { kazakh },
        archive,
        latin,
        p.birth_date.map(|d| d.year).unwrap_or(0),
        regions,
        fate,
        arrest,
    ])
}

/// Full-text index of the essays, pages and biographies of one language.
fn write_language_texts(
    site: &Site,
    lang: &str,
    put: &mut dyn FnMut(String, Vec<u8>) -> Result<(), String>,
) -> Result<usize, String> {
    // [title, url, kind]
    let mut docs: Vec<(String, String, &str, &str)> = Vec::new();
    for e in &site.essays {
        if let Some(d) = e.docs.get(lang) {
            docs.push((d.title().to_string(), site.urls.link(&route::essay(lang, &e.slug)), "essay", &d.text));
        }
    }
    for pg in &site.pages {
        if let Some(d) = pg.docs.get(lang) {
            docs.push((d.title().to_string(), site.urls.link(&route::page(lang, &pg.slug)), "page", &d.text));
        }
    }
    let form = names::Form::for_language(lang);
    for (p, bios) in site.people.iter().zip(&site.biographies) {
        if let Some(d) = bios.get(lang) {
            let name = names::full(&names::form(p, form), form);
            docs.push((name, site.urls.link(&route::person(lang, &p.id)) + "#biography", "biography", &d.text));
        }
    }
    let mut index: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (n, (title, _, _, text)) in docs.iter().enumerate() {
        let mut seen = HashSet::new();
        for w in keys::words(title).into_iter().chain(keys::words(text)) {
            if w.len() < 2 || !seen.insert(w.clone()) {
                continue;
            }
            let shard = w.chars().next().map(String::from).unwrap_or_default();
            index.entry(shard).or_default().entry(w).or_default().push(n as u32);
        }
    }
    for (shard, words) in &index {
        put(format!("search/t/{lang}/{shard}.json"), json(words)?)?;
    }
    for (n, chunk) in docs.chunks(BLOCK).enumerate() {
        let rows: Vec<(&str, &str, &str)> = chunk.iter().map(|(t, u, k, _)| (t.as_str(), u.as_str(), *k)).collect();
        put(format!("search/t/{lang}/docs-{n}.json"), json(&rows)?)?;
    }
    Ok(docs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference() {
        assert_eq!(fnv1a(""), 0x811c9dc5);
        assert_eq!(fnv1a("a"), 0xe40c292c);
        assert_eq!(fnv1a("foobar"), 0xbf9cf968);
    }

    #[test]
    fn shard_keys() {
        assert_eq!(shard_key("ptrsn").as_deref(), Some("p-5"));
        assert_eq!(shard_key(&"k".repeat(20)).as_deref(), Some("k-12"));
        assert_eq!(shard_key(""), None);
    }
}
