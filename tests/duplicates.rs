//! `esim duplicates` on real sites in temporary directories: planted
//! duplicates of a fixture found, precision counted, reviewed pairs left out,
//! a malformed review line named, the table and the CSV readable.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{row, Fixture};
use esim::duplicates::{find, output::CSV_COLUMNS, Options};

fn options(root: &Path) -> Options {
    Options { root: root.to_path_buf(), min_score: 0 }
}

fn fixture(people: usize, duplicates: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o =
        esim::fixture::FixtureOptions { people, seed: 7, out: out.clone(), from: common::sample_root(), duplicates };
    esim::fixture::generate(&o).unwrap();
    (dir, out)
}

fn planted(root: &Path) -> HashSet<(String, String)> {
    let mut reader = csv::Reader::from_path(root.join(esim::fixture::duplicates::TRUTH)).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let (a, b) = (r[0].to_string(), r[1].to_string());
            if a <= b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect()
}

/// 2,000 fictitious people with 50 planted duplicates: every planted pair is
/// found, and the pairs that are not planted are namesakes the rules cannot
/// tell apart. Their number is bounded: with 48 Kazakh surnames and 40 given
/// names the fixture has about 1,900 Kazakh name pairs for ~1,300 Kazakh
/// people, so a few dozen namesake pairs exist at all, of which only those
/// with compatible patronymic, birth year and place are reported.
#[test]
fn planted_duplicates_are_found_with_few_others() {
    let (_dir, root) = fixture(2_000, 50);
    let truth = planted(&root);
    assert_eq!(truth.len(), 50);
    let report = find(&options(&root)).unwrap();
    let found: HashSet<(String, String)> = report.pairs.iter().map(|p| (p.a.id.clone(), p.b.id.clone())).collect();
    let missed: Vec<_> = truth.difference(&found).collect();
    assert!(missed.is_empty(), "planted pairs not found: {missed:?}");
    let others = found.difference(&truth).count();
    eprintln!("{} pairs reported, {others} not planted", found.len());
    assert!(others <= 10, "{others} pairs reported that are not planted (precision {:.2})", 50.0 / found.len() as f64);
    // Planted pairs score higher than coincidences, on the whole.
    let mean = |planted: bool| {
        let scores: Vec<f64> = report
            .pairs
            .iter()
            .filter(|p| truth.contains(&(p.a.id.clone(), p.b.id.clone())) == planted)
            .map(|p| p.score as f64)
            .collect();
        scores.iter().sum::<f64>() / scores.len().max(1) as f64
    };
    assert!(others == 0 || mean(true) > mean(false), "planted {} others {}", mean(true), mean(false));
    // Each side names its source row; the copy is in the second list.
    let pair = report.pairs.iter().find(|p| truth.contains(&(p.a.id.clone(), p.b.id.clone()))).unwrap();
    assert!(pair.a.row.starts_with("data/records/KZ-") && pair.a.row.contains(".csv:"), "{}", pair.a.row);
    assert!(pair.b.row.starts_with("data/records/second-list.csv:"), "{}", pair.b.row);
}

/// The fixture without `--duplicates` has no second list and no list of pairs.
#[test]
fn without_planting_nothing_is_added() {
    let (_dir, root) = fixture(50, 0);
    assert!(!root.join("data/records/second-list.csv").exists());
    assert!(!root.join(esim::fixture::duplicates::TRUTH).exists());
}

fn site() -> Fixture {
    let person = |id: &str, surname: &str, given: &str, patronymic: &str, born: &str| {
        row(&[
            ("id", id),
            ("surname", surname),
            ("given_name", given),
            ("patronymic", patronymic),
            ("birth_date", born),
            ("region", "KZ-75"),
            ("status", "verified"),
        ])
    };
    let f = Fixture::new(&[
        person("a1", "Байтурсынов", "Ахмет", "Шайхиевич", "1872"),
        person("a2", "Исаев", "Муса", "", "1900"),
        person("a3", "Тлеубаев", "Сакен", "", "1905"),
    ]);
    f.records(
        "second.csv",
        &[
            person("b1", "Байтұрсынұлы", "Ахмет", "", "1873"),
            person("b2", "Isaev", "Musa", "Akhmetovich", ""),
            person("b3", "Тлеубаев", "Сакен", "", "1907"),
        ],
    );
    f
}

fn ids(f: &Fixture) -> Vec<(String, String)> {
    find(&options(f.root())).unwrap().pairs.into_iter().map(|p| (p.a.id, p.b.id)).collect()
}

#[test]
fn scripts_meet_years_part_and_reviewed_pairs_are_left_out() {
    let f = site();
    let pairs = ids(&f);
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert!(pairs.contains(&("a1".into(), "b1".into())) && pairs.contains(&("a2".into(), "b2".into())));
    f.write("data/not-duplicates.csv", "id_a,id_b,note\nb2,a2,two men of the same name (checked 2026)\n");
    let report = find(&options(f.root())).unwrap();
    assert_eq!(report.pairs.len(), 1);
    assert_eq!(report.reviewed, 1);
    assert!(report.summary().contains("1 reviewed as two people"), "{}", report.summary());
    // A withdrawn record is compared with no one.
    f.write("data/withdrawn.csv", "id,date,reason\nb1,2026-01-05,erroneous\n");
    assert!(ids(&f).is_empty());
}

#[test]
fn a_malformed_review_line_is_named_and_an_unknown_id_warned() {
    let f = site();
    f.write("data/not-duplicates.csv", "id_a,id_b\na1,b 1\n");
    let errors = find(&options(f.root())).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert!(shown.iter().any(|e| e.ends_with("not-duplicates.csv:2:4: \"b 1\" is not a valid person id")), "{shown:?}");
    f.write("data/not-duplicates.csv", "id_a,id_b\na1,zz\n");
    let report = find(&options(f.root())).unwrap();
    assert_eq!(report.pairs.len(), 2);
    assert!(report.warnings[0].to_string().ends_with(
        "not-duplicates.csv:2:4: warning: zz has no record (merged, withdrawn or mistyped?); the line is ignored"
    ));
}

#[test]
fn the_command_prints_a_table_and_writes_csv() {
    let f = site();
    let csv_path = f.root().join("pairs.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_esim"))
        .args(["duplicates", "--root", f.root().to_str().unwrap(), "--csv", csv_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("data/records/people.csv:2") && table.contains("data/records/second.csv:2"), "{table}");
    assert!(table.contains("Байтұрсынұлы Ахмет") && table.contains("surname suffix form"), "{table}");
    assert!(table.contains("esim: 2 probable duplicate pairs among 6 people"), "{table}");
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let a1 = rows.iter().find(|r| &r[1] == "a1").unwrap();
    assert_eq!((&a1[2], &a1[11], &a1[12]), ("b1", "data/records/people.csv:2", "data/records/second.csv:2"));
    assert!(a1[0].parse::<u8>().unwrap() >= 50);
    // A bad review line fails the command with its place; nothing is printed as found.
    f.write("data/not-duplicates.csv", "id_a;id_b\n");
    let out = Command::new(env!("CARGO_BIN_EXE_esim"))
        .args(["duplicates", "--root", f.root().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-duplicates.csv:1:1: the header must be id_a,id_b,note"));
}
