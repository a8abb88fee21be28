//! Permanent pages and safe publishing: the ledger of published ids, redirects
//! of merged records, and builds that fail or are killed leaving the old site.

mod common;

use std::time::{Duration, Instant};

use common::*;

fn people(n: usize) -> Vec<String> {
    (0..n).map(|i| person(&format!("p{i:05}"), if i % 3 == 0 { "Әлиев" } else { "Петров" }, "Ахмет")).collect()
}

#[test]
fn the_ledger_records_published_ids_and_a_vanished_id_fails_the_build() {
    let f = Fixture::new(&people(3));
    f.build().unwrap();
    let ledger = std::fs::read_to_string(f.root().join("data/published.txt")).unwrap();
    assert_eq!(ledger, "p00000\np00001\np00002\n", "sorted, one id per line");

    // The record of p00001 disappears without a redirect.
    f.records("people.csv", &[person("p00000", "Әлиев", "Ахмет"), person("p00002", "Петров", "Ахмет")]);
    let before = snapshot(&f.public());
    let out = f.esim(&["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("data/published.txt:2:1: person p00001 was published but has no record and no redirect"),
        "{stderr}"
    );
    assert!(before == snapshot(&f.public()), "the old site is untouched");
}

#[test]
fn a_merged_record_redirects_in_every_language() {
    let f = Fixture::new(&people(3));
    f.build().unwrap();
    // p00001 turns out to be the same person as p00002: its record is removed
    // and its URL forwards.
    f.records("people.csv", &[person("p00000", "Әлиев", "Ахмет"), person("p00002", "Петров", "Ахмет")]);
    f.write("data/redirects.csv", "from,to\np00001,p00002\n");
    f.build().unwrap_or_else(|e| panic!("{e}"));
    for lang in ["kk", "ru", "en"] {
        let html = f.read(&format!("{lang}/people/p00001/index.html"));
        let target = format!("/kz/{lang}/people/p00002/");
        assert!(html.contains(&format!("content=\"0; url={target}\"")), "{lang}: meta refresh: {html}");
        assert!(
            html.contains(&format!("href=https://memorial.example.org{target} rel=canonical")),
            "{lang}: canonical"
        );
        assert!(hrefs(&html).contains(&target), "{lang}: a visible link");
        assert!(html.contains("content=noindex"));
    }
    let rules = f.read("_redirects");
    assert!(rules.contains("/kz/en/people/p00001/ /kz/en/people/p00002/ 301"));
    let nginx = f.read("nginx-redirects.map");
    assert!(nginx.contains("/kz/ru/people/p00001/ /kz/ru/people/p00002/;"));
    assert!(!f.read("sitemap.xml").contains("p00001"), "redirects are not in the sitemap");
    let ledger = std::fs::read_to_string(f.root().join("data/published.txt")).unwrap();
    assert!(ledger.contains("p00001"), "a redirected id stays in the ledger");
}

#[test]
fn redirect_chains_cycles_and_bad_targets_are_errors() {
    let f = Fixture::new(&people(2));
    f.write("data/redirects.csv", "from,to\na,b\nb,p00000\nc,d\nd,c\ne,nobody\np00001,p00000\n");
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    for expected in [
        "data/redirects.csv:2:1: redirect chain a → b → p00000",
        "data/redirects.csv:4:1: redirect cycle c → d → c",
        "data/redirects.csv:6:3: nobody has no record",
        "data/redirects.csv:7:1: p00001 still has a record",
    ] {
        assert!(stderr.contains(expected), "{expected} in:\n{stderr}");
    }
}

#[test]
fn a_build_killed_mid_way_leaves_the_old_site_byte_identical() {
    let f = Fixture::new(&people(3000));
    f.config("[build]\nminify = true\n");
    let first = f.esim(&["build", "--quiet"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let before = snapshot(&f.public());

    // Change every page, start a full build (a new tree in staging; a rebuild
    // in place is killed in tests/publishing.rs), and kill it while it writes.
    f.config("[build]\nminify = false\n");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_esim"))
        .args(["build", "--quiet", "--full", "--root", f.root().to_str().unwrap()])
        .spawn()
        .unwrap();
    let staging_started = Instant::now();
    let staging = loop {
        let found = std::fs::read_dir(f.root())
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(".esim-staging-") && e.path().join("kk").exists());
        if let Some(e) = found {
            break e.path();
        }
        assert!(staging_started.elapsed() < Duration::from_secs(60), "the build never started writing");
        assert!(child.try_wait().unwrap().is_none(), "the build finished before it could be killed");
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    assert!(before == snapshot(&f.public()), "the old site is byte-identical after the kill");

    // The next build removes what the killed one left and publishes.
    let again = f.esim(&["build", "--quiet"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(!staging.exists(), "leftover staging directory removed");
    assert!(before != snapshot(&f.public()), "the new site is published");
}

#[test]
fn check_reports_each_broken_link_with_its_page() {
    let f = Fixture::new(&people(3));
    f.build().unwrap();
    let ok = f.esim(&["check"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("links of"), "the built site's links were checked");
    // Damage the built site: a page disappears and a fragment target is lost.
    std::fs::remove_dir_all(f.public().join("ru/people/p00001")).unwrap();
    let region = f.public().join("en/regions/almaty/index.html");
    let html = std::fs::read_to_string(&region).unwrap();
    std::fs::write(&region, html.replace("id=\"letter-1\"", "id=\"letter-x\"")).unwrap();
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("ru/regions/almaty/index.html: broken link /kz/ru/people/p00001/: no such file"),
        "{stderr}"
    );
    assert!(stderr.contains("has no element with id \"letter-1\""), "{stderr}");
}

#[test]
fn check_judges_a_site_by_the_base_url_it_was_built_with() {
    let f = Fixture::new(&people(3));
    let built = f.esim(&["build", "--quiet", "--base-url", "https://preview.example.net/staging/kz"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let ok = f.esim(&["check"]);
    assert!(ok.status.success(), "check reads the built site's base URL: {}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("links of"), "the built site's links were checked");
    // An explicit --base-url still wins: judged by config.toml's URL, every
    // internal link of the preview leaves the site's base path.
    let explicit = f.esim(&["check", "--base-url", "https://memorial.example.org/kz"]);
    let stderr = String::from_utf8_lossy(&explicit.stderr);
    assert_eq!(explicit.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("outside the site's base path /kz/"), "{stderr}");
}

#[test]
fn a_lost_ledger_is_an_error_not_a_new_start() {
    let f = Fixture::new(&people(3));
    // A first build, with no site yet, starts the ledger.
    f.build().unwrap_or_else(|e| panic!("{e}"));
    let ledger = f.root().join("data/published.txt");
    assert!(ledger.is_file());
    std::fs::remove_file(&ledger).unwrap();
    let before = snapshot(&f.public());
    for args in [&["build", "--quiet"][..], &["check"][..]] {
        let command = args[0];
        let out = f.esim(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains("data/published.txt:1:1: the ledger of published pages is missing")
                && stderr.contains("restore data/published.txt"),
            "{command}: {stderr}"
        );
    }
    assert!(!ledger.exists(), "the ledger is not silently re-created");
    assert!(before == snapshot(&f.public()), "the old site is untouched");
    // A preview that does not write the ledger still builds (and checks it).
    let preview = f.esim(&["build", "--quiet", "--no-ledger", "--full"]);
    assert!(preview.status.success(), "{}", String::from_utf8_lossy(&preview.stderr));
    assert!(!ledger.exists());
}
