//! The default theme's UI strings: every one exists in Kazakh, Russian and
//! English with the same placeholders, and every page built from them reads
//! with real values in place of the placeholders; labels agree with a
//! person's sex where Russian has a form for it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

const LANGS: [&str; 3] = ["kk", "ru", "en"];

fn strings(lang: &str) -> BTreeMap<String, String> {
    let path = sample_root().join(format!("themes/default/i18n/{lang}.toml"));
    let file: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for (key, v) in file["strings"].as_table().unwrap() {
        out.insert(key.clone(), v.as_str().unwrap().to_string());
    }
    for (key, forms) in file["plurals"].as_table().unwrap() {
        for (category, v) in forms.as_table().unwrap() {
            out.insert(format!("plurals.{key}.{category}"), v.as_str().unwrap().to_string());
        }
    }
    out
}

/// The `{name}` placeholders of a pattern.
fn placeholders(pattern: &str) -> BTreeSet<String> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

#[test]
fn every_string_exists_in_every_language_with_the_same_placeholders() {
    let all: BTreeMap<&str, BTreeMap<String, String>> = LANGS.iter().map(|l| (*l, strings(l))).collect();
    // Plural categories differ by language (Russian has few and many); the
    // category "other" or "many" exists everywhere.
    let keys: BTreeSet<&String> = all.values().flat_map(|s| s.keys()).filter(|k| !k.starts_with("plurals.")).collect();
    for key in &keys {
        for lang in LANGS {
            let value = all[lang].get(*key).unwrap_or_else(|| panic!("{lang}.toml has no {key:?}"));
            assert!(!value.trim().is_empty() || key.ends_with("_end"), "{lang}: {key} is empty");
        }
        let sets: Vec<BTreeSet<String>> = LANGS.iter().map(|l| placeholders(&all[l][*key])).collect();
        assert!(sets.windows(2).all(|w| w[0] == w[1]), "{key}: placeholders differ between languages: {sets:?}");
    }
    for (lang, s) in &all {
        for (key, value) in s.iter().filter(|(k, _)| k.starts_with("plurals.")) {
            assert_eq!(placeholders(value), BTreeSet::from(["n".to_string()]), "{lang}: {key}: {value}");
        }
    }
}

/// A person with every field, in each sex, so that every label and pattern of
/// a person page is used.
fn people() -> Vec<String> {
    let full = |id: &str, sex: &str| {
        row(&[
            ("id", id),
            ("surname", "Петрова"),
            ("given_name", "Анна"),
            ("surname_kk", "Петрова"),
            ("given_name_kk", "Әнна"),
            ("name_variants", "Petrova"),
            ("sex", sex),
            ("birth_date", "1901-03-04"),
            ("birth_place", "Семипалатинск"),
            ("nationality", "русская"),
            ("occupation", "учительница"),
            ("residence", "Алма-Ата"),
            ("region", "KZ-75"),
            ("district", "Алма-Атинский район"),
            ("arrest_date", "1937-10-08"),
            ("charge", "58-10"),
            ("sentenced_by", "troika-nkvd"),
            ("sentence_date", "1937-11-05"),
            ("sentence", "camp"),
            ("sentence_years", "8"),
            ("fate", "released"),
            ("death_date", "~1960"),
            ("death_place", "Алма-Ата"),
            ("rehabilitation_date", "1958-02-28"),
            ("rehabilitated_by", "Верховный суд Казахской ССР"),
            ("archive", "Архив, ф. 1, оп. 2, д. 3"),
            ("source", "Книга памяти"),
            ("status", "verified"),
        ])
    };
    vec![full("woman", "f"), full("man", "m"), full("unknown", "")]
}

#[test]
fn every_page_reads_with_real_values_not_placeholders() {
    let f = Fixture::new(&people());
    f.config("[corrections]\nemail = \"fix@memorial.example.org\"\n");
    f.build().expect("builds");
    let names: BTreeSet<String> =
        LANGS.iter().flat_map(|l| strings(l).into_values()).flat_map(|v| placeholders(&v)).collect();
    assert!(names.contains("name") && names.contains("n"), "{names:?}");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(f.public()).into_iter().map(|e| e.unwrap()) {
        let path = entry.path();
        if !path.extension().is_some_and(|e| e == "html" || e == "json" || e == "xml") {
            continue;
        }
        let text = without_script_data(&std::fs::read_to_string(path).unwrap());
        // Percent-encoded or JSON-escaped braces would hide a placeholder too.
        let text = text.replace("%7B", "{").replace("%7D", "}");
        for name in &names {
            assert!(!text.contains(&format!("{{{name}}}")), "{}: unfilled {{{name}}}", path.display());
        }
        pages += 1;
    }
    assert!(pages > 30, "{pages}");
}

/// The page without the search page's embedded data, whose plural patterns
/// the script fills in the browser (`{n}` stays a pattern there).
fn without_script_data(html: &str) -> String {
    const OPEN: &str = "<script type=\"application/json\" id=\"search-data\">";
    match html.find(OPEN) {
        Some(start) => {
            let end = start + html[start..].find("</script>").expect("closed");
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn labels_agree_with_the_persons_sex() {
    let f = Fixture::new(&people());
    f.build().expect("builds");
    let ru = |id: &str| f.read(&format!("ru/people/{id}/index.html"));
    let (woman, man, unknown) = (ru("woman"), ru("man"), ru("unknown"));
    for label in ["Арестована", "Кем осуждена", "Реабилитирована", "Кем реабилитирована"]
    {
        assert!(woman.contains(&format!(">{label}<")), "woman: {label}");
    }
    for label in ["Арестован", "Кем осуждён", "Реабилитирован", "Кем реабилитирован"]
    {
        assert!(man.contains(&format!(">{label}<")), "man: {label}");
    }
    assert!(!woman.contains("(а)") && !man.contains("(а)"), "no hedged form where the sex is known");
    assert!(unknown.contains(">Арестован(а)<"), "the neutral form where the record gives no sex");
}

#[test]
fn kazakh_dates_read_as_a_date_alone_and_as_an_attribute() {
    let f = Fixture::new(&people());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_esim"))
        .args(["build", "--quiet", "--root", f.root().to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1764633600") // 2 December 2025
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kk = f.read("kk/people/woman/index.html");
    assert!(kk.contains("(2025 жылғы 2 желтоқсандағы нұсқасы)"), "the citation's version date is attributive");
    assert!(kk.contains(">1937 жылғы 8 қазан</time>"), "a date on its own is in the nominative");
    assert!(!kk.contains("қазанда<"), "no locative where no sentence follows");
}

#[test]
fn a_kazakh_heading_in_the_archive_form_says_so() {
    let f = Fixture::new(&[
        person("archive-only", "Тынышпаев", "Мухамеджан"),
        row(&[
            ("id", "with-kazakh"),
            ("surname", "Байтурсынов"),
            ("given_name", "Ахмет"),
            ("surname_kk", "Байтұрсынұлы"),
            ("region", "KZ-75"),
            ("status", "verified"),
        ]),
    ]);
    f.build().expect("builds");
    let note = "Аты-жөні мұрағат жазбасындағыдай берілген";
    let page = f.read("kk/people/archive-only/index.html");
    assert!(page.contains("<h1>Тынышпаев Мухамеджан</h1>") && page.contains(note), "the heading says which form");
    assert!(!f.read("kk/people/with-kazakh/index.html").contains(note), "not where the Kazakh form exists");
    assert!(
        !f.read("ru/people/archive-only/index.html").contains("class=name-note"),
        "a Russian page shows its own form"
    );
}
