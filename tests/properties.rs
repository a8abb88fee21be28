//! Property tests (bounded fuzzing) of the parsers that read editors' files: the
//! date parser, the front-matter splitter, the Markdown renderer and the CSV
//! loader never panic, whatever bytes they get. Cases per property:
//! PROPTEST_CASES (default 256); failures are saved under proptest-regressions/
//! and replayed first on every run.

mod common;

use esim::content::{frontmatter, markdown};
use esim::diagnostics::Diagnostics;
use esim::model::PartialDate;
use proptest::prelude::*;

/// Text biased towards the characters that matter to each parser.
fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("+++".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\"".to_string()),
            Just(",".to_string()),
            Just("~".to_string()),
            Just("-".to_string()),
            Just("<".to_string()),
            Just("[x](".to_string()),
            Just("\u{feff}".to_string()),
            "[0-9]{1,4}",
            "\\PC{0,6}",
            "[а-яәғқңөұүһі]{1,5}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn dates_never_panic_and_valid_ones_round_trip(s in "\\PC{0,16}", y in 1000u16..2999, m in 1u8..=12, d in 1u8..=28, approx: bool) {
        let _ = PartialDate::parse(&s);
        let text = format!("{}{y:04}-{m:02}-{d:02}", if approx { "~" } else { "" });
        let parsed = PartialDate::parse(&text).unwrap();
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn front_matter_split_never_panics(s in tricky_text()) {
        if let Ok(split) = frontmatter::split(&s) {
            prop_assert!(split.body_offset <= s.len());
            prop_assert!(s.ends_with(split.body));
        }
    }

    #[test]
    fn markdown_never_panics_and_never_emits_raw_html(s in tricky_text()) {
        if let Ok(r) = markdown::render(&s, &esim::names::romanize::slug, markdown::TOP_LEVEL) {
            prop_assert!(!r.html.contains("<script"));
            prop_assert!(!r.html.to_ascii_lowercase().contains("javascript:"));
        }
    }

    #[test]
    fn names_never_panic(s in "\\PC{0,40}") {
        let _ = esim::names::romanize::romanize(&s);
        let _ = esim::names::romanize::slug(&s);
        let c = esim::names::collate::Collator::new("А Ә Б");
        let _ = c.key(&s);
        let _ = c.initial(&s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    #[test]
    fn the_csv_loader_never_panics(body in tricky_text(), raw in proptest::collection::vec(any::<u8>(), 0..200), cut in 0usize..2000) {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("records");
        std::fs::create_dir_all(&records).unwrap();
        // A valid row with a mutation spliced in at a random place.
        let good = common::person("p1", "Петров", "Пётр");
        let at = (cut % (good.len() + 1)).min(good.len());
        let at = (0..=at).rev().find(|i| good.is_char_boundary(*i)).unwrap_or(0);
        let text = format!("{}\n{}{}{}\n", common::HEADER, &good[..at], body, &good[at..]);
        std::fs::write(records.join("a.csv"), text).unwrap();
        let mut bytes = common::HEADER.as_bytes().to_vec();
        bytes.push(b'\n');
        bytes.extend(raw);
        std::fs::write(records.join("b.csv"), bytes).unwrap();

        let sample = common::sample_root();
        let langs: Vec<String> = ["kk", "ru", "en"].iter().map(|s| s.to_string()).collect();
        let mut diags = Diagnostics::new();
        let regions = esim::reference::load_regions(&sample.join("data/regions.toml"), &langs, &mut diags);
        let vocabulary = esim::reference::load_vocabulary(&sample.join("data/vocabulary.toml"), &langs, &mut diags);
        prop_assert!(diags.is_empty());
        let _ = esim::records::load(&records, &regions, &vocabulary, &mut diags);
        for d in diags.into_sorted() {
            prop_assert!(d.path.starts_with(&records), "{d}");
        }
    }
}
