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

/// A generated site of `people` fictitious people, loaded.
fn generated(people: usize) -> (tempfile::TempDir, esim::site::Site) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o =
        esim::fixture::FixtureOptions { people, seed: 3, out: out.clone(), from: common::sample_root(), duplicates: 0 };
    esim::fixture::generate(&o).unwrap();
    let mut options = esim::Options::new(&out);
    options.update_ledger = false;
    let (site, _) = esim::load_site(&options).expect("the fixture loads");
    (dir, site)
}

#[test]
fn open_data_in_blocks_is_the_whole_files_and_follows_an_edit() {
    use esim::export::opendata::{self, Blocks};
    let (_dir, mut site) = generated(2_100);
    let whole = |site: &esim::site::Site| {
        let (mut csv, mut jsonl) = (Vec::new(), Vec::new());
        opendata::write_csv(site, &mut csv).unwrap();
        opendata::write_jsonl(site, &mut jsonl).unwrap();
        (csv, jsonl)
    };
    let joined = |blocks: &Blocks| {
        let (mut csv, mut jsonl) = (Vec::new(), Vec::new());
        blocks.write_csv(&mut csv).unwrap();
        blocks.write_jsonl(&mut jsonl).unwrap();
        (csv, jsonl)
    };
    let records = |site: &esim::site::Site| site.people.iter().map(esim::util::hash::fingerprint).collect::<Vec<u64>>();
    let mut blocks = Blocks::default();
    blocks.update(&site, &records(&site)).unwrap();
    assert!(joined(&blocks) == whole(&site), "the blocks joined are the files");

    // An edit in the second block: only it is made again, and the files follow.
    let mut edited = site.people[1500].clone();
    edited.archive_name.surname.push_str("ов");
    site.people[1500] = edited;
    blocks.update(&site, &records(&site)).unwrap();
    let (csv, _) = joined(&blocks);
    assert!(String::from_utf8_lossy(&csv).contains(&site.people[1500].archive_name.surname));
    assert!(joined(&blocks) == whole(&site), "after the edit");

    // A saved state keeps the blocks' lengths alone: cut out of the files
    // written from the site, they are the blocks again.
    let (mut csv, mut jsonl) = (Vec::new(), Vec::new());
    let csv_lengths = opendata::write_csv(&site, &mut csv).unwrap();
    let jsonl_lengths = opendata::write_jsonl(&site, &mut jsonl).unwrap();
    let lengths = Blocks::lengths_of(&records(&site), &csv_lengths, &jsonl_lengths);
    assert_eq!(lengths, blocks.lengths(), "the lengths of the files are the blocks'");
    let cut = Blocks::from_files(&lengths, &csv, &jsonl).expect("the files are what the lengths describe");
    assert!(joined(&cut) == whole(&site));
    assert!(Blocks::from_files(&lengths, &csv, &jsonl[1..]).is_none(), "a file that is not the blocks'");
    assert!(Blocks::from_files(&lengths[1..], &csv, &jsonl).is_none(), "bytes left over");
}

#[test]
fn a_replaced_person_sorts_where_a_full_resolve_puts_them() {
    let (_dir, mut site) = generated(600);
    // A surname that sorts first in every alphabet, then one that sorts last.
    for (i, surname) in [(17, "Ааб"), (230, "Яя")] {
        let mut person = site.people[i].clone();
        person.archive_name.surname = surname.to_string();
        person.kk_name.surname.clear();
        person.en_name.surname.clear();
        assert!(site.same_regions(i, &person));
        let touched = site.replace_person(i, person);
        assert_eq!(
            touched.len(),
            site.languages.len()
                * site.people[i].cases.iter().map(|c| c.region).collect::<std::collections::HashSet<_>>().len()
        );
    }
    let order = |indexes: &[Vec<esim::site::RegionIndex>]| -> Vec<Vec<Vec<(u32, u32)>>> {
        let entries = |r: &esim::site::RegionIndex| r.entries.iter().map(|e| (e.person, e.letter_rank)).collect();
        indexes.iter().map(|l| l.iter().map(entries).collect()).collect()
    };
    let moved = order(&site.indexes);
    assert!(moved == order(&site.sorted_indexes()), "the indexes after the edits are those of a full resolve");
    let first =
        |l: usize| site.indexes[l].iter().find(|r| r.entries.iter().any(|e| e.person == 17)).unwrap().entries[0].person;
    assert!((0..site.languages.len()).all(|l| first(l) == 17), "Ааб is first in its region in every language");
}

#[test]
fn the_search_index_from_a_memo_is_the_index_and_follows_an_edit() {
    use esim::search::index::{write_people, PeopleMemo};
    let (_dir, mut site) = generated(1_500);
    let index = |site: &esim::site::Site, memo: Option<&PeopleMemo>| {
        let mut files = std::collections::BTreeMap::new();
        write_people(site, memo, &mut |rel, bytes| {
            files.insert(rel.to_string(), bytes.to_vec());
            Ok(())
        })
        .unwrap();
        files
    };
    let mut memo = PeopleMemo::default();
    memo.update(&site);
    assert!(index(&site, Some(&memo)) == index(&site, None), "the same files, byte for byte");

    // A surname that moves the person to the front of the search order.
    let mut person = site.people[700].clone();
    person.archive_name.surname = "Аабаев".into();
    person.kk_name = Default::default();
    person.en_name = Default::default();
    site.people[700] = person;
    let stale = index(&site, Some(&memo));
    memo.update(&site);
    let fresh = index(&site, Some(&memo));
    assert!(stale != fresh, "a memo not brought up to date shows the old name");
    assert!(fresh == index(&site, None), "after the edit");
}
