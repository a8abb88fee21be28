//! The search index, written into `public/search/` by every build: static,
//! language-neutral and sharded, so that the browser downloads only what a query
//! needs (see `themes/default/static/search/search.js`, which reads it), in a
//! bounded number of files (hosts count files: at most [`MAX_FILES`] for the
//! people, whatever their number).
//!
//! | file | what |
//! |---|---|
//! | `d/{c}-{n}-{k}.json` | dictionary part `k` of the folded words whose skeleton starts with `c` and is `n` long (12 = 12 or more): `[[skeleton, [[word, postings], …]], …]` sorted by skeleton then word. `postings` are the bearers' ordinals as runs ([`super::postings`]); a word borne by many people scattered over the ordinals (a common given name or patronymic) has its postings in the segment files, and here only those inside the largest families (`[word, postings, 1]`, or `[word]` when it has none there), and, when most of its bearers are in one or two segments (a Kazakh surname form, whose bearers are scattered inside the family of its Russified form), those segments: `[word, postings, 1, [segment, …]]`. A skeleton never straddles two parts; the manifest gives the first skeleton of every part but the first. |
//! | `s/{n}-{g}.json` | segment `n`, group `g`: the ordinals `segment·n …` of the scattered words whose skeleton starts with a letter of group `g` ([`SEGMENT_GROUPS`], the last group every other letter), `{word: postings from segment·n}` |
//! | `r/{n}.json` | record rows of ordinals `block·n … block·n+block-1`: `[id, Kazakh name or "", archive name, Latin name, birth year or 0, [region indices], fate index or -1, earliest arrest year or 0, earliest sentence year or 0]`: each year under its own name, never one standing in for the other |
//! | `t/{lang}/w-{k}.json`, `t/{lang}/docs-{n}.json` | essays, pages and biographies per language: part `k` of the folded words, `{word: documents as runs}`, the words sorted and cut into parts of about [`TEXT_PART_BYTES`] (the manifest gives the first word of every part but the first); documents (essays, pages, then biographies in the people's search order) in blocks of 64 `[title, url, kind]` |
//!
//! Ordinals number people by the skeleton of their surname, so namesakes are
//! neighbours: their postings are runs, their rows share a block, and the
//! scattered given names of a surname's bearers are in one or two segments.
//! A query thus costs one dictionary part per word (more when a typo sends it
//! to the neighbouring skeleton lengths), a segment or two, and a row block or two.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use super::keys;
pub use super::memo::PeopleMemo;
use crate::model::Form;
use crate::site::Site;
use crate::urls::route;

/// Where the index's files go: (path under the site's root, bytes).
pub type WriteFile<'a> = dyn FnMut(&str, &[u8]) -> Result<(), String> + 'a;

/// People per row file, at least (more in large sites: see [`layout`]).
pub const BLOCK: usize = 64;
/// People whose words are computed at once, before they are gathered.
const WORDS_CHUNK: usize = 8192;
/// Row files at most, whatever the number of people.
pub const ROW_FILES: usize = 1152;
/// Segment files of the scattered words' postings, at most.
pub const SEGMENTS: usize = 128;
/// Each segment is cut into files by the first letter of its words'
/// skeletons: these groups of letters, and one more for every other letter.
/// A query word's candidates all share the first letter of its skeleton (they
/// come from that letter's dictionary shards), so it reads one group of each
/// segment it needs, not the given names and patronymics of every letter.
/// Groups of about equal weight among the region's names (a: every vowel).
pub const SEGMENT_GROUPS: [&str; 3] = ["a", "slr", "kfn"];
/// A scattered word's dictionary entry names the segments holding most of its
/// postings, this many at most, when they hold at least half of them (see
/// [`dense_segments`]).
pub const DENSE_SEGMENTS: usize = 2;
/// Dictionary parts are cut at about this many bytes.
pub const PART_BYTES: usize = 12_000;
/// A word whose postings take more numbers than this, as runs, is scattered:
/// its postings go to the segment files.
pub const SCATTERED: usize = 32;
/// Runs of a scattered word's postings inside large families that its
/// dictionary entry keeps, at most (see [`kept_postings`]).
pub const KEPT_RUNS: usize = 256;
/// A scattered word's bearers in one family are kept in the dictionary only
/// when they are at most this many runs (a given name, not a patronymic).
pub const FAMILY_RUNS: usize = 2;
/// The texts' word parts are cut at about this many bytes, or at a
/// [`TEXT_PARTS`]th of the language's words when that is more: at most
/// `2·TEXT_PARTS + 1` parts per language, whatever the texts' size.
pub const TEXT_PART_BYTES: usize = 4_000;
pub const TEXT_PARTS: usize = 50;
/// Skeleton lengths from this one up share a dictionary shard.
pub const MAX_SHARD_LEN: usize = 12;
/// The people's part of the index stays within this many files (rows,
/// segments and dictionary parts, which are about 20 first letters × 12
/// lengths, and few parts more).
pub const MAX_FILES: usize = ROW_FILES + SEGMENTS * (SEGMENT_GROUPS.len() + 1) + 600;

/// What the search page needs to know about the index (embedded in the page).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Manifest {
    pub v: u32,
    pub people: usize,
    /// People per row file.
    pub block: usize,
    /// People per segment (a multiple of `block`).
    pub segment: usize,
    /// The segments' groups of first letters ([`SEGMENT_GROUPS`]).
    pub groups: Vec<String>,
    /// The dictionary shards that exist, each with the first skeleton of its
    /// parts after the first.
    pub shards: BTreeMap<String, Vec<String>>,
    /// The texts' index per language.
    pub texts: BTreeMap<String, TextIndex>,
}

/// The texts' index of one language.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct TextIndex {
    /// Documents (essays, pages, biographies).
    pub docs: usize,
    /// The first word of each word part after the first.
    pub parts: Vec<String>,
}

impl Manifest {
    /// The manifest of an empty index.
    pub fn empty() -> Manifest {
        Manifest {
            v: 4,
            people: 0,
            block: BLOCK,
            segment: BLOCK,
            groups: groups(),
            shards: BTreeMap::new(),
            texts: BTreeMap::new(),
        }
    }
}

/// People per row file and per segment for `people` people, so that neither
/// kind of file outnumbers its bound.
pub fn layout(people: usize) -> (usize, usize) {
    let block = people.div_ceil(ROW_FILES).max(BLOCK);
    let blocks = people.div_ceil(block).max(1);
    (block, blocks.div_ceil(SEGMENTS) * block)
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub words: usize,
}

fn groups() -> Vec<String> {
    SEGMENT_GROUPS.iter().map(|g| g.to_string()).collect()
}

/// The segment group of a word by its skeleton: the [`SEGMENT_GROUPS`] entry
/// holding its first letter, or the last group.
pub fn segment_group(skeleton: &str) -> usize {
    let first = skeleton.chars().next().unwrap_or(' ');
    SEGMENT_GROUPS.iter().position(|g| g.contains(first)).unwrap_or(SEGMENT_GROUPS.len())
}

pub fn shard_key(skeleton: &str) -> Option<String> {
    let first = skeleton.chars().next()?;
    Some(format!("{first}-{}", skeleton.chars().count().min(MAX_SHARD_LEN)))
}

/// The folded words a person can be found by: every name form and variant.
pub(super) fn person_words(site: &Site, i: usize) -> Vec<String> {
    let p = &site.people[i];
    let forms = p.name_forms();
    let mut texts = vec![forms.archive, forms.kazakh, forms.latin];
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

/// A family: the people who bear one folded surname, neighbours in the search
/// order: (first ordinal, size).
type Family = (u32, u32);

/// A person's place in the search order, before the id: the surname's
/// skeleton, the folded surname, the folded given name, and whether they have
/// a patronymic. Namesakes (same surname and given name) without a patronymic
/// come first: a query of surname and given name alone then finds them in the
/// first row block the name's postings point at, instead of behind dozens who
/// have one.
pub(super) type OrderKey = (String, String, String, bool);

pub(super) fn order_key(p: &crate::model::Person) -> OrderKey {
    let surname = keys::words(&p.archive_name.surname).into_iter().next().unwrap_or_default();
    let given = keys::words(&p.archive_name.given).into_iter().next().unwrap_or_default();
    let has_patronymic = !p.archive_name.patronymic.trim().is_empty();
    (keys::skeleton(&keys::stem(&surname)), surname, given, has_patronymic)
}

/// The search order: by [`OrderKey`], then id; and each ordinal's family.
fn ordinals(site: &Site, memo: Option<&PeopleMemo>) -> (Vec<u32>, Vec<Family>) {
    let mut keyed: Vec<(String, String, String, bool, &str, u32)> = site
        .people
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let (skeleton, surname, given, has_patronymic) = match memo {
                Some(m) => m.order_key(i).clone(),
                None => order_key(p),
            };
            (skeleton, surname, given, has_patronymic, p.id.as_str(), i as u32)
        })
        .collect();
    keyed.par_sort_unstable();
    let mut family = Vec::with_capacity(keyed.len());
    for group in keyed.chunk_by(|a, b| a.1 == b.1) {
        let f = (family.len() as u32, group.len() as u32);
        family.extend(std::iter::repeat_n(f, group.len()));
    }
    (keyed.into_iter().map(|k| k.5).collect(), family)
}

/// The postings of a scattered word that its dictionary entry keeps: its
/// bearers in each family of more than `large` people where they are at most
/// [`FAMILY_RUNS`] runs, largest families first, [`KEPT_RUNS`] runs at most.
/// Within a family people are ordered by given name, so there a given name's
/// bearers are one run, and a query of surname and given name meets its
/// person without reading a segment; in a family that spans several segments,
/// the few a query reads would miss most of them. (A patronymic's bearers are
/// scattered within the family too, and stay in the segments.)
fn kept_postings(list: &[u32], family: &[Family], large: u32) -> Vec<u32> {
    let of = |o: &u32| family[*o as usize];
    let mut groups: Vec<(u32, usize, Vec<u32>)> = Vec::new();
    for bearers in list.chunk_by(|a, b| of(a) == of(b)) {
        let size = of(&bearers[0]).1;
        let runs = bearers.chunk_by(|a, b| b - a == 1).count();
        if size > large && runs <= FAMILY_RUNS {
            groups.push((size, runs, bearers.to_vec()));
        }
    }
    // Stable: among equal families, the first in the order first.
    groups.sort_by_key(|g| std::cmp::Reverse(g.0));
    let mut kept: Vec<u32> = Vec::new();
    let mut runs = 0;
    for (_, n, bearers) in groups {
        if runs + n > KEPT_RUNS {
            break;
        }
        runs += n;
        kept.extend(bearers);
    }
    kept.sort_unstable();
    kept
}

/// The segments (of `segment` ordinals) holding most of a scattered word's
/// postings `list`: the [`DENSE_SEGMENTS`] holding most, when together they
/// hold at least half of them; else none. A Kazakh surname form is borne by
/// people scattered inside the family of its Russified form (ordered by given
/// name), so it keeps no runs in the dictionary, and its bearers weighed
/// nothing when a query chose the segments to read: the family's segments
/// were then left out. A common given name is spread over all segments and
/// names none.
fn dense_segments(list: &[u32], segment: usize) -> Vec<u32> {
    let mut counts: Vec<(usize, u32)> = list
        .chunk_by(|a, b| *a as usize / segment == *b as usize / segment)
        .map(|chunk| (chunk.len(), chunk[0] / segment as u32))
        .collect();
    // The most first; among equals, the first segment.
    counts.sort_by_key(|&(n, s)| (std::cmp::Reverse(n), s));
    counts.truncate(DENSE_SEGMENTS);
    if 2 * counts.iter().map(|c| c.0).sum::<usize>() < list.len() {
        return Vec::new();
    }
    let mut dense: Vec<u32> = counts.into_iter().map(|c| c.1).collect();
    dense.sort_unstable();
    dense
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| e.to_string())
}

/// Counts what the index writes.
fn putter<'a, 'w>(
    write: &'a mut WriteFile<'w>,
    stats: &'a mut Stats,
) -> impl FnMut(String, Vec<u8>) -> Result<(), String> + use<'a, 'w> {
    move |rel: String, bytes: Vec<u8>| {
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
        write(&rel, &bytes)
    }
}

/// What of a person the people's index shows: a change elsewhere in the
/// record (a place, a charge, a source) leaves the index as it is.
pub fn person_fingerprint(p: &crate::model::Person) -> u64 {
    let regions: Vec<u16> = p.cases.iter().map(|c| c.region).collect();
    let fates: Vec<Option<u16>> = p.cases.iter().map(|c| c.fate).collect();
    let arrests: Vec<_> = p.cases.iter().map(|c| c.arrest_date.map(|d| d.year)).collect();
    let sentences: Vec<_> = p.cases.iter().map(|c| c.sentence_date.map(|d| d.year)).collect();
    crate::util::hash::fingerprint(&(
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
        sentences,
    ))
}

/// The people's part of the index: dictionary, segments and rows (the
/// manifest's `texts` left empty). `memo`: what a long-running build keeps of
/// each person, up to date; without it, it is computed here.
pub fn write_people(
    site: &Site,
    memo: Option<&PeopleMemo>,
    write: &mut WriteFile<'_>,
) -> Result<(Manifest, Stats), String> {
    let mut stats = Stats::default();
    let mut put = putter(write, &mut stats);
    let (block, segment) = layout(site.people.len());

    let (order, family) = ordinals(site, memo);
    // Words of each person, computed in parallel, then gathered by word; a
    // chunk of people at a time, as the words of all of them at once (a
    // dozen strings a person) outweighed the postings they make.
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    for (c, chunk) in order.chunks(WORDS_CHUNK).enumerate() {
        let words: Vec<Vec<String>> = chunk
            .par_iter()
            .map(|&i| match memo {
                Some(m) => m.words(i as usize),
                None => person_words(site, i as usize),
            })
            .collect();
        for (k, list) in words.into_iter().enumerate() {
            let ordinal = (c * WORDS_CHUNK + k) as u32;
            for w in list {
                postings.entry(w).or_default().push(ordinal);
            }
        }
    }

    // Dictionary shards, cut into parts; scattered words' postings by segment.
    let mut shards: BTreeMap<String, Vec<Entry<'_>>> = BTreeMap::new();
    let mut segments: BTreeMap<(usize, usize), BTreeMap<&str, Vec<i64>>> = BTreeMap::new();
    for (word, list) in &postings {
        let skeleton = keys::skeleton(&keys::stem(word));
        let Some(key) = shard_key(&skeleton) else { continue };
        let runs = super::postings::encode(list, 0);
        let entry = if runs.len() > SCATTERED {
            let group = segment_group(&skeleton);
            for chunk in list.chunk_by(|a, b| *a as usize / segment == *b as usize / segment) {
                let n = chunk[0] as usize / segment;
                let base = (n * segment) as u32;
                segments.entry((n, group)).or_default().insert(word, super::postings::encode(chunk, base));
            }
            Postings::Scattered(
                super::postings::encode(&kept_postings(list, &family, block as u32), 0),
                dense_segments(list, segment),
            )
        } else {
            Postings::All(runs)
        };
        shards.entry(key).or_default().push((skeleton, word, entry));
    }
    let mut manifest_shards = BTreeMap::new();
    for (key, mut entries) in shards {
        entries.sort_unstable();
        let parts = dictionary_parts(&entries)?;
        manifest_shards.insert(key.clone(), parts.iter().skip(1).map(|(first, _)| first.clone()).collect());
        for (k, (_, bytes)) in parts.into_iter().enumerate() {
            put(format!("search/d/{key}-{k}.json"), bytes)?;
        }
    }
    for ((n, group), words) in &segments {
        put(format!("search/s/{n}-{group}.json"), json(words)?)?;
    }

    // Record rows.
    let rows: Vec<(usize, Vec<u8>)> = order
        .par_chunks(block)
        .enumerate()
        .map(|(n, chunk)| match memo {
            // A JSON array of rows is the rows' own JSON between brackets.
            Some(m) => {
                let mut bytes = vec![b'['];
                for (k, &i) in chunk.iter().enumerate() {
                    if k > 0 {
                        bytes.push(b',');
                    }
                    bytes.extend_from_slice(m.row(i as usize));
                }
                bytes.push(b']');
                Ok((n, bytes))
            }
            None => {
                let rows: Vec<serde_json::Value> = chunk.iter().map(|&i| row(site, i as usize)).collect();
                json(&rows).map(|b| (n, b))
            }
        })
        .collect::<Result<_, _>>()?;
    for (n, bytes) in rows {
        put(format!("search/r/{n}.json"), bytes)?;
    }

    let words = postings.len();
    drop(put);
    stats.words = words;
    let manifest = Manifest {
        v: 4,
        people: site.people.len(),
        block,
        segment,
        groups: groups(),
        shards: manifest_shards,
        texts: BTreeMap::new(),
    };
    Ok((manifest, stats))
}

/// A word's postings in its dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Postings {
    /// All of them, as runs: `[word, runs]`.
    All(Vec<i64>),
    /// A scattered word, whose postings are in the segments, with those kept
    /// here ([`kept_postings`]) and the segments holding most of them
    /// ([`dense_segments`]): `[word, runs, 1, segments]`, `[word, runs, 1]`
    /// without such segments, or `[word]` with neither.
    Scattered(Vec<i64>, Vec<u32>),
}

/// A dictionary entry: skeleton, word, and its postings.
type Entry<'a> = (String, &'a str, Postings);

/// One shard's entries (sorted by skeleton, then word) as dictionary parts of
/// about [`PART_BYTES`] each, never cutting a skeleton's words apart: (first
/// skeleton, JSON bytes) of every part.
fn dictionary_parts(entries: &[Entry<'_>]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut parts = Vec::new();
    let mut part: Vec<(&str, Vec<serde_json::Value>)> = Vec::new();
    let mut size = 0;
    for group in entries.chunk_by(|a, b| a.0 == b.0) {
        let list: Vec<serde_json::Value> = group
            .iter()
            .map(|(_, word, postings)| match postings {
                Postings::All(runs) => serde_json::json!([word, runs]),
                Postings::Scattered(kept, dense) if kept.is_empty() && dense.is_empty() => serde_json::json!([word]),
                Postings::Scattered(kept, dense) if dense.is_empty() => serde_json::json!([word, kept, 1]),
                Postings::Scattered(kept, dense) => serde_json::json!([word, kept, 1, dense]),
            })
            .collect();
        let bytes = json(&list)?.len() + group[0].0.len() + 6;
        if size > 0 && size + bytes > PART_BYTES {
            parts.push((part[0].0.to_string(), json(&std::mem::take(&mut part))?));
            size = 0;
        }
        size += bytes;
        part.push((group[0].0.as_str(), list));
    }
    if !part.is_empty() {
        parts.push((part[0].0.to_string(), json(&part)?));
    }
    Ok(parts)
}

/// The texts' part of the index: documents per language.
pub fn write_texts(site: &Site, write: &mut WriteFile<'_>) -> Result<(BTreeMap<String, TextIndex>, Stats), String> {
    let mut stats = Stats::default();
    let mut put = putter(write, &mut stats);
    let mut texts = BTreeMap::new();
    for l in &site.languages {
        let index = write_language_texts(site, &l.code, &mut put)?;
        texts.insert(l.code.clone(), index);
    }
    drop(put);
    Ok((texts, stats))
}

pub(super) fn row(site: &Site, i: usize) -> serde_json::Value {
    let p = &site.people[i];
    let crate::model::NameForms { archive, kazakh, latin } = p.name_forms();
    let mut regions: Vec<u16> = Vec::new();
    for c in &p.cases {
        if !regions.contains(&c.region) {
            regions.push(c.region);
        }
    }
    let fate = p.cases.iter().rev().find_map(|c| c.fate).map(i32::from).unwrap_or(-1);
    // The arrest year only where the record gives an arrest date: a sentence
    // year is a fact of its own, shown and filtered as such.
    let arrest = earliest_year(p, |c| c.arrest_date);
    let sentence = earliest_year(p, |c| c.sentence_date);
    serde_json::json!([
        p.id,
        if kazakh == archive { String::new() } else { kazakh },
        archive,
        latin,
        p.birth_date.map(|d| d.year).unwrap_or(0),
        regions,
        fate,
        arrest,
        sentence,
    ])
}

/// The earliest year of one date field over a person's cases, or 0.
fn earliest_year(
    p: &crate::model::Person,
    date: impl Fn(&crate::model::Case) -> Option<crate::model::PartialDate>,
) -> u16 {
    p.cases.iter().filter_map(date).map(|d| d.year).min().unwrap_or(0)
}

/// Full-text index of the essays, pages and biographies of one language.
fn write_language_texts(
    site: &Site,
    lang: &str,
    put: &mut dyn FnMut(String, Vec<u8>) -> Result<(), String>,
) -> Result<TextIndex, String> {
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
    let form = Form::for_language(lang);
    // Biographies in the people's search order: namesakes' are neighbours, so
    // the documents a name query finds share blocks of documents.
    let mut people: Vec<usize> = (0..site.people.len().min(site.biographies.len()))
        .filter(|&i| site.biographies[i].contains_key(lang))
        .collect();
    people.sort_by_cached_key(|&i| (order_key(&site.people[i]), site.people[i].id.clone()));
    for i in people {
        let (p, bios) = (&site.people[i], &site.biographies[i]);
        if let Some(d) = bios.get(lang) {
            let name = crate::model::names::full(&p.name_in(form), form);
            docs.push((name, site.urls.link(&route::person(lang, &p.id)) + "#biography", "biography", &d.text));
        }
    }
    let mut index: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (n, (title, _, _, text)) in docs.iter().enumerate() {
        let mut seen = HashSet::new();
        for w in keys::words(title).into_iter().chain(keys::words(text)) {
            if w.len() < 2 || !seen.insert(w.clone()) {
                continue;
            }
            index.entry(w).or_default().push(n as u32);
        }
    }
    let parts = text_parts(&index)?;
    let firsts = parts.iter().skip(1).map(|(first, _)| first.clone()).collect();
    for (k, (_, bytes)) in parts.into_iter().enumerate() {
        put(format!("search/t/{lang}/w-{k}.json"), bytes)?;
    }
    for (n, chunk) in docs.chunks(BLOCK).enumerate() {
        let rows: Vec<(&str, &str, &str)> = chunk.iter().map(|(t, u, k, _)| (t.as_str(), u.as_str(), *k)).collect();
        put(format!("search/t/{lang}/docs-{n}.json"), json(&rows)?)?;
    }
    Ok(TextIndex { docs: docs.len(), parts: firsts })
}

/// The texts' words (sorted, each with its documents in ascending order) as
/// parts of consecutive words, `{word: documents as runs}`: (first word, JSON
/// bytes) of every part. A query word reads only the parts that hold the
/// words it starts (or whose stem it shares), not every word of its first
/// letter; the parts are about [`TEXT_PART_BYTES`], larger when the texts
/// would need more than [`TEXT_PARTS`] of them (hosts count files).
fn text_parts(index: &BTreeMap<String, Vec<u32>>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let entries: Vec<(&str, Vec<i64>, usize)> = index
        .iter()
        .map(|(w, docs)| {
            let runs = super::postings::encode(docs, 0);
            let size = w.len() + json(&runs).map_or(0, |b| b.len()) + 4;
            (w.as_str(), runs, size)
        })
        .collect();
    let total: usize = entries.iter().map(|e| e.2).sum();
    let cut = TEXT_PART_BYTES.max(total.div_ceil(TEXT_PARTS) + 1);
    let mut parts = Vec::new();
    let mut part: BTreeMap<&str, &[i64]> = BTreeMap::new();
    let mut size = 0;
    for (w, runs, bytes) in &entries {
        if size > 0 && size + bytes > cut {
            let first = part.keys().next().map(|w| w.to_string()).unwrap_or_default();
            parts.push((first, json(&std::mem::take(&mut part))?));
            size = 0;
        }
        size += bytes;
        part.insert(w, runs);
    }
    if !part.is_empty() || parts.is_empty() {
        let first = part.keys().next().map(|w| w.to_string()).unwrap_or_default();
        parts.push((first, json(&part)?));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stay_bounded_whatever_the_number_of_people() {
        assert_eq!(layout(0), (BLOCK, BLOCK));
        assert_eq!(layout(1000), (BLOCK, BLOCK));
        for people in [1, 63, 64, 65, 10_000, 100_000, 311_000, 1_000_000, 5_000_000] {
            let (block, segment) = layout(people);
            assert!(block >= BLOCK && segment % block == 0, "{people}: {block} {segment}");
            assert!(people.div_ceil(block) <= ROW_FILES, "{people}: rows");
            assert!(people.div_ceil(segment) <= SEGMENTS, "{people}: segments");
        }
        let (block, segment) = layout(311_000);
        assert!(block <= 300 && segment <= 10 * block, "a query's rows and segments stay small: {block} {segment}");
    }

    fn entry(skeleton: &str, word: &'static str, runs: Option<Vec<i64>>) -> Entry<'static> {
        (skeleton.to_string(), word, runs.map_or(Postings::Scattered(Vec::new(), Vec::new()), Postings::All))
    }

    #[test]
    fn dictionary_parts_never_split_a_skeleton() {
        let mut entries = Vec::new();
        for (n, skeleton) in ["kl", "km", "kn", "kp", "kr", "ks", "kt"].iter().enumerate() {
            for w in 0..300 {
                let word: &'static str = Box::leak(format!("{skeleton}word{w}").into_boxed_str());
                entries.push(entry(skeleton, word, if w % 7 == 0 { None } else { Some(vec![(n * 1000 + w) as i64]) }));
            }
        }
        entries.sort();
        let parts = dictionary_parts(&entries).unwrap();
        assert!(parts.len() > 2, "{} parts", parts.len());
        let mut seen = Vec::new();
        for (first, bytes) in &parts {
            let part: Vec<(String, Vec<serde_json::Value>)> = serde_json::from_slice(bytes).unwrap();
            assert_eq!(&part[0].0, first);
            for (skeleton, words) in part {
                assert!(!seen.contains(&skeleton), "{skeleton} in two parts");
                seen.push(skeleton);
                assert_eq!(words.len(), 300);
                // A scattered word is the word alone; others carry their runs.
                assert_eq!(words[0].as_array().unwrap().len(), 1, "{}", words[0]);
                assert_eq!(words[1].as_array().unwrap().len(), 2, "{}", words[1]);
            }
        }
        assert_eq!(seen.len(), 7);
        // One skeleton's words outweighing a part stay whole.
        let big: Vec<_> =
            (0..2000).map(|w| entry("k", Box::leak(format!("w{w:05}").into_boxed_str()), Some(vec![w]))).collect();
        assert_eq!(dictionary_parts(&big).unwrap().len(), 1);
    }

    #[test]
    fn a_scattered_word_keeps_its_runs_in_the_largest_families() {
        // Families: 0..10 (10 people), 10..13 (3), 13..40 (27), 40..41 (1).
        let mut family = Vec::new();
        for (start, size) in [(0, 10), (10, 3), (13, 27), (40, 1)] {
            family.extend(std::iter::repeat_n((start, size), size as usize));
        }
        // A given name's bearers: runs in each family, one across a boundary.
        let list = [2, 3, 4, 9, 10, 11, 20, 30, 40];
        assert_eq!(kept_postings(&list, &family, 5), vec![2, 3, 4, 9, 20, 30]);
        assert_eq!(kept_postings(&list, &family, 2), vec![2, 3, 4, 9, 10, 11, 20, 30]);
        assert_eq!(kept_postings(&list, &family, 30), Vec::<u32>::new());
        // Bearers scattered over a family (a patronymic's) are not kept there.
        assert_eq!(kept_postings(&[2, 4, 6, 20, 21], &family, 5), vec![20, 21]);
        // At most KEPT_RUNS runs, the largest families' first.
        let family: Vec<Family> = (0..2000).map(|o| (o / 5 * 5, 5 + (o / 5 == 7) as u32)).collect();
        let every_fifth: Vec<u32> = (0..400).map(|o| 5 * o).collect();
        let kept = kept_postings(&every_fifth, &family, 4);
        assert_eq!(kept.len(), KEPT_RUNS);
        assert_eq!(kept[..3], [0, 5, 10]);
    }

    #[test]
    fn a_scattered_word_names_the_segments_holding_most_of_it() {
        // Segments of 10: a Kazakh surname form's bearers inside one family
        // (ordinals 20-39), a few elsewhere.
        let surname = [3, 21, 23, 26, 29, 31, 34, 38, 55];
        assert_eq!(dense_segments(&surname, 10), vec![2, 3]);
        // One segment is enough; the first among equals.
        assert_eq!(dense_segments(&[41, 42, 43, 90], 10), vec![4, 9]);
        assert_eq!(dense_segments(&[41, 42], 10), vec![4]);
        // A given name spread over every segment names none.
        let given: Vec<u32> = (0..100).step_by(7).collect();
        assert_eq!(dense_segments(&given, 10), Vec::<u32>::new());
        // Written as the entry's fourth element.
        let parts = dictionary_parts(&[
            ("k".to_string(), "kaz", Postings::Scattered(Vec::new(), vec![2, 3])),
            ("k".to_string(), "kim", Postings::Scattered(vec![4, -1], Vec::new())),
            ("k".to_string(), "kol", Postings::Scattered(Vec::new(), Vec::new())),
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(parts[0].1.clone()).unwrap(),
            r#"[["k",[["kaz",[],1,[2,3]],["kim",[4,-1],1],["kol"]]]]"#
        );
    }

    #[test]
    fn text_parts_hold_each_word_once_in_order_and_stay_few() {
        let words = |n: usize| -> BTreeMap<String, Vec<u32>> {
            (0..n)
                .map(|w| (format!("w{w:06}"), (0..(w % 9) as u32).map(|d| d * 3 + (w % 5) as u32).collect()))
                .collect()
        };
        let check = |index: &BTreeMap<String, Vec<u32>>| {
            let parts = text_parts(index).unwrap();
            let mut all = Vec::new();
            for (first, bytes) in &parts {
                let part: BTreeMap<String, Vec<i64>> = serde_json::from_slice(bytes).unwrap();
                assert_eq!(part.keys().next(), Some(first));
                for (w, runs) in part {
                    assert_eq!(&super::super::postings::decode(&runs, 0), &index[&w], "{w}");
                    all.push(w);
                }
            }
            // Consecutive ranges: each word in the part its first word says.
            assert_eq!(all, index.keys().cloned().collect::<Vec<_>>());
            parts
        };
        assert_eq!(check(&words(10)).len(), 1);
        let parts = check(&words(5_000));
        assert!(parts.len() > 10, "{} parts", parts.len());
        assert!(parts.iter().all(|(_, b)| b.len() <= 2 * TEXT_PART_BYTES), "parts of about TEXT_PART_BYTES");
        // However many words, the parts stay few (hosts count files).
        assert!(check(&words(400_000)).len() <= 2 * TEXT_PARTS + 1);
        // No words: one empty part, so that a query reads an answer.
        assert_eq!(text_parts(&BTreeMap::new()).unwrap(), vec![(String::new(), b"{}".to_vec())]);
    }

    #[test]
    fn segment_groups_by_the_skeletons_first_letter() {
        assert_eq!(segment_group("ifn"), SEGMENT_GROUPS.len(), "not a skeleton: no vowel but a");
        assert_eq!(segment_group(&keys::skeleton(&keys::stem("ivanovich"))), 0);
        assert_eq!(segment_group(&keys::skeleton(&keys::stem("sergeevich"))), 1);
        assert_eq!(segment_group(&keys::skeleton(&keys::stem("shamil"))), 1);
        assert_eq!(segment_group(&keys::skeleton(&keys::stem("nikolai"))), 2);
        assert_eq!(segment_group(&keys::skeleton(&keys::stem("petrovich"))), 3);
        assert_eq!(segment_group(""), 3);
    }

    #[test]
    fn shard_keys() {
        assert_eq!(shard_key("ptrsn").as_deref(), Some("p-5"));
        assert_eq!(shard_key(&"k".repeat(20)).as_deref(), Some("k-12"));
        assert_eq!(shard_key(""), None);
    }
}
