//! Withdrawn records (`data/withdrawn.csv`): the person's three URLs answer a
//! withdrawal page, every index, search shard, open-data file, sitemap and
//! count leaves them out, the ledger keeps the id for them alone, and lifting
//! the withdrawal gives back the site byte for byte.

mod common;

use std::path::PathBuf;

use common::*;

const BIOGRAPHY: &str = "Өмірбаянның ерекше сөзі Қарағанды-тексеру.";

fn rows() -> Vec<String> {
    vec![
        person("p00001", "Әлиев", "Ахмет"),
        row(&[
            ("id", "p00002"),
            ("surname", "Жантөреев"),
            ("given_name", "Сейітқали"),
            ("surname_en", "Zhantoreev"),
            ("birth_date", "1899"),
            ("source", "Книга памяти"),
            ("region", "KZ-75"),
            ("status", "verified"),
        ]),
        person("p00003", "Петров", "Иван"),
    ]
}

fn site() -> Fixture {
    let f = Fixture::new(&rows());
    f.write("content/people/p00002.kk.md", &format!("+++\n+++\n\n{BIOGRAPHY}\n"));
    f
}

fn build(f: &Fixture) {
    f.build().unwrap_or_else(|e| panic!("{e}"));
}

fn withdraw(f: &Fixture, lines: &str) {
    f.write("data/withdrawn.csv", &format!("id,date,reason\n{lines}"));
}

fn ledger(f: &Fixture) -> String {
    std::fs::read_to_string(f.root().join("data/published.txt")).unwrap()
}

/// The files of the built site that mention `needle`.
fn files_mentioning(f: &Fixture, needle: &str) -> Vec<PathBuf> {
    snapshot(&f.public())
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn a_withdrawn_person_leaves_everything_but_their_urls_and_lifting_restores_the_site() {
    let f = site();
    build(&f);
    let first = snapshot(&f.public());
    assert!(files_mentioning(&f, "p00002").len() > 6, "published: pages, data, search, sitemap");
    assert!(f.read("en/index.html").contains("3 people"), "{}", f.read("en/index.html"));

    withdraw(&f, "p00002,2026-03-05,family-request\n");
    build(&f);

    let pages: Vec<PathBuf> =
        ["kk", "ru", "en"].iter().map(|l| PathBuf::from(format!("{l}/people/p00002/index.html"))).collect();
    assert_eq!(files_mentioning(&f, "p00002"), {
        let mut p = pages.clone();
        p.sort();
        p
    });
    for needle in ["Жантөреев", "Zhantoreev", "Zhantoree", "Сейітқали", "Қарағанды-тексеру"]
    {
        assert_eq!(files_mentioning(&f, needle), Vec::<PathBuf>::new(), "{needle} is nowhere");
    }
    let en = f.read("en/people/p00002/index.html");
    assert!(en.contains("Record withdrawn"), "{en}");
    assert!(en.contains("Record p00002 was withdrawn from the memorial on 5 March 2026."), "{en}");
    assert!(en.contains("At the family's request"), "{en}");
    assert!(en.contains("content=noindex"), "{en}");
    assert!(!en.contains("hreflang=x-default"), "no alternates for search engines: {en}");
    assert!(hrefs(&en).contains(&"/kz/ru/people/p00002/".to_string()), "the language switcher: {en}");
    let ru = f.read("ru/people/p00002/index.html");
    assert!(ru.contains("Запись p00002 снята с публикации в мемориале 5 марта 2026 г."), "{ru}");
    assert!(ru.contains("По просьбе семьи"), "{ru}");
    assert!(f.read("kk/people/p00002/index.html").contains("Отбасының өтініші бойынша"));
    assert!(f.read("en/index.html").contains("2 people"), "counts: {}", f.read("en/index.html"));
    assert!(ledger(&f).contains("p00002 withdrawn "), "the ledger marks the id: {}", ledger(&f));

    // Lifted: the line is removed; the site is the first one, byte for byte.
    withdraw(&f, "");
    build(&f);
    let lifted = snapshot(&f.public());
    let names = |s: &[(PathBuf, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&lifted), names(&first));
    for ((path, a), (_, b)) in lifted.iter().zip(&first) {
        assert!(a == b, "{} differs after the withdrawal was lifted", path.display());
    }
    assert!(ledger(&f).contains("p00002 withdrawn "), "the mark stays after lifting: {}", ledger(&f));
}

#[test]
fn a_withdrawn_id_is_never_given_to_someone_else() {
    let f = site();
    build(&f);
    withdraw(&f, "p00002,2026-03-05,erroneous\n");
    build(&f);
    // Later the id is given to another person, and the withdrawal lifted.
    let mut rows = rows();
    rows[1] = person("p00002", "Сейфуллин", "Сәкен");
    f.records("people.csv", &rows);
    withdraw(&f, "");
    let before = snapshot(&f.public());
    let out = f.esim(&["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = ledger(&f).lines().position(|l| l.starts_with("p00002 ")).unwrap() + 1;
    assert!(
        stderr.contains(&format!("data/published.txt:{line}:1: person p00002 was withdrawn under another name")),
        "{stderr}"
    );
    assert!(stderr.contains("give this record a new id"), "{stderr}");
    assert!(before == snapshot(&f.public()), "the old site is untouched");

    // A spelling corrected in the withdrawn person's own record is the same
    // person: the editor confirms it by updating the mark, as the error says.
    let hint = stderr.split("replace line").nth(1).unwrap();
    let mark = hint.split('`').nth(1).unwrap().to_string();
    let text = ledger(&f)
        .lines()
        .map(|l| if l.starts_with("p00002 ") { mark.clone() } else { l.to_string() })
        .collect::<Vec<_>>();
    std::fs::write(f.root().join("data/published.txt"), text.join("\n") + "\n").unwrap();
    build(&f);
    assert!(f.read("kk/people/p00002/index.html").contains("Сейфуллин"));
}

#[test]
fn a_withdrawn_record_may_be_removed_and_then_only_a_confirmed_one_returns() {
    let f = site();
    build(&f);
    // Withdrawn for a legal requirement, the record is also removed from the data.
    withdraw(&f, "p00002,2026-03-05,legal\n");
    let mut rows = rows();
    let removed = rows.remove(1);
    f.records("people.csv", &rows);
    build(&f);
    assert!(f.read("en/people/p00002/index.html").contains("Legal requirement"));
    assert!(ledger(&f).lines().any(|l| l == "p00002 withdrawn"), "no identity to keep: {}", ledger(&f));

    // The withdrawal cannot be lifted without a record …
    withdraw(&f, "");
    let err = f.build().expect_err("a published id without a page").to_string();
    assert!(err.contains("person p00002 was published but has no record"), "{err}");
    // … and a record coming back under the id must be confirmed in the ledger.
    rows.insert(1, removed);
    f.records("people.csv", &rows);
    let err = f.build().expect_err("an unconfirmed identity").to_string();
    assert!(err.contains("was withdrawn after its record was removed"), "{err}");
}

#[test]
fn bad_withdrawals_are_reported_with_their_place() {
    let f = site();
    build(&f);
    f.write("data/redirects.csv", "from,to\np00009,p00003\n");
    withdraw(&f, "p00001,2026-03-05,unwanted\np00404,2026-03-05,erroneous\np00003,2026-03,duplicate\n");
    let before = snapshot(&f.public());
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "data/withdrawn.csv:2:19: \"unwanted\" is not a reason of withdrawal: expected one of duplicate, erroneous, family-request, legal",
        "data/withdrawn.csv:3:1: p00404 has no record and was never published",
        "data/withdrawn.csv:4:8: \"2026-03\": the date of a withdrawal is a whole date",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    withdraw(&f, "p00003,2026-03-05,duplicate\n");
    let err = f.build().expect_err("a withdrawn redirect target").to_string();
    assert!(err.contains("data/withdrawn.csv:2:1: p00003 is the surviving record of p00009"), "{err}");
    assert!(before == snapshot(&f.public()), "the old site is untouched");
}
