//! Each stage of the pipeline tested at its own layer, so that a failure
//! names the stage rather than a whole build: resolve (grouping and sorting),
//! render (one page to HTML, the page catalogue), publish (staging and swap,
//! changed files in place) and the warm builder.

mod common;

use std::fs;
use std::path::Path;

use common::{person, row, Fixture};
use esim::publish::output::Output;
use esim::publish::Staging;
use esim::render::catalogue::{self, Job, CATALOGUE, PERSON};
use esim::render::Renderer;

fn loaded(f: &Fixture) -> (esim::site::Site, esim::render::Templates) {
    let mut options = esim::Options::new(f.root());
    options.update_ledger = false;
    esim::load_site(&options).expect("the fixture loads")
}

/// Four people of Almaty whose names need the Kazakh alphabet to sort, one of
/// them repressed twice.
fn almaty() -> Fixture {
    let kk = |id: &str, surname: &str, surname_kk: &str| {
        row(&[
            ("id", id),
            ("surname", surname),
            ("surname_kk", surname_kk),
            ("given_name", "Ахмет"),
            ("region", "KZ-75"),
            ("status", "verified"),
        ])
    };
    Fixture::new(&[
        kk("a3", "Абаев", "Әбаев"),
        kk("a1", "Агаев", "Ағаев"),
        kk("a2", "Абдиев", "Абдиев"),
        row(&[
            ("id", "a1"),
            ("region", "KZ-11"),
            ("arrest_date", "1949-02"),
            ("status", "verified"),
            ("sentence", "exile"),
        ]),
        person("b1", "Бейсенов", "Иван"),
    ])
}

#[test]
fn resolve_groups_cases_into_people_and_sorts_each_language() {
    let f = almaty();
    let (site, _) = loaded(&f);
    let ids: Vec<&str> = site.people.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "b1"], "people sorted by id");
    assert_eq!(site.people[0].cases.len(), 2, "two rows of one id are one person with two cases");

    let region = |code: &str| site.regions.list.iter().position(|r| r.code == code).unwrap();
    let order = |lang: &str| -> Vec<&str> {
        let li = site.languages.iter().position(|l| l.code == lang).unwrap();
        site.indexes[li][region("KZ-75")].entries.iter().map(|e| site.people[e.person as usize].id.as_str()).collect()
    };
    // Kazakh: А < Ә, and Абдиев < Ағаев (б < ғ); Russian: Абаев < Абдиев < Агаев.
    assert_eq!(order("kk"), ["a2", "a1", "a3", "b1"]);
    assert_eq!(order("ru"), ["a3", "a2", "a1", "b1"]);
    // The person repressed twice is listed in both regions.
    assert_eq!(site.indexes[0][region("KZ-11")].entries.len(), 1);
    assert_eq!(site.region_pages(region("KZ-75")), 1);
}

#[test]
fn render_makes_one_page_without_writing_anything() {
    let f = almaty();
    let (site, templates) = loaded(&f);
    let assets = esim::export::assets::Assets::load(&f.root().join("themes/default/static")).unwrap();
    let renderer = Renderer::new(&site, &templates, &assets, esim::build_date());
    let kk = site.languages.iter().position(|l| l.code == "kk").unwrap() as u8;
    let a3 = site.people.iter().position(|p| p.id == "a3").unwrap() as u32;
    let (route, html) = renderer.render(Job { kind: PERSON, lang: kk, item: (a3, 0) }).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert_eq!(route, "/kk/people/a3/");
    assert!(html.contains("<html lang=\"kk\""), "{html}");
    assert!(html.contains("Әбаев Ахмет"), "the Kazakh page shows the Kazakh form");
    assert!(html.contains("Абаев Ахмет"), "and the archive form among the other forms");
    assert!(fs::read_dir(f.root()).unwrap().all(|e| e.unwrap().file_name() != "public"), "render wrote nothing");
}

#[test]
fn the_catalogue_lists_every_page_once_and_the_sitemap_from_it() {
    let f = almaty();
    let (site, _) = loaded(&f);
    let jobs = catalogue::jobs(&site);
    let routes: std::collections::HashSet<String> = jobs.iter().map(|j| catalogue::route(&site, *j)).collect();
    assert_eq!(routes.len(), jobs.len(), "no two pages share a route");
    let expected: usize =
        CATALOGUE.iter().map(|k| k.items(&site).len() * if k.per_language() { site.languages.len() } else { 1 }).sum();
    assert_eq!(jobs.len(), expected, "every page of every kind, in every language it has");
    let required = catalogue::required_templates();
    assert!(required.contains(&"person.html") && required.contains(&"missing.html") && required[0] == "base.html");

    let mut listed = Vec::new();
    catalogue::sitemap_groups(&site, &mut |group| {
        listed.extend(group.into_iter().map(|(_, route)| route));
        Ok(())
    })
    .unwrap();
    assert!(listed.contains(&"/en/people/b1/".to_string()));
    assert!(!listed.iter().any(|r| r.ends_with(".json") || r == "/" || r == "/404.html"));
    assert!(listed.iter().all(|r| routes.contains(r)), "the sitemap lists only pages that exist");
}

#[test]
fn publish_swaps_a_complete_site_in_and_abandons_a_failed_one() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    let staging = Staging::begin(&target).unwrap();
    staging.write(Path::new("kk/index.html"), b"one").unwrap();
    staging.publish().unwrap();
    assert_eq!(fs::read(target.join("kk/index.html")).unwrap(), b"one");

    let staging = Staging::begin(&target).unwrap();
    staging.write(Path::new("kk/index.html"), b"two").unwrap();
    staging.abandon();
    assert_eq!(fs::read(target.join("kk/index.html")).unwrap(), b"one", "an abandoned build changes nothing");
}

#[test]
fn publish_in_place_writes_only_changed_files_after_everything_rendered() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    let out = Output::full(&target).unwrap();
    out.page("/a/", Some(1), b"A").unwrap();
    out.page("/b/", Some(2), b"B").unwrap();
    let (manifest, _) = out.finish(&target, None, &[]).unwrap();
    let b_inode = inode(&target.join("b/index.html"));

    let out = Output::in_place(&target, manifest).unwrap();
    out.page("/a/", Some(3), b"A2").unwrap();
    out.page("/b/", Some(2), b"B").unwrap();
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"A", "nothing written before finish");
    let routes = ["/a/".to_string(), "/b/".to_string()];
    let (manifest, changes) = out.finish(&target, Some(&routes), &[]).unwrap();
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"A2");
    assert_eq!(inode(&target.join("b/index.html")), b_inode, "an unchanged file is not rewritten");
    assert_eq!((changes.written, changes.removed), (1, 0));

    // A page gone from the site is removed, with the folders it leaves empty.
    let out = Output::in_place(&target, manifest).unwrap();
    out.page("/a/", Some(3), b"A2").unwrap();
    let (_, changes) = out.finish(&target, Some(&routes[..1]), &[]).unwrap();
    assert_eq!(changes.removed, 1);
    assert!(!target.join("b").exists());
}

fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
}

#[test]
fn the_warm_builder_renders_only_the_edited_persons_pages() {
    let f = almaty();
    f.write("content/people/b1.ru.md", "+++\n+++\nПервая версия.\n");
    let mut options = esim::Options::new(f.root());
    options.update_ledger = false;
    let mut builder = esim::build::warm::Builder::new(options);
    let first = builder.build().unwrap();
    assert_eq!(first.kind, esim::BuildKind::Full);

    f.write("content/people/b1.ru.md", "+++\n+++\nВторая версия.\n");
    let second = builder.build().unwrap();
    assert_eq!(second.kind, esim::BuildKind::Incremental);
    assert_eq!(second.timings.load, std::time::Duration::ZERO, "the site in memory was used: nothing loaded again");
    // The pages that show the whole site (home, lists, search…) have no
    // fingerprint: every build renders them.
    let (site, _) = loaded(&f);
    let fps = esim::render::Fingerprints::new(&site, 0);
    let always = catalogue::jobs(&site).iter().filter(|j| j.inputs(&fps).is_none()).count();
    assert_eq!(second.rendered, 3 + always, "the person's three pages and the pages that show the whole site");
    assert!(f.read("ru/people/b1/index.html").contains("Вторая версия."));
}
