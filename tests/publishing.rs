//! Publishing never loses the site: two builds at once, a paused build, a
//! full disk, a kill at each step of the swap and of the in-place update, and
//! an output directory that is a symbolic link to the webroot. Faults are
//! injected with `ESIM_FAULT` (see `src/publish/faults.rs`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn people(n: usize) -> Vec<String> {
    (0..n).map(|i| person(&format!("p{i:05}"), if i % 3 == 0 { "Әлиев" } else { "Петров" }, "Ахмет")).collect()
}

fn esim(f: &Fixture, args: &[&str], fault: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esim"));
    cmd.args(args).args(["--root", f.root().to_str().unwrap()]).env("SOURCE_DATE_EPOCH", "1700000000");
    if let Some(fault) = fault {
        cmd.env("ESIM_FAULT", fault);
    }
    cmd
}

fn run(f: &Fixture, args: &[&str], fault: Option<&str>) -> Output {
    esim(f, args, fault).output().unwrap()
}

fn ok(out: &Output) {
    assert!(out.status.success(), "esim failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn spawn(f: &Fixture, args: &[&str]) -> Child {
    esim(f, args, None).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
}

/// What a full build of the fixture as it is now writes (into another folder).
fn reference(f: &Fixture) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = f.root().join("reference");
    let _ = std::fs::remove_dir_all(&dir);
    ok(&run(f, &["build", "--quiet", "--full", "--no-ledger", "--output", dir.to_str().unwrap()], None));
    let snap = snapshot(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    snap
}

/// Files and folders of esim's own temporary kinds under `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains("esim-tmp")
                || n.contains(".esim-pending")
                || n.contains(".esim-staging")
                || n.contains(".esim-retired")
        })
        .collect()
}

fn wait_for_staging(f: &Fixture, child: &mut Child) {
    wait_for_writing(f, child, ".esim-staging-", "kk");
}

/// Waits until `child` has written into the directory with `prefix` beside the
/// output (`inside` exists in it).
fn wait_for_writing(f: &Fixture, child: &mut Child, prefix: &str, inside: &str) {
    let started = Instant::now();
    loop {
        let writing = std::fs::read_dir(f.root())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(prefix) && e.path().join(inside).exists());
        if writing {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the build never started writing");
        assert!(child.try_wait().unwrap().is_none(), "the build finished before it could be caught");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(child: &Child, sig: &str) {
    assert!(Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success());
}

#[test]
fn two_builds_at_once_publish_one_complete_site() {
    let f = Fixture::new(&people(1500));
    ok(&run(&f, &["build", "--quiet"], None));
    f.config("[build]\nminify = false\n");
    let mut first = spawn(&f, &["build", "--quiet", "--full"]);
    wait_for_staging(&f, &mut first);
    let second = spawn(&f, &["build", "--quiet", "--full"]);
    let (first, second) = (first.wait_with_output().unwrap(), second.wait_with_output().unwrap());
    ok(&first);
    ok(&second);
    let waited = String::from_utf8_lossy(&second.stderr);
    assert!(waited.contains("another esim build"), "the second build says it waits: {waited}");
    assert!(snapshot(&f.public()) == reference(&f), "one complete site");
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

#[test]
fn a_paused_build_holds_the_next_one_back_until_it_finishes() {
    let f = Fixture::new(&people(1500));
    ok(&run(&f, &["build", "--quiet"], None));
    f.config("[build]\nminify = false\n");
    let mut paused = spawn(&f, &["build", "--quiet", "--full"]);
    wait_for_staging(&f, &mut paused);
    signal(&paused, "-STOP");
    let mut next = spawn(&f, &["build", "--quiet", "--full"]);
    std::thread::sleep(Duration::from_millis(1500));
    let still_waiting = next.try_wait().unwrap().is_none();
    signal(&paused, "-CONT");
    assert!(still_waiting, "the second build waits for the paused one");
    ok(&paused.wait_with_output().unwrap());
    ok(&next.wait_with_output().unwrap());
    assert!(f.public().join(".esim-output").is_file());
    assert!(snapshot(&f.public()) == reference(&f), "one complete site");
}

#[test]
fn a_full_disk_changes_nothing_in_place_or_swapped() {
    let f = Fixture::new(&people(40));
    ok(&run(&f, &["build", "--quiet"], None));
    let before = snapshot(&f.public());

    // An incremental build: one record edited.
    let mut records = people(40);
    records[7] = person("p00007", "Сейфуллин", "Сакен");
    f.records("people.csv", &records);
    for at in ["write:1", "write:3"] {
        let out = run(&f, &["build", "--quiet"], Some(at));
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("No space left on device"), "{err}");
        assert!(before == snapshot(&f.public()), "{at}: the site is as it was");
        assert!(leftovers(f.root()).is_empty(), "{at}: {:?}", leftovers(f.root()));
    }
    // A rebuild over the site (a template changed), and a full build into a
    // new directory (`--full`).
    change_template(&f, "full disk");
    for args in [&["build", "--quiet"][..], &["build", "--quiet", "--full"]] {
        let out = run(&f, args, Some("write:30"));
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"), "{args:?}");
        assert!(before == snapshot(&f.public()), "{args:?}: the site is as it was");
        assert!(leftovers(f.root()).is_empty(), "{args:?}: {:?}", leftovers(f.root()));
    }

    ok(&run(&f, &["build", "--quiet"], None));
    assert!(snapshot(&f.public()) == reference(&f), "the next build publishes");
}

/// Kills a build at `fault` and checks the site then is the old one, or the new
/// one when `published` (the swap was done); either way the next build leaves
/// the site a full build writes.
fn kill_at(f: &Fixture, args: &[&str], fault: &str, published: bool) {
    let before = snapshot(&f.public());
    let out = run(f, args, Some(fault));
    assert!(!out.status.success(), "{fault}: the build was killed");
    assert!(String::from_utf8_lossy(&out.stderr).contains("killed at"), "{fault}");
    let after = snapshot(&f.public());
    let new = reference(f);
    if published {
        assert!(after == new, "{fault}: the new site is in place");
    } else {
        assert!(after == before, "{fault}: the old site is in place");
    }
    ok(&run(f, &["build", "--quiet"], None));
    assert!(snapshot(&f.public()) == new, "{fault}: the next build completes the site");
    assert!(leftovers(f.root()).is_empty(), "{fault}: {:?}", leftovers(f.root()));
}

#[test]
fn a_kill_at_each_step_of_the_swap_leaves_a_whole_site() {
    let f = Fixture::new(&people(20));
    ok(&run(&f, &["build", "--quiet"], None));
    // `--full` builds a new site beside the output and swaps it in.
    let full = ["build", "--quiet", "--full"];
    f.config("[build]\nminify = false\n");
    kill_at(&f, &full, "kill:swap:1", false);
    f.config("[build]\nminify = true\n");
    kill_at(&f, &full, "kill:swap:2", true);
}

#[test]
fn a_kill_during_an_in_place_update_is_completed_by_the_next_build() {
    let f = Fixture::new(&people(20));
    ok(&run(&f, &["build", "--quiet"], None));
    let mut records = people(20);
    for (n, fault) in ["kill:journal:1", "kill:apply:1", "kill:apply:2"].iter().enumerate() {
        records[n + 1] = person(&format!("p{:05}", n + 1), "Сейфуллин", "Сакен");
        f.records("people.csv", &records);
        let before = snapshot(&f.public());
        let out = run(&f, &["build", "--quiet"], Some(fault));
        assert!(!out.status.success(), "{fault}: the build was killed");
        if *fault == "kill:journal:1" {
            assert!(before == snapshot(&f.public()), "{fault}: nothing moved before the journal was applied");
        }
        ok(&run(&f, &["build", "--quiet"], None));
        assert!(snapshot(&f.public()) == reference(&f), "{fault}: the next build completes the update");
        assert!(leftovers(f.root()).is_empty(), "{fault}: {:?}", leftovers(f.root()));
    }
}

#[test]
fn a_symlinked_output_keeps_its_link_and_the_webroot_is_updated() {
    let f = Fixture::new(&people(20));
    let webroot = f.root().join("srv/site");
    std::fs::create_dir_all(&webroot).unwrap();
    std::os::unix::fs::symlink(&webroot, f.public()).unwrap();
    ok(&run(&f, &["build", "--quiet"], None));
    let is_link = |p: &Path| std::fs::symlink_metadata(p).unwrap().file_type().is_symlink();
    assert!(is_link(&f.public()), "the link is kept");
    assert!(webroot.join("kk/index.html").is_file(), "the site is in the webroot");

    // A full rebuild and an incremental one both update the webroot.
    f.config("[build]\nminify = false\n");
    ok(&run(&f, &["build", "--quiet"], None));
    let mut records = people(20);
    records[3] = person("p00003", "Сейфуллин", "Сакен");
    f.records("people.csv", &records);
    ok(&run(&f, &["build", "--quiet"], None));
    assert!(is_link(&f.public()));
    assert!(std::fs::read_to_string(webroot.join("ru/people/p00003/index.html")).unwrap().contains("Сейфуллин"));
    assert!(snapshot(&webroot) == reference(&f));
    assert!(leftovers(&f.root().join("srv")).is_empty());
}

/// The template of the person pages, changed: every person page changes.
fn change_template(f: &Fixture, mark: &str) {
    let path = f.root().join("themes/default/templates/person.html");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("{% block main %}", &format!("{{% block main %}}<!-- {mark} -->"), 1)).unwrap();
}

fn essay(f: &Fixture) {
    for lang in ["kk", "ru", "en"] {
        let front =
            "+++\ntitle = \"Essay\"\ndate = 2025-01-01\nauthors = [\"E\"]\nsummary = \"S\"\nweight = 1\n+++\n\nText.\n";
        f.write(&format!("content/essays/gone.{lang}.md"), front);
    }
}

/// The inode and modification time of a file: the same when it was not written.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    let meta = std::fs::metadata(path).unwrap();
    (std::os::unix::fs::MetadataExt::ino(&meta), meta.modified().unwrap())
}

#[test]
fn a_rebuild_over_the_site_writes_only_what_changed_and_equals_a_cold_build() {
    let f = Fixture::new(&people(30));
    essay(&f);
    ok(&run(&f, &["build", "--quiet"], None));
    assert!(f.public().join("en/essays/gone/index.html").is_file());
    let css = f.public().join("style.css");
    let (css_before, records_before) = (identity(&css), identity(&f.public().join("data/records.csv")));

    // A template changed and an essay removed: every person page changes, the
    // essay's pages go.
    change_template(&f, "rebuild");
    for lang in ["kk", "ru", "en"] {
        std::fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
    }
    let out = run(&f, &["build"], None);
    ok(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("esim: rebuilt") && said.contains("removed"), "{said}");
    assert!(f.read_raw("ru/people/p00003/index.html").contains("<!-- rebuild -->"));
    assert!(!f.public().join("en/essays/gone").exists(), "a page gone is removed with its directory");
    assert_eq!(identity(&css), css_before, "an unchanged asset is not written again");
    assert_eq!(identity(&f.public().join("data/records.csv")), records_before, "nor the unchanged open data");
    assert!(snapshot(&f.public()) == reference(&f), "the same bytes as a cold build");
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

#[test]
fn a_rebuild_failed_or_killed_at_each_step_leaves_the_previous_site_whole() {
    let f = Fixture::new(&people(20));
    essay(&f);
    ok(&run(&f, &["build", "--quiet"], None));
    let build = ["build", "--quiet"];
    // A full disk at the first file written and later in the rendering: the
    // site is as it was, nothing is left.
    for (n, fault) in ["write:1", "write:40"].iter().enumerate() {
        change_template(&f, &format!("disk {n}"));
        let before = snapshot(&f.public());
        let out = run(&f, &build, Some(fault));
        assert!(!out.status.success(), "{fault}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"), "{fault}");
        assert!(before == snapshot(&f.public()), "{fault}: the site is as it was");
        assert!(leftovers(f.root()).is_empty(), "{fault}: {:?}", leftovers(f.root()));
    }
    // Killed once the journal is complete: nothing moved yet.
    change_template(&f, "journal");
    kill_at(&f, &build, "kill:journal:1", false);
    // Killed while the files move in (with an essay removed, then added
    // back): the next build completes the journal.
    for (n, fault) in ["kill:apply:1", "kill:apply:50"].iter().enumerate() {
        change_template(&f, &format!("apply {n}"));
        if n == 0 {
            for lang in ["kk", "ru", "en"] {
                std::fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
            }
        } else {
            essay(&f);
        }
        let out = run(&f, &build, Some(fault));
        assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("killed at"), "{fault}");
        assert!(leftovers(f.root()).iter().any(|l| l.starts_with(".esim-pending")), "{fault}: the journal waits");
        ok(&run(&f, &build, None));
        assert!(snapshot(&f.public()) == reference(&f), "{fault}: the next build completes the site");
        assert!(leftovers(f.root()).is_empty(), "{fault}: {:?}", leftovers(f.root()));
    }
}

#[test]
fn two_rebuilds_at_once_publish_one_complete_site() {
    let f = Fixture::new(&people(1500));
    ok(&run(&f, &["build", "--quiet"], None));
    change_template(&f, "concurrent");
    let mut first = spawn(&f, &["build", "--quiet"]);
    wait_for_writing(&f, &mut first, ".esim-pending-", "0");
    let second = spawn(&f, &["build", "--quiet"]);
    let (first, second) = (first.wait_with_output().unwrap(), second.wait_with_output().unwrap());
    ok(&first);
    ok(&second);
    let waited = String::from_utf8_lossy(&second.stderr);
    assert!(waited.contains("another esim build"), "the second build says it waits: {waited}");
    assert!(snapshot(&f.public()) == reference(&f), "one complete site");
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

/// The standby tree beside the output (`[build] standby = true`).
fn standby(f: &Fixture) -> PathBuf {
    f.root().join(".esim-standby-public")
}

fn remove_essay(f: &Fixture) {
    for lang in ["kk", "ru", "en"] {
        std::fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
    }
}

#[test]
fn rebuilds_through_the_standby_tree_swap_the_whole_site_in_and_free_no_file() {
    let f = Fixture::new(&people(30));
    f.config("[build]\nstandby = true\nprecompress = [\"gzip\"]\n");
    essay(&f);
    ok(&run(&f, &["build", "--quiet"], None));
    assert!(!standby(&f).exists(), "a first build has no standby");
    let first = snapshot(&f.public());
    let page = "ru/people/p00003/index.html";
    let first_page = identity(&f.public().join(page));

    // The first rebuild writes a whole new tree beside the site and exchanges
    // the two: the old site is the standby.
    change_template(&f, "one");
    let out = run(&f, &["build"], None);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("esim: rebuilt"));
    assert!(f.read_raw(page).contains("<!-- one -->"));
    assert!(snapshot(&f.public()) == reference(&f), "the same bytes as a cold build");
    assert!(snapshot(&standby(&f)) == first, "the old site waits beside it");
    let second = snapshot(&f.public());

    // An incremental build between rebuilds changes the site in place and
    // leaves the standby as it was.
    let mut records = people(30);
    records[4] = person("p00004", "Сейфуллин", "Сакен");
    f.records("people.csv", &records);
    ok(&run(&f, &["build", "--quiet"], None));
    assert!(snapshot(&standby(&f)) == first);
    let third = snapshot(&f.public());
    assert!(third != second);

    // The next rebuild overwrites the standby's files (the same inodes: no
    // block freed), removes what the site no longer has, and swaps again.
    change_template(&f, "two");
    remove_essay(&f);
    let out = run(&f, &["build"], None);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed"));
    assert!(f.read_raw(page).contains("<!-- two -->"));
    assert!(f.read_raw("ru/people/p00004/index.html").contains("Сейфуллин"));
    assert!(!f.public().join("en/essays/gone").exists(), "the essay's pages are gone");
    assert!(snapshot(&f.public()) == reference(&f));
    assert_eq!(identity(&f.public().join(page)).0, first_page.0, "the page was overwritten in place");
    assert!(snapshot(&standby(&f)) == third, "the standby is the site before this rebuild");
    let caches: Vec<String> = std::fs::read_dir(f.root().join(".esim/cache"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(caches.iter().any(|c| c.ends_with(".standby")), "the standby's cache: {caches:?}");
    assert!(!caches.iter().any(|c| c.ends_with(".standby-reading")), "nothing set aside is left: {caches:?}");
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

#[test]
fn a_rebuild_into_the_standby_failed_or_killed_leaves_the_site_whole() {
    let f = Fixture::new(&people(20));
    f.config("[build]\nstandby = true\n");
    essay(&f);
    let build = ["build", "--quiet"];
    ok(&run(&f, &build, None));
    change_template(&f, "first");
    ok(&run(&f, &build, None));
    assert!(standby(&f).join("kk/index.html").is_file());

    // A full disk while the standby is overwritten: the site is as it was;
    // the standby, half written, has lost its cache, and the next rebuild
    // lists its files and writes every one.
    change_template(&f, "disk");
    let before = snapshot(&f.public());
    let out = run(&f, &build, Some("write:40"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"));
    assert!(before == snapshot(&f.public()), "the site is as it was");
    assert!(!f
        .root()
        .join(".esim/cache")
        .read_dir()
        .unwrap()
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x == "standby")));
    ok(&run(&f, &build, None));
    assert!(snapshot(&f.public()) == reference(&f));

    // Killed before the exchange (stale files removed from the standby), then
    // after it (before the caches were saved).
    change_template(&f, "before the exchange");
    remove_essay(&f);
    kill_at(&f, &build, "kill:standby:1", false);
    change_template(&f, "after the exchange");
    essay(&f);
    kill_at(&f, &build, "kill:standby:2", true);
    change_template(&f, "again");
    ok(&run(&f, &build, None));
    assert!(snapshot(&f.public()) == reference(&f));
}

#[test]
fn a_symlinked_output_keeps_its_link_when_the_standby_is_exchanged_with_the_webroot() {
    let f = Fixture::new(&people(10));
    f.config("[build]\nstandby = true\n");
    let webroot = f.root().join("srv/site");
    std::fs::create_dir_all(&webroot).unwrap();
    std::os::unix::fs::symlink(&webroot, f.public()).unwrap();
    ok(&run(&f, &["build", "--quiet"], None));
    change_template(&f, "through the link");
    ok(&run(&f, &["build", "--quiet"], None));
    assert!(std::fs::symlink_metadata(f.public()).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(f.root().join("srv/.esim-standby-site/kk/index.html").is_file(), "the standby is beside the webroot");
    assert!(snapshot(&webroot) == reference(&f));
}

#[test]
fn a_full_build_with_the_standby_keeps_the_old_site_as_the_standby_instead_of_deleting_it() {
    let f = Fixture::new(&people(20));
    f.config("[build]\nstandby = true\nprecompress = [\"gzip\", \"br\"]\n");
    essay(&f);
    let build = ["build", "--quiet"];
    ok(&run(&f, &build, None));
    let first = snapshot(&f.public());
    // `--full` over the site: written into a new standby, exchanged; the old
    // site is kept beside it.
    change_template(&f, "full");
    remove_essay(&f);
    let out = run(&f, &["build", "--full"], None);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("esim: built"));
    assert!(snapshot(&f.public()) == reference(&f));
    assert!(snapshot(&standby(&f)) == first, "the old site is the standby");
    // Again, over that standby (which holds the essay and another
    // encoding's copies): every file is written, what is gone removed.
    f.config("[build]\nstandby = true\nprecompress = [\"gzip\"]\n");
    ok(&run(&f, &["build", "--quiet", "--full"], None));
    assert!(snapshot(&f.public()) == reference(&f), "no stale page nor copy survives");
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));

    // The setting turned off: builds go in place, and say the standby can go.
    f.config("[build]\nprecompress = [\"gzip\"]\n");
    let out = run(&f, &build, None);
    ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(".esim-standby-public") && said.contains("delete it to free its disk"), "{said}");
    assert!(snapshot(&f.public()) == reference(&f));
}
