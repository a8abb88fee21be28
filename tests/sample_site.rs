//! The sample site in the repository, built into a temporary directory: every
//! page type in every language, sub-path deployment, sitemap and hreflang.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::*;

/// The sample site, built once for all tests of this file under a sub-path.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let mut options = esim::Options::new(sample_root());
        options.output = Some(out.path().join("public"));
        options.base_url = Some("https://example.org/memorial/kz/".into());
        options.update_ledger = false;
        let summary = esim::build(&options).unwrap_or_else(|e| panic!("{e}"));
        assert!(summary.people >= 30, "{summary}");
        out
    })
    .path()
}

fn read(rel: &str) -> String {
    let text = std::fs::read_to_string(site().join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if rel.ends_with(".html") {
        minified(&text)
    } else {
        text
    }
}

const LANGS: [&str; 3] = ["kk", "ru", "en"];

#[test]
fn root_is_the_default_language_home_linking_the_others() {
    let html = read("index.html");
    assert!(html.contains("<html lang=kk>"), "root page is Kazakh");
    for lang in LANGS {
        assert!(hrefs(&html).contains(&format!("/memorial/kz/{lang}/")), "links /{lang}/");
    }
    assert!(html.contains("rel=canonical") && html.contains("https://example.org/memorial/kz/kk/"));
}

#[test]
fn every_language_has_a_home_with_counts_regions_and_essays() {
    for (lang, count) in [("kk", "39 адам"), ("ru", "39 человек"), ("en", "39 people")] {
        let html = read(&format!("{lang}/index.html"));
        assert!(html.contains(&format!("<html lang={lang}>")));
        assert!(html.contains(count), "{lang} home shows {count}");
        assert!(html.contains(&format!("/memorial/kz/{lang}/regions/not-established/")), "{lang} home lists regions");
        assert!(html.contains(&format!("/memorial/kz/{lang}/essays/law-1993/")), "{lang} home lists essays");
    }
}

#[test]
fn person_pages_in_every_language_show_names_cases_and_translations() {
    let id = "tynyshpaev-mukhamedzhan";
    for lang in LANGS {
        let html = read(&format!("{lang}/people/{id}/index.html"));
        assert!(html.contains(&format!("<html lang={lang}>")));
        // Translations of the page: hreflang alternates and the switcher.
        for other in LANGS {
            let url = format!("https://example.org/memorial/kz/{other}/people/{id}/");
            assert!(html.contains(&format!("href={url} hreflang={other} rel=alternate")), "{lang}: alternate {other}");
            if other != lang {
                assert!(
                    hrefs(&html).contains(&format!("/memorial/kz/{other}/people/{id}/")),
                    "{lang}: switcher to {other}"
                );
            }
        }
        assert!(html.contains(&format!("href=https://example.org/memorial/kz/{lang}/people/{id}/ rel=canonical")));
        assert!(html.contains("Тынышпаев Мухамеджан"), "archive form shown");
        assert!(html.contains("Mukhamedzhan Tynyshpaev"), "Latin form shown");
        assert!(html.contains(">Тынышпаев Мухамеджан</dd>"), "archive form in the name block");
        assert!(html.contains("status-verified"));
        assert!(html.contains("id=biography"), "{lang}: biography");
    }
    let en = read(&format!("en/people/{id}/index.html"));
    assert!(en.contains("<h1>Mukhamedzhan Tynyshpaev</h1>"), "English heading is the Latin form");
    assert!(en.contains("<dd lang=ru>"), "Russian archive text on an English page is marked lang=ru");
    assert!(en.contains("Troika of the OGPU"), "sentencing body in English: {en}");
    assert!(en.contains("<time datetime=1932-04-20>20 April 1932</time>"));
    assert!(en.contains("<time datetime=1958-02-28>28 February 1958</time>"));
    let ru = read(&format!("ru/people/{id}/index.html"));
    assert!(ru.contains("<h1>Тынышпаев Мухамеджан</h1>"));
    assert!(ru.contains("20 апреля 1932 г."));
    assert!(!ru.contains("<dd lang=ru>"), "Russian text on a Russian page needs no lang");
    let kk = read(&format!("kk/people/{id}/index.html"));
    assert!(kk.contains("1932 жылғы 20 сәуірде"));
    assert!(kk.contains("<dd lang=ru>"));
}

#[test]
fn regional_indexes_list_people_alphabetically_with_letters_and_counts() {
    for lang in LANGS {
        let list = read(&format!("{lang}/regions/index.html"));
        assert!(list.contains(&format!("/memorial/kz/{lang}/regions/almaty/")), "{lang}: all regions listed");
        let html = read(&format!("{lang}/regions/not-established/index.html"));
        assert!(html.contains("class=letters"), "{lang}: letter navigation");
        let people: Vec<String> = hrefs(&html).into_iter().filter(|h| h.contains("/people/")).collect();
        assert_eq!(people.len(), 39, "{lang}: every person listed once");
    }
    // Russian order: Адилев before Акпаев before Ауэзов … Юсупов last.
    let ru = read("ru/regions/not-established/index.html");
    let pos = |s: &str| ru.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("Адилев") < pos("Акпаев Абдулхамид") && pos("Акпаев Абдулхамид") < pos("Акпаев Джакуп"));
    assert!(pos("Ауэзов") < pos("Байтасов") && pos("Умбетбаев") < pos("Юсупов"));
    // The English index is in Latin order of the romanized names.
    let en = read("en/regions/not-established/index.html");
    assert!(en.find("Adilev, Dinmukhamed").unwrap() < en.find("Yusupov").unwrap());
    assert!(en.find("Kim, Herbert").unwrap() < en.find("Kuderin, Dzhumakhan").unwrap());
}

#[test]
fn essays_and_pages_exist_in_every_language() {
    for lang in LANGS {
        let list = read(&format!("{lang}/essays/index.html"));
        for slug in ["stages-of-rehabilitation", "law-1993", "state-commission-2020-2023"] {
            assert!(list.contains(&format!("/memorial/kz/{lang}/essays/{slug}/")));
            let essay = read(&format!("{lang}/essays/{slug}/index.html"));
            assert!(essay.contains("class=prose"));
            assert!(essay.contains("hreflang=x-default"));
        }
        for slug in ["about", "corrections", "methodology"] {
            let page = read(&format!("{lang}/{slug}/index.html"));
            assert!(page.contains("<h1>"), "{lang}/{slug}");
        }
    }
}

#[test]
fn not_found_robots_and_sitemap() {
    let nf = read("404.html");
    assert!(nf.contains("Бет табылмады") && nf.contains("Страница не найдена") && nf.contains("Page not found"));
    assert!(nf.contains("href=/memorial/kz/en/"), "404 links work from any depth");
    for lang in LANGS {
        assert!(nf.contains(&format!("href=/memorial/kz/{lang}/search/>")), "404 links the search in {lang}");
    }
    let robots = read("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/memorial/kz/sitemap.xml"));
    let sitemap = read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml"));
    let urls = sitemap.matches("<url>").count();
    assert!(urls > 39 * 3, "{urls} URLs");
    // Every URL carries its alternates.
    assert_eq!(sitemap.matches("<loc>https://example.org/memorial/kz/en/people/").count(), 39);
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/memorial/kz/ru/people/auezov-mukhtar/\"/>"));
    for block in sitemap.split("<url>").skip(1) {
        assert!(block.contains("hreflang="), "every sitemap URL has hreflang alternates: {block}");
    }
}

#[test]
fn every_internal_link_points_at_a_file_of_the_site() {
    let public = site().join("public");
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for href in hrefs(&html) {
            let Some(path) = href.strip_prefix("/memorial/kz/") else {
                continue;
            };
            let path = path.split(['#', '?']).next().unwrap();
            let file = if path.is_empty() || path.ends_with('/') {
                public.join(path).join("index.html")
            } else {
                public.join(path)
            };
            assert!(file.exists(), "{}: broken link {href}", entry.path().display());
        }
    }
}
