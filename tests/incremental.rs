//! Incremental builds: after each of a series of edits, the site an incremental
//! build leaves is byte for byte the one a full build writes; only what changed
//! is rendered; a failed build changes nothing.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{person, row, snapshot, Fixture};
use esim::BuildKind;

fn build(f: &Fixture) -> esim::Summary {
    f.build().unwrap_or_else(|e| panic!("{e}"))
}

/// A full build of the same inputs into another directory (the ledger left as
/// it is), compared file by file with the incremental one.
fn assert_same_as_full(f: &Fixture, step: &str) {
    let full = f.root().join("full");
    let mut options = esim::Options::new(f.root());
    options.output = Some(full.clone());
    options.incremental = false;
    options.update_ledger = false;
    let s = esim::build(&options).unwrap_or_else(|e| panic!("{step}: full build: {e}"));
    assert_eq!(s.kind, BuildKind::Full);
    let (incremental, full) = (snapshot(&f.public()), snapshot(&full));
    let names = |s: &[(PathBuf, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<BTreeSet<_>>();
    let (a, b) = (names(&incremental), names(&full));
    assert!(a == b, "{step}: only in the incremental build: {:?}; only in the full one: {:?}", &a - &b, &b - &a);
    for ((path, a), (_, b)) in incremental.iter().zip(&full) {
        assert!(a == b, "{step}: {} differs from a full build", path.display());
    }
}

/// Every input file dated an hour ago, so that their time stamps are trusted
/// (a file modified within the last seconds is always read again).
fn age_inputs(root: &Path) {
    let past = SystemTime::now() - Duration::from_secs(3600);
    for dir in ["data", "content", "themes", "config.toml"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if entry.file_type().is_file() {
                fs::File::options().write(true).open(entry.path()).unwrap().set_modified(past).unwrap();
            }
        }
    }
}

fn records(f: &Fixture, rows: &[String]) {
    f.records("people.csv", rows);
}

fn site() -> (Fixture, Vec<String>) {
    let rows = vec![
        person("p00001", "Әлиев", "Ахмет"),
        person("p00002", "Байтұрсынов", "Ахмет"),
        person("p00003", "Дулатов", "Міржақып"),
        row(&[
            ("id", "p00004"),
            ("surname", "Жұмабаев"),
            ("given_name", "Мағжан"),
            ("region", "KZ-11"),
            ("status", "verified"),
        ]),
        person("p00005", "Ким", "Герберт"),
    ];
    let f = Fixture::new(&rows);
    // Two people a page: a new name shifts the pages after it.
    f.config("[build]\npeople_per_page = 2\n");
    f.write(
        "content/essays/law-1993.kk.md",
        "+++\ntitle = \"1993 жылғы заң\"\ndate = 2025-09-30\n+++\n\nЗаң 1993 жылы 14 сәуірде қабылданды.\n",
    );
    (f, rows)
}

/// How the series is built: one build per command, or one long-running
/// builder (as `esim serve` does) that keeps the site in memory.
fn builder(f: &Fixture, warm: bool) -> Box<dyn FnMut() -> esim::Summary + '_> {
    if warm {
        let mut b = esim::build::warm::Builder::new(esim::Options::new(f.root()));
        Box::new(move || b.build().unwrap_or_else(|e| panic!("{e}")))
    } else {
        Box::new(move || build(f))
    }
}

/// Edits that a warm builder applies to the site in memory, without loading
/// it again: biographies, and records that keep the site's shape.
const FROM_MEMORY: [&str; 7] = [
    "biography added",
    "biography edited",
    "biography removed",
    "record edited",
    "surname edited beside a withdrawn record",
    "surname and patronymic edited",
    "a merged record's target edited",
];

/// Record edits that change the site's shape: a warm builder loads it again.
const LOADED_AGAIN: [&str; 2] = ["record added", "record moved to another region"];

fn edit_series(warm: bool) {
    let (f, rows) = site();
    let rows = std::cell::RefCell::new(rows);
    let mut build = builder(&f, warm);
    let first = build();
    assert_eq!(first.kind, BuildKind::Full);
    let all = first.pages;
    assert_same_as_full(&f, "first build");

    let mut step = |name: &str, edit: &dyn Fn(&mut Vec<String>), expected: BuildKind| {
        edit(&mut rows.borrow_mut());
        let s = build();
        assert_eq!(s.kind, expected, "{name}: {s}");
        if expected == BuildKind::Incremental {
            assert!(s.rendered < all / 2, "{name}: only what changed is rendered: {s}");
        }
        if warm && FROM_MEMORY.contains(&name) {
            assert_eq!(s.timings.load, Duration::ZERO, "{name}: from the site in memory: {s}");
        }
        if warm && LOADED_AGAIN.contains(&name) {
            assert!(s.timings.load > Duration::ZERO, "{name}: the site loaded again: {s}");
        }
        // A new process starts from the state the last build saved when
        // only records and biographies changed and the site keeps its shape.
        if !warm && FROM_MEMORY.contains(&name) {
            assert!(s.timings.state > Duration::ZERO, "{name}: from the saved state: {s}");
        }
        if !warm && LOADED_AGAIN.contains(&name) {
            assert_eq!(s.timings.state, Duration::ZERO, "{name}: the site loaded again: {s}");
        }
        assert_same_as_full(&f, name);
        s
    };

    step(
        "record added",
        &|rows| {
            rows.push(person("p00006", "Аймауытов", "Жүсіпбек"));
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
    let s = step(
        "record edited",
        &|rows| {
            rows[2] = row(&[
                ("id", "p00003"),
                ("surname", "Дулатов"),
                ("given_name", "Міржақып"),
                ("birth_date", "1885-11-25"),
                ("region", "KZ-75"),
                ("status", "verified"),
            ]);
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
    assert!(s.written >= 3, "the person's pages in three languages: {s}");
    let s = step(
        "record removed, with a redirect",
        &|rows| {
            rows.remove(0);
            records(&f, rows);
            f.write("data/redirects.csv", "from,to\np00001,p00002\n");
        },
        BuildKind::Incremental,
    );
    assert!(s.removed >= 4, "the person's pages and data removed: {s}");
    assert!(f.read("ru/people/p00001/index.html").contains("p00002"), "the old page forwards");
    step(
        "biography added",
        &|_| {
            f.write(
                "content/people/p00003.ru.md",
                "+++\nauthors = [\"Редакция\"]\n+++\n\nБиография для проверки инкрементальной сборки.\n",
            )
        },
        BuildKind::Incremental,
    );
    assert!(f.read("ru/people/p00003/index.html").contains("Биография для проверки"));
    step(
        "biography edited",
        &|_| {
            f.write("content/people/p00003.ru.md", "+++\n+++\n\nДругой текст, с [сноской](https://example.org).\n");
            f.write("content/people/p00002.en.md", "+++\n+++\n\nA second biography.\n");
        },
        BuildKind::Incremental,
    );
    assert!(f.read("ru/people/p00003/index.html").contains("Другой текст"));
    step(
        "biography removed",
        &|_| fs::remove_file(f.root().join("content/people/p00002.en.md")).unwrap(),
        BuildKind::Incremental,
    );
    assert!(!f.read("en/people/p00002/index.html").contains("A second biography"));
    step(
        "essay translated",
        &|_| {
            f.write(
                "content/essays/law-1993.ru.md",
                "+++\ntitle = \"Закон 1993 года\"\ndate = 2025-09-30\n+++\n\nЗакон принят 14 апреля 1993 года.\n",
            )
        },
        BuildKind::Incremental,
    );
    assert!(f.read("ru/essays/law-1993/index.html").contains("Закон принят"));
    step(
        "template changed",
        &|_| {
            let path = f.root().join("themes/default/templates/person.html");
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replacen("{% block", "{# incremental test #}{% block", 1)).unwrap();
        },
        BuildKind::Rebuild,
    );
    step(
        "UI string changed",
        &|_| {
            let path = f.root().join("themes/default/i18n/en.toml");
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replace("nav_home = \"Home\"", "nav_home = \"Start\"")).unwrap();
        },
        BuildKind::Rebuild,
    );
    assert!(f.read("en/index.html").contains("Start"));
    step(
        "record edited after the full rebuilds",
        &|rows| {
            rows.push(person("p00007", "Тынышбаев", "Мұхаметжан"));
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
    step(
        "biography edited after a record",
        &|_| f.write("content/people/p00007.kk.md", "+++\n+++\n\nӨмірбаян.\n"),
        BuildKind::Incremental,
    );
    step(
        "record withdrawn",
        &|_| f.write("data/withdrawn.csv", "id,date,reason\np00007,2026-03-05,family-request\n"),
        BuildKind::Incremental,
    );
    assert!(!f.read("kk/people/p00007/index.html").contains("Өмірбаян."), "the withdrawal page");
    // Ким moves from the last place of the index to the first: every page
    // of the region's index changes, the search index too.
    let s = step(
        "surname edited beside a withdrawn record",
        &|rows| {
            let at = rows.iter().position(|r| r.starts_with("p00005,")).unwrap();
            rows[at] = person("p00005", "Абаев", "Герберт");
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
    assert!(s.written >= 3, "the person's pages and the region's index: {s}");
    assert!(f.read("en/people/p00005/index.html").contains("Abaev"));
    step(
        "biography of a withdrawn person edited",
        &|_| f.write("content/people/p00007.kk.md", "+++\n+++\n\nӨмірбаян, түзетілген.\n"),
        BuildKind::Incremental,
    );
    step("withdrawal lifted", &|_| f.write("data/withdrawn.csv", "id,date,reason\n"), BuildKind::Incremental);
    assert!(f.read("kk/people/p00007/index.html").contains("Өмірбаян, түзетілген."));
    step(
        "surname and patronymic edited",
        &|rows| {
            let at = rows.iter().position(|r| r.starts_with("p00003,")).unwrap();
            rows[at] = row(&[
                ("id", "p00003"),
                ("surname", "Дулатұлы"),
                ("given_name", "Міржақып"),
                ("patronymic", "Дулатұлы"),
                ("birth_date", "1885-11-25"),
                ("region", "KZ-75"),
                ("status", "verified"),
            ]);
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
    // The page of the merged record p00001 names its target.
    step(
        "a merged record's target edited",
        &|rows| {
            let at = rows.iter().position(|r| r.starts_with("p00002,")).unwrap();
            rows[at] = person("p00002", "Байтұрсынов", "Ахметжан");
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
    assert!(f.read("ru/people/p00001/index.html").contains("Ахметжан"), "the forwarding page follows its target");
    step(
        "record moved to another region",
        &|rows| {
            let at = rows.iter().position(|r| r.starts_with("p00002,")).unwrap();
            rows[at] = row(&[
                ("id", "p00002"),
                ("surname", "Байтұрсынов"),
                ("given_name", "Ахмет"),
                ("region", "KZ-11"),
                ("status", "verified"),
            ]);
            records(&f, rows);
        },
        BuildKind::Incremental,
    );
}

#[test]
fn an_incremental_build_equals_a_full_one_after_each_edit() {
    edit_series(false);
}

#[test]
fn a_warm_builder_equals_a_full_build_after_each_edit() {
    edit_series(true);
}

/// The state the builds of the fixture's site into `public/` save beside
/// its build cache (the cache file names its output).
fn saved_state(f: &Fixture) -> PathBuf {
    let output = format!("output\t{}\n", f.public().display());
    let caches: Vec<PathBuf> = fs::read_dir(f.root().join(".esim/cache"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| fs::read_to_string(p).unwrap().contains(&output))
        .collect();
    assert_eq!(caches.len(), 1, "one cache of public/: {caches:?}");
    caches[0].with_extension("state")
}

#[test]
fn a_one_shot_build_resumes_only_from_a_whole_and_current_state() {
    let (f, mut rows) = site();
    build(&f);
    let mut edit = |birth: &str| {
        rows[2] = row(&[
            ("id", "p00003"),
            ("surname", "Дулатов"),
            ("given_name", "Міржақып"),
            ("birth_date", birth),
            ("region", "KZ-75"),
            ("status", "verified"),
        ]);
        records(&f, &rows);
    };
    let resumed = |s: &esim::Summary| s.timings.state > Duration::ZERO;

    // A bad record: its line and column, the site and the state kept.
    let before = snapshot(&f.public());
    edit("1885-13-25");
    let err = f.build().expect_err("month 13 is an error").to_string();
    assert!(err.contains("data/records/people.csv:4:"), "the file, line and column: {err}");
    assert!(snapshot(&f.public()) == before, "the site is untouched");
    edit("1885-11-25");
    let s = build(&f);
    assert!(resumed(&s), "the fix is applied to the saved state: {s}");
    assert!(f.read("ru/people/p00003/index.html").contains("1885"));
    assert_same_as_full(&f, "after the fix");

    // A state cut short (a crash while it was written) is not read.
    let state = saved_state(&f);
    let bytes = fs::read(&state).unwrap();
    fs::write(&state, &bytes[..bytes.len() - 9]).unwrap();
    edit("1885-11-26");
    let s = build(&f);
    assert!(!resumed(&s), "a state cut short: the site loaded again: {s}");
    assert_same_as_full(&f, "after a state cut short");
    edit("1885-11-27");
    assert!(resumed(&build(&f)), "the build that loaded the site saved a whole state");
    assert_same_as_full(&f, "resumed again");

    // A build of the output with other options (another base URL) makes the
    // state describe another site: the next build with the site's own
    // options loads it again.
    let mut mirror = esim::Options::new(f.root());
    mirror.base_url = Some("https://mirror.example.org/".into());
    assert_eq!(esim::build(&mirror).unwrap().kind, BuildKind::Rebuild);
    edit("1885-11-28");
    let s = build(&f);
    assert!(!resumed(&s) && s.kind == BuildKind::Rebuild, "the other base URL's state is not used: {s}");
    assert_same_as_full(&f, "after a build with other options");

    // A record and a biography edited together: both applied to the state.
    edit("1885-11-29");
    f.write("content/people/p00003.kk.md", "+++\n+++\n\nӨмірбаян.\n");
    let s = build(&f);
    assert!(resumed(&s), "records and biographies: {s}");
    assert!(f.read("kk/people/p00003/index.html").contains("Өмірбаян."));
    assert_same_as_full(&f, "record and biography");

    // Any other input changed too (an essay): the site is loaded again.
    edit("1885-11-30");
    f.write("content/essays/law-1993.kk.md", "+++\ntitle = \"1993 жылғы заң\"\ndate = 2025-09-30\n+++\n\nЗаң.\n");
    let s = build(&f);
    assert!(!resumed(&s), "an essay changed too: {s}");
    assert_same_as_full(&f, "record and essay");
}

#[test]
fn a_warm_builder_refuses_a_bad_biography_and_keeps_the_site() {
    let (f, _) = site();
    let mut b = esim::build::warm::Builder::new(esim::Options::new(f.root()));
    b.build().unwrap();
    f.write("content/people/p00002.kk.md", "+++\n+++\n\nБірінші нұсқа.\n");
    // An editor's swap file beside it is no reason to load the site again.
    f.write("content/people/.p00002.kk.md.swp", "binary junk");
    assert_eq!(b.build().unwrap().timings.load, Duration::ZERO);
    let before = snapshot(&f.public());
    f.write("content/people/p00002.kk.md", "+++\ntitle = 1\n+++\n\nЕкінші <b>нұсқа</b>.\n");
    let err = b.build().expect_err("raw HTML and a bad title are errors").to_string();
    assert!(err.contains("content/people/p00002.kk.md:2:"), "{err}");
    assert!(snapshot(&f.public()) == before, "the site is untouched");
    f.write("content/people/p00002.kk.md", "+++\n+++\n\nҮшінші нұсқа.\n");
    let s = b.build().unwrap();
    assert_eq!(s.timings.load, Duration::ZERO, "still from memory: {s}");
    assert!(f.read("kk/people/p00002/index.html").contains("Үшінші нұсқа."));
    assert_same_as_full(&f, "after the fix");
}

#[test]
fn a_warm_builder_refuses_a_bad_record_and_keeps_the_site() {
    let (f, mut rows) = site();
    let mut b = esim::build::warm::Builder::new(esim::Options::new(f.root()));
    b.build().unwrap();
    let before = snapshot(&f.public());
    rows[4] = row(&[
        ("id", "p00005"),
        ("surname", "Ким"),
        ("given_name", "Герберт"),
        ("birth_date", "1901-13-05"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ]);
    records(&f, &rows);
    let err = b.build().expect_err("month 13 is an error").to_string();
    assert!(err.contains("data/records/people.csv:6:"), "the file, line and column: {err}");
    assert!(snapshot(&f.public()) == before, "the site is untouched");
    rows[4] = row(&[
        ("id", "p00005"),
        ("surname", "Ким"),
        ("given_name", "Герберт"),
        ("birth_date", "1901-01-28"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ]);
    records(&f, &rows);
    let s = b.build().unwrap();
    assert_eq!(s.timings.load, Duration::ZERO, "still from memory: {s}");
    assert!(f.read("ru/people/p00005/index.html").contains("1901"));
    assert_same_as_full(&f, "after the fix");
}

#[test]
fn a_warm_builder_edits_in_memory_beside_a_person_of_two_files() {
    let (f, mut rows) = site();
    // Ким's second case is in another file.
    let second_case = |arrest: &str| {
        row(&[
            ("id", "p00005"),
            ("region", "KZ-11"),
            ("arrest_date", arrest),
            ("status", "verified"),
            ("sentence", "exile"),
        ])
    };
    f.records("exile.csv", &[second_case("1949")]);
    let mut b = esim::build::warm::Builder::new(esim::Options::new(f.root()));
    b.build().unwrap();
    let mut step = |name: &str, from_memory: bool| {
        let s = b.build().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.timings.load == Duration::ZERO, from_memory, "{name}: {s}");
        assert_same_as_full(&f, name);
    };
    rows[0] = person("p00001", "Әлиев", "Ахметжан");
    records(&f, &rows);
    step("another person of the file edited", true);
    rows[4] = row(&[
        ("id", "p00005"),
        ("surname", "Ким"),
        ("given_name", "Герман"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ]);
    records(&f, &rows);
    step("the person of two files edited", false);
    f.records("exile.csv", &[second_case("1950")]);
    step("their other file edited", false);
    rows[2] = person("p00003", "Дулатов", "Мір");
    records(&f, &rows);
    step("another person edited again", true);
}

#[test]
fn a_build_with_nothing_changed_stops_at_once() {
    let (f, _) = site();
    build(&f);
    age_inputs(f.root());
    // The first build after aging reads everything (the stamps changed) …
    build(&f);
    // … the next one sees that nothing did.
    let s = build(&f);
    assert_eq!(s.kind, BuildKind::Unchanged, "{s}");

    f.write("content/people/p00002.kk.md", "+++\n+++\n\nӨмірбаян.\n");
    let s = build(&f);
    assert_eq!(s.kind, BuildKind::Incremental, "an edit is seen: {s}");
    assert!(f.read("kk/people/p00002/index.html").contains("Өмірбаян."));

    // Another binary may render otherwise: the command line's first build
    // renders every page again (over the site: a rebuild), its second has
    // nothing to do.
    age_inputs(f.root());
    let out = f.esim(&["build"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("esim: rebuilt") && said.contains("pages rendered again"), "{out:?}");
    let out = f.esim(&["build"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing changed"), "{out:?}");
}

#[test]
fn a_failed_build_changes_neither_the_site_nor_the_cache() {
    let (f, rows) = site();
    build(&f);
    let before = snapshot(&f.public());
    let mut broken = rows.clone();
    broken[1] = row(&[
        ("id", "p00002"),
        ("surname", "Байтұрсынов"),
        ("birth_date", "1872-13-45"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ]);
    records(&f, &broken);
    let err = f.build().expect_err("a bad date is an error").to_string();
    assert!(err.contains("people.csv:3:"), "{err}");
    assert!(snapshot(&f.public()) == before, "the site is untouched");
    records(&f, &rows);
    let s = build(&f);
    assert_eq!(s.kind, BuildKind::Incremental, "the cache still describes the site: {s}");
    assert_eq!(s.written, 0, "{s}");
    assert_same_as_full(&f, "after the failure");
}

#[test]
fn without_the_cache_or_the_site_the_build_is_full() {
    let (f, _) = site();
    build(&f);
    fs::remove_dir_all(f.root().join(".esim/cache")).unwrap();
    assert_eq!(build(&f).kind, BuildKind::Full, "cache deleted");
    fs::remove_dir_all(f.public()).unwrap();
    assert_eq!(build(&f).kind, BuildKind::Full, "site deleted");
    let out = f.esim(&["build", "--full"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("esim: built"), "{out:?}");
    f.write("content/people/p00002.en.md", "+++\n+++\n\nA biography.\n");
    let out = f.esim(&["build"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("esim: rebuilt"), "{out:?}");
}

#[test]
fn a_deploy_target_added_to_the_config_renders_no_person_again() {
    let f = Fixture::new(&[person("a1", "Ким", "Герберт"), person("a2", "Ли", "Ен")]);
    f.build().unwrap();
    let before = snapshot(&f.public());
    f.config("[deploy.production]\nurl = \"s3://memorial/site\"\n");
    let summary = f.build().unwrap();
    assert_eq!(summary.kind, BuildKind::Incremental, "not a full build");
    assert_eq!(summary.written, 0, "the site is the same");
    assert!(snapshot(&f.public()) == before);
}
