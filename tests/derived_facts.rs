//! The derived-fact audit: every output that condenses a record (search rows,
//! region lists, the person page, JSON-LD, the citation, open data) states only
//! what the record states, under its own name. The case that went wrong: a
//! sentence date shown as the year of an arrest the record does not give.

mod common;

use common::*;

/// A person sentenced in 1932 with no arrest date (as the 1958 group of the
/// sample), one arrested in 1937 and sentenced in 1938, and one with neither.
fn site() -> Fixture {
    let f = Fixture::new(&[
        row(&[
            ("id", "sentenced-only"),
            ("surname", "Петров"),
            ("given_name", "Пётр"),
            ("region", "KZ-75"),
            ("sentenced_by", "troika-ogpu"),
            ("sentence_date", "1932-04-20"),
            ("rehabilitation_date", "1958-02-28"),
            ("status", "verified"),
        ]),
        row(&[
            ("id", "arrested"),
            ("surname", "Иванов"),
            ("given_name", "Иван"),
            ("region", "KZ-75"),
            ("arrest_date", "1937-10-08"),
            ("sentence_date", "1938-01-05"),
            ("sentence", "camp"),
            ("sentence_years", "10"),
            ("status", "verified"),
        ]),
        person("no-dates", "Сидоров", "Сидор"),
    ]);
    f.build().expect("the fixture builds");
    f
}

/// A UI string of the default theme.
fn ui(lang: &str, key: &str) -> String {
    let path = sample_root().join(format!("themes/default/i18n/{lang}.toml"));
    let file: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["strings"][key].as_str().unwrap_or_else(|| panic!("{lang}: {key}")).to_string()
}

const LANGS: [&str; 3] = ["kk", "ru", "en"];

/// The search row of a person: `[id, kk, archive, latin, born, regions, fate,
/// arrest year, sentence year]`.
fn search_row(f: &Fixture, id: &str) -> Vec<serde_json::Value> {
    let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(&f.read("search/r/0.json")).unwrap();
    rows.into_iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("no search row for {id}"))
}

/// The line of a person in a region's list, tags removed.
fn list_line(f: &Fixture, lang: &str, id: &str) -> String {
    let html = f.read(&format!("{lang}/regions/almaty/index.html"));
    let at = html.find(&format!("/people/{id}/")).unwrap_or_else(|| panic!("{lang}: {id} not listed"));
    let end = at + html[at..].find("</li>").unwrap();
    let tags = strip_tags(&html[at..end]);
    tags.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes tags (the list line's markup is simple: no `>` inside attributes).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn search_rows_keep_arrest_and_sentence_years_apart() {
    let f = site();
    let row = search_row(&f, "sentenced-only");
    assert_eq!((row[7].as_u64(), row[8].as_u64()), (Some(0), Some(1932)), "no arrest year, the sentence year: {row:?}");
    let row = search_row(&f, "arrested");
    assert_eq!((row[7].as_u64(), row[8].as_u64()), (Some(1937), Some(1938)), "{row:?}");
    let row = search_row(&f, "no-dates");
    assert_eq!((row[7].as_u64(), row[8].as_u64()), (Some(0), Some(0)), "{row:?}");
    // The script shows the sentence year under its own label.
    for lang in LANGS {
        let page = f.read(&format!("{lang}/search/index.html"));
        let sentenced = ui(lang, "search_sentenced");
        assert!(page.contains(&format!("\"sentenced\":\"{sentenced}\"")), "{lang}: the label reaches the script");
    }
}

#[test]
fn region_lists_name_each_year_for_what_it_is() {
    let f = site();
    for lang in LANGS {
        let (arrested, sentenced) = (ui(lang, "search_arrested"), ui(lang, "search_sentenced"));
        let line = list_line(&f, lang, "sentenced-only");
        assert!(line.contains(&format!("{sentenced} 1932")), "{lang}: {line}");
        assert!(!line.contains(&arrested), "{lang}: no arrest in the record: {line}");
        let line = list_line(&f, lang, "arrested");
        assert!(line.contains(&format!("{arrested} 1937")), "{lang}: {line}");
        assert!(!line.contains("1938"), "{lang}: the arrest year is the one shown: {line}");
        let line = list_line(&f, lang, "no-dates");
        assert!(!line.chars().any(|c| c.is_ascii_digit()), "{lang}: no year the record lacks: {line}");
    }
    let en = list_line(&f, "en", "sentenced-only");
    assert!(en.ends_with("sentenced 1932 · rehabilitated 1958"), "{en}");
    let en = list_line(&f, "en", "arrested");
    assert!(en.contains("arrested 1937 · Corrective labour camp, 10 years"), "{en}");
    assert!(en.contains("Иванов Иван"), "the archive spelling beside the Latin one: {en}");
}

#[test]
fn the_person_page_json_ld_and_citation_state_no_arrest() {
    let f = site();
    for lang in LANGS {
        let page = f.read(&format!("{lang}/people/sentenced-only/index.html"));
        let label = ui(lang, "field_arrest_date");
        assert!(!page.contains(&format!(">{label}<")), "{lang}: an arrest fact the record lacks");
        assert!(page.contains(&format!(">{}<", ui(lang, "field_sentence_date"))), "{lang}: the sentence date");
        let ld_start = page.find("application/ld+json").unwrap();
        let ld = &page[ld_start..ld_start + page[ld_start..].find("</script>").unwrap()];
        assert!(!ld.contains("1932"), "{lang}: JSON-LD holds no case date: {ld}");
        for key in ["birthDate", "deathDate", "birthPlace", "deathPlace", "nationality"] {
            assert!(!ld.contains(key), "{lang}: JSON-LD {key} the record lacks: {ld}");
        }
        let cite_start = page.find("class=citation").or_else(|| page.find("class=\"citation\"")).unwrap();
        let cite = &page[cite_start..cite_start + page[cite_start..].find("</p>").unwrap()];
        assert!(!cite.contains("1932"), "{lang}: the citation dates the page version only: {cite}");
    }
}

#[test]
fn open_data_keeps_every_date_in_its_own_field_in_utf8() {
    let f = site();
    let person = jsonl_person(&f, "sentenced-only");
    let case = &person["cases"][0];
    assert_eq!(case["arrest_date"], serde_json::Value::Null);
    assert_eq!(case["sentence_date"], "1932-04-20");
    assert_eq!(person["birth_date"], serde_json::Value::Null);
    let jsonl = f.read("data/records.jsonl");
    assert!(jsonl.contains("\"surname\":\"Петров\""), "Cyrillic written as UTF-8");
    assert!(!jsonl.contains("\\u04"), "no \\u escapes of Cyrillic");
    let csv = f.read("data/records.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let line = csv.lines().find(|l| l.starts_with("sentenced-only,")).unwrap();
    let fields: Vec<&str> = line.split(',').collect();
    let col = |name: &str| fields[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!((col("arrest_date"), col("sentence_date")), ("", "1932-04-20"));
}

#[test]
fn no_output_calls_a_sentence_year_an_arrest() {
    let f = site();
    let labels: Vec<String> =
        LANGS.iter().flat_map(|l| [ui(l, "search_arrested"), ui(l, "field_arrest_date")]).collect();
    for entry in walkdir::WalkDir::new(f.public()).into_iter().map(|e| e.unwrap()) {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let text = strip_tags(&text);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for label in &labels {
            assert!(!text.contains(&format!("{label} 1932")), "{}: \"{label} 1932\"", entry.path().display());
        }
    }
}

#[test]
fn editors_notes_stay_apart_from_the_archive_citation() {
    let mut header = HEADER.to_string();
    header.push_str(",note");
    let f = Fixture::new(&[]);
    let rest = row(&[
        ("id", "noted"),
        ("surname", "Петров"),
        ("given_name", "Пётр"),
        ("region", "KZ-75"),
        ("archive", "Дело № 1, л. 2"),
        ("status", "verified"),
    ]);
    f.write("data/records/people.csv", &format!("{header}\n{rest},Архив назван по контексту статьи\n"));
    f.build().expect("builds");
    let page = f.read("en/people/noted/index.html");
    assert!(page.contains(">Дело № 1, л. 2</dd>"), "the archive citation alone");
    assert!(page.contains(">Editors&#39; note</dt>") || page.contains(">Editors' note</dt>"), "{page}");
    assert!(page.contains(">Архив назван по контексту статьи</dd>"));
    let person = jsonl_person(&f, "noted");
    assert_eq!(person["cases"][0]["archive"], "Дело № 1, л. 2");
    assert_eq!(person["cases"][0]["note"], "Архив назван по контексту статьи");
}

/// A person's line of the open data's `records.jsonl`.
fn jsonl_person(f: &Fixture, id: &str) -> serde_json::Value {
    f.read("data/records.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} in records.jsonl"))
}
