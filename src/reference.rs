//! The site's reference tables: `data/regions.toml` (modern regions with their
//! names in every language and URL slugs) and `data/vocabulary.toml` (sentencing
//! bodies, sentences, fates and verification statuses). Records refer to both by
//! code; everything here is validated before any record is read.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::config::Translated;
use crate::diagnostics::{line_col, Diagnostic, Diagnostics};

#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    pub slug: String,
    pub names: Translated,
    pub centre: Translated,
    pub historical: Translated,
}

#[derive(Debug, Default)]
pub struct Regions {
    pub list: Vec<Region>,
    by_code: HashMap<String, u16>,
}

impl Regions {
    pub fn index_of(&self, code: &str) -> Option<u16> {
        self.by_code.get(code).copied()
    }

    pub fn get(&self, index: u16) -> &Region {
        &self.list[index as usize]
    }
}

#[derive(Debug, Deserialize)]
struct RegionEntry {
    slug: String,
    #[serde(default)]
    centre: Translated,
    #[serde(default)]
    historical: Translated,
    #[serde(flatten)]
    names: BTreeMap<String, toml::Value>,
}

/// One coded term of the vocabulary with its label per language.
#[derive(Debug, Clone)]
pub struct Term {
    pub code: String,
    pub labels: Translated,
}

/// A table of terms addressed by code (records) or index (compact cases).
#[derive(Debug, Default)]
pub struct TermTable {
    pub terms: Vec<Term>,
    by_code: HashMap<String, u16>,
}

impl TermTable {
    pub fn index_of(&self, code: &str) -> Option<u16> {
        self.by_code.get(code).copied()
    }

    pub fn get(&self, index: u16) -> &Term {
        &self.terms[index as usize]
    }

    pub fn codes(&self) -> Vec<&str> {
        self.terms.iter().map(|t| t.code.as_str()).collect()
    }
}

#[derive(Debug, Default)]
pub struct Vocabulary {
    pub bodies: TermTable,
    pub sentences: TermTable,
    pub fates: TermTable,
    pub status: TermTable,
    /// Why a person was withdrawn (`data/withdrawn.csv`); optional, for sites
    /// that never withdrew anyone.
    pub withdrawal: TermTable,
}

const VOCABULARY_TABLES: [&str; 5] = ["bodies", "sentences", "fates", "status", "withdrawal"];

/// Position of `[header]` (or of the first occurrence of `needle`) in a TOML text.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    text.find(needle).map(|i| line_col(text, i)).unwrap_or((0, 0))
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        Diagnostic::new(path, l, c, e.message().to_string())
    })
}

fn is_code(s: &str, upper_ok: bool) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (upper_ok && b.is_ascii_uppercase()))
}

/// Checks that `names` holds a non-empty text for every language and nothing else.
fn check_translated(
    names: &Translated,
    languages: &[String],
    what: &str,
    at: (usize, usize),
    path: &Path,
    diags: &mut Diagnostics,
) {
    for lang in languages {
        if names.get(lang).is_none_or(|s| s.trim().is_empty()) {
            diags.error(path, at.0, at.1, format!("{what} has no {lang:?} name"));
        }
    }
    for key in names.keys() {
        if !languages.contains(key) {
            diags.error(path, at.0, at.1, format!("{what}: unknown key {key:?} (expected slug, centre, historical or a language of the site: {languages:?})"));
        }
    }
}

pub fn load_regions(path: &Path, languages: &[String], diags: &mut Diagnostics) -> Regions {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read the regions: {e}")));
            return Regions::default();
        }
    };
    let entries: BTreeMap<String, RegionEntry> = match parse_toml(path, &text) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return Regions::default();
        }
    };
    let mut regions = Regions::default();
    let mut slugs: HashMap<String, String> = HashMap::new();
    // Keep the file's order: it is the editors' order (regions, then cities).
    let mut ordered: Vec<(usize, String, RegionEntry)> =
        entries.into_iter().map(|(code, e)| (text.find(&format!("[{code}]")).unwrap_or(usize::MAX), code, e)).collect();
    ordered.sort_by_key(|(pos, code, _)| (*pos, code.clone()));
    for (_, code, entry) in ordered {
        let at = position_of(&text, &format!("[{code}]"));
        if !is_code(&code, true) {
            diags.error(path, at.0, at.1, format!("{code:?} is not a region code such as \"KZ-11\""));
        }
        if !is_code(&entry.slug, false) {
            diags.error(path, at.0, at.1, format!("region {code}: slug {:?} must be 1–32 of a-z 0-9 -", entry.slug));
        } else if let Some(other) = slugs.insert(entry.slug.clone(), code.clone()) {
            diags.error(
                path,
                at.0,
                at.1,
                format!("region {code}: slug {:?} is already used by region {other}", entry.slug),
            );
        }
        let mut names = Translated::new();
        for (key, value) in entry.names {
            match value {
                toml::Value::String(s) => {
                    names.insert(key, s);
                }
                _ => diags.error(path, at.0, at.1, format!("region {code}: {key:?} must be a text")),
            }
        }
        check_translated(&names, languages, &format!("region {code}"), at, path, diags);
        for (what, table) in [("centre", &entry.centre), ("historical", &entry.historical)] {
            if !table.is_empty() {
                check_translated(table, languages, &format!("region {code} {what}"), at, path, diags);
            }
        }
        regions.by_code.insert(code.clone(), regions.list.len() as u16);
        regions.list.push(Region { code, slug: entry.slug, names, centre: entry.centre, historical: entry.historical });
    }
    if regions.list.is_empty() {
        diags.push(Diagnostic::file(path, "no region is defined"));
    }
    regions
}

pub fn load_vocabulary(path: &Path, languages: &[String], diags: &mut Diagnostics) -> Vocabulary {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read the vocabulary: {e}")));
            return Vocabulary::default();
        }
    };
    let tables: BTreeMap<String, BTreeMap<String, Translated>> = match parse_toml(path, &text) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return Vocabulary::default();
        }
    };
    let mut vocabulary = Vocabulary::default();
    for (name, entries) in tables {
        let at = position_of(&text, &format!("[{name}"));
        let table = match name.as_str() {
            "bodies" => &mut vocabulary.bodies,
            "sentences" => &mut vocabulary.sentences,
            "fates" => &mut vocabulary.fates,
            "status" => &mut vocabulary.status,
            "withdrawal" => &mut vocabulary.withdrawal,
            _ => {
                diags.error(path, at.0, at.1, format!("unknown table [{name}]: expected one of {VOCABULARY_TABLES:?}"));
                continue;
            }
        };
        for (code, labels) in entries {
            let at = position_of(&text, &format!("{name}.{code}"));
            if !is_code(&code, false) {
                diags.error(path, at.0, at.1, format!("[{name}] code {code:?} must be 1–32 of a-z 0-9 -"));
            }
            check_translated(&labels, languages, &format!("[{name}] {code}"), at, path, diags);
            table.by_code.insert(code.clone(), table.terms.len() as u16);
            table.terms.push(Term { code, labels });
        }
    }
    for status in ["verified", "unverified", "disputed"] {
        if vocabulary.status.index_of(status).is_none() {
            diags.push(Diagnostic::file(path, format!("[status] must define {status:?}")));
        }
    }
    vocabulary
}
