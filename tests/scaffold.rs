//! `esim new person|essay|page` writes a correctly named file that builds.

mod common;

use common::*;

fn new(f: &Fixture, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend(args);
    f.esim(&all)
}

#[test]
fn new_files_are_named_right_and_pass_check() {
    let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
    for (args, path) in [
        (vec!["essay", "the-1930s", "--lang", "ru"], "content/essays/the-1930s.ru.md"),
        (vec!["page", "sources"], "content/pages/sources.kk.md"),
        (vec!["person", "p1", "--lang", "en"], "content/people/p1.en.md"),
    ] {
        let out = new(&f, &args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(f.root().join(path)).unwrap();
        assert!(text.starts_with("+++\n"), "{path}");
    }
    let check = f.esim(&["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn new_refuses_what_would_not_build_or_would_overwrite() {
    let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
    assert!(new(&f, &["essay", "e1"]).status.success());
    for (args, message) in [
        (vec!["essay", "e1"], "already exists"),
        (vec!["person", "nobody"], "no record in data/records/ has the id"),
        (vec!["page", "people"], "reserved"),
        (vec!["essay", "Bad Slug"], "is not a slug"),
        (vec!["essay", "e2", "--lang", "de"], "not one of the site's languages"),
    ] {
        let out = new(&f, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
