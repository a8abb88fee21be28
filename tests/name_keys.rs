//! The golden vectors of the search name keys (`tests/data/name-keys.tsv`) and the
//! pairs of spellings that must meet (`tests/data/name-matches.tsv`), checked
//! against the Rust keys. `tests/e2e/name-keys.test.mjs` checks the same two files
//! against the browser's `keys.js`, so the two implementations stay equal.
//!
//! name-keys.tsv: `input`, then the keys of `words(input)` joined by a space, one
//! column per key. When the input holds at most one word, `keys(input)` must give
//! the same three keys (all empty for no word).
//!
//! name-matches.tsv: `a`, `b`, `level`. Two spellings meet at a level when the
//! keys of one's words at that level are all among the other's (so a name meets
//! the same name with or without given name and patronymic). `level` is the
//! strictest level at which they meet (fold, stem, skeleton) or `none`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use esim::search::keys::{self, WordKeys};

fn rows(name: &str, columns: usize) -> Vec<Vec<String>> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap().split('\t').count(), columns, "{name}");
    lines
        .map(|line| {
            let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
            assert_eq!(fields.len(), columns, "{name}: {line}");
            fields
        })
        .collect()
}

/// The three keys of every word of `text`, each joined by a space.
fn joined(text: &str) -> [String; 3] {
    let folds = keys::words(text);
    let stems: Vec<String> = folds.iter().map(|w| keys::stem(w)).collect();
    let skeletons: Vec<String> = stems.iter().map(|s| keys::skeleton(s)).collect();
    [folds.join(" "), stems.join(" "), skeletons.join(" ")]
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

#[test]
fn golden_vectors() {
    let rows = rows("name-keys.tsv", 4);
    assert!(rows.len() >= 200, "{} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let input = &row[0];
        let got = joined(input);
        if got[..] != row[1..] {
            failures.push(format!("{}\t{}", short(input), got.join("\t")));
        }
        if keys::words(input).len() <= 1 {
            let k = keys::keys(input);
            let want = WordKeys { fold: row[1].clone(), stem: row[2].clone(), skeleton: row[3].clone() };
            if k != want {
                failures.push(format!("keys({}) = {k:?}", short(input)));
            }
        }
    }
    assert!(failures.is_empty(), "{} rows differ; the keys computed now:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn golden_vectors_cover_what_they_must() {
    let rows = rows("name-keys.tsv", 4);
    let inputs: String = rows.iter().map(|r| r[0].to_lowercase()).collect();
    for letter in "әғқңөұүһіїєґёй".chars() {
        assert!(inputs.contains(letter), "no input has {letter}");
    }
    for needle in ["-", "'", "’", "😀", "ov", "ова", "ұлы", "qyzy", "ович", "ski", "ская"] {
        assert!(inputs.contains(needle), "no input has {needle}");
    }
    assert!(rows.iter().any(|r| r[0].is_empty() && r[1].is_empty()));
}

fn key_set(text: &str, level: usize) -> BTreeSet<String> {
    let [folds, stems, skeletons] = joined(text);
    let keys = [folds, stems, skeletons][level].clone();
    keys.split(' ').filter(|k| !k.is_empty()).map(str::to_string).collect()
}

/// The strictest level at which `a` and `b` meet.
fn level(a: &str, b: &str) -> &'static str {
    for (i, name) in ["fold", "stem", "skeleton"].into_iter().enumerate() {
        let (x, y) = (key_set(a, i), key_set(b, i));
        let within = |p: &BTreeSet<String>, q: &BTreeSet<String>| !p.is_empty() && p.is_subset(q);
        if within(&x, &y) || within(&y, &x) {
            return name;
        }
    }
    "none"
}

#[test]
fn spellings_of_one_name_meet_and_different_names_do_not() {
    let rows = rows("name-matches.tsv", 3);
    let meet = rows.iter().filter(|r| r[2] != "none").count();
    assert!(meet >= 60, "{meet} pairs that meet");
    assert!(rows.len() - meet >= 15, "{} pairs that must not meet", rows.len() - meet);
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let got = level(&r[0], &r[1]);
            (got != r[2]).then(|| format!("{}\t{}\twant {}, got {got}", r[0], r[1], r[2]))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ten_thousand_characters_do_not_hang() {
    let text: String = "Байтұрсынұлы-Baitūrsynūly Ахмет'ов 😀 ".chars().cycle().take(10_000).collect();
    let one_word: String = "ДжжшщАйЫяHhXxJjYyoe".chars().cycle().take(10_000).collect();
    let start = Instant::now();
    let words = keys::words(&text);
    assert!(words.len() > 700);
    let k = keys::keys(&one_word);
    assert!(!k.fold.is_empty() && !k.skeleton.is_empty());
    assert_eq!(keys::keys(&one_word), k, "deterministic");
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
}
