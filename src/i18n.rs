//! UI strings, plural rules, numbers and dates per language. The strings live in
//! the theme (`themes/<theme>/i18n/<lang>.toml`) so that a translator edits text,
//! not code; only the plural rules, which are grammar, are written here.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{line_col, Diagnostic, Diagnostics};
use crate::model::{PartialDate, Sex};
use crate::names::collate::Collator;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateFormats {
    full: String,
    month: String,
    year: String,
    approx_full: String,
    approx_month: String,
    approx_year: String,
    months: Vec<String>,
    #[serde(default)]
    months_gen: Vec<String>,
    #[serde(default)]
    months_loc: Vec<String>,
    /// A full date as an attribute of a noun ("the version of …"), for languages
    /// where it differs from the date on its own (Kazakh "2 желтоқсандағы").
    #[serde(default)]
    full_attr: Option<String>,
    #[serde(default)]
    months_attr: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    /// The language's name in itself ("Қазақша"), for the language switcher.
    language_name: String,
    /// Uppercase letters in alphabetical order, separated by spaces.
    alphabet: String,
    /// Thousands separator.
    group_separator: String,
    date: DateFormats,
    strings: HashMap<String, String>,
    plurals: BTreeMap<String, BTreeMap<String, String>>,
}

/// Everything language-specific that the build needs for one language.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub collator: Collator,
    file: LanguageFile,
}

/// Fills `{name}` placeholders of a UI pattern in one pass (a chain of
/// `replace` calls cost a tenth of the build at scale). Unknown placeholders are
/// kept as written.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The UI strings the Rust code asks for (templates ask for theirs by name and
/// fail to render when one is missing).
pub const REQUIRED_STRINGS: &[&str] = &[
    "case_n",
    "cite_pattern",
    "cite_version",
    "correction_body",
    "correction_subject",
    "data_description",
    "data_title",
    "essays_description",
    "essays_title",
    "field_archive",
    "field_arrest_date",
    "field_birth_date",
    "field_birth_place",
    "field_charge",
    "field_death_date",
    "field_death_place",
    "field_district",
    "field_fate",
    "field_nationality",
    "field_note",
    "field_occupation",
    "field_region",
    "field_rehabilitated_by",
    "field_rehabilitation_date",
    "field_residence",
    "field_sentence",
    "field_sentence_date",
    "field_sentenced_by",
    "field_sex",
    "field_source",
    "home_link",
    "name_archive",
    "name_archive_only",
    "name_kazakh",
    "list_rehabilitated",
    "name_latin",
    "nav_home",
    "not_found_text",
    "not_found_title",
    "page_n",
    "person_description",
    "qr_label",
    "regions_description",
    "regions_title",
    "search_arrested",
    "search_sentenced",
    "sex_f",
    "sex_m",
];

/// CLDR plural category of a whole number in a language.
pub fn plural_category(lang: &str, n: u64) -> &'static str {
    match lang {
        "ru" | "uk" | "be" => {
            let (m10, m100) = (n % 10, n % 100);
            if m10 == 1 && m100 != 11 {
                "one"
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                "few"
            } else {
                "many"
            }
        }
        _ if n == 1 => "one",
        _ => "other",
    }
}

impl Language {
    /// A UI string. Every key the code uses is in [`REQUIRED_STRINGS`], checked
    /// when the files are loaded, so a missing one is a theme error, not a blank.
    pub fn t(&self, key: &str) -> &str {
        self.file.strings.get(key).map(String::as_str).unwrap_or("")
    }

    pub fn has(&self, key: &str) -> bool {
        self.file.strings.contains_key(key)
    }

    /// A counted phrase, e.g. `plural("people", 3)` → "3 человека".
    pub fn plural(&self, key: &str, n: u64) -> String {
        let forms = match self.file.plurals.get(key) {
            Some(f) => f,
            None => return format!("{n} {key}"),
        };
        let category = plural_category(&self.code, n);
        let pattern = forms.get(category).or_else(|| forms.get("other")).or_else(|| forms.values().next());
        pattern.map(|p| fill(p, &[("n", &self.number(n))])).unwrap_or_default()
    }

    /// The forms of a counted phrase by plural category, for the browser.
    pub fn plural_forms(&self, key: &str) -> BTreeMap<String, String> {
        self.file.plurals.get(key).cloned().unwrap_or_default()
    }

    /// A whole number with the language's thousands separator.
    pub fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        if digits.len() <= 4 {
            return digits;
        }
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.file.group_separator);
            }
            out.push(d);
        }
        out
    }

    /// A UI string that agrees with the person's sex where the language has a
    /// form for it (`{key}_m`, `{key}_f`: Russian "Арестован", "Арестована"),
    /// else the neutral one.
    pub fn t_sex(&self, key: &str, sex: Sex) -> &str {
        let suffix = match sex {
            Sex::Male => "_m",
            Sex::Female => "_f",
            Sex::Unknown => return self.t(key),
        };
        self.file.strings.get(&format!("{key}{suffix}")).map(String::as_str).unwrap_or_else(|| self.t(key))
    }

    /// A full date as the attribute of a noun: "(the version) of 2 December
    /// 2026", Kazakh "2026 жылғы 2 желтоқсандағы (нұсқасы)"; the plain date
    /// where the language has no such form or the date is not a full one.
    pub fn date_attributive(&self, d: &PartialDate) -> String {
        match &self.file.date.full_attr {
            Some(pattern) if d.day != 0 && !d.approximate => self.fill_date(pattern, d),
            _ => self.date(d),
        }
    }

    /// A partial date in words: "5 November 1937", "5 ноября 1937 г.",
    /// "1937 жылғы 5 қараша", "c. 1938".
    pub fn date(&self, d: &PartialDate) -> String {
        let f = &self.file.date;
        let pattern = match (d.month, d.day, d.approximate) {
            (0, _, false) => &f.year,
            (0, _, true) => &f.approx_year,
            (_, 0, false) => &f.month,
            (_, 0, true) => &f.approx_month,
            (_, _, false) => &f.full,
            (_, _, true) => &f.approx_full,
        };
        self.fill_date(pattern, d)
    }

    fn fill_date(&self, pattern: &str, d: &PartialDate) -> String {
        let f = &self.file.date;
        let month = |list: &Vec<String>| -> String {
            let list = if list.len() == 12 { list } else { &f.months };
            d.month.checked_sub(1).and_then(|m| list.get(m as usize)).cloned().unwrap_or_default()
        };
        fill(
            pattern,
            &[
                ("year", &d.year.to_string()),
                ("day", &d.day.to_string()),
                ("month", &month(&f.months)),
                ("month_gen", &month(&f.months_gen)),
                ("month_loc", &month(&f.months_loc)),
                ("month_attr", &month(&f.months_attr)),
            ],
        )
    }
}

/// Loads the language files of every site language, checking that each has every
/// string the default language has.
pub fn load(theme_dir: &Path, languages: &[String], default_language: &str, diags: &mut Diagnostics) -> Vec<Language> {
    let mut loaded = Vec::new();
    for code in languages {
        let path = theme_dir.join("i18n").join(format!("{code}.toml"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::file(&path, format!("cannot read the UI strings of language {code:?}: {e}")));
                continue;
            }
        };
        match toml::from_str::<LanguageFile>(&text) {
            Ok(file) => {
                if file.date.months.len() != 12 {
                    diags.error(&path, 0, 0, "[date] months must list 12 months");
                }
                loaded.push((
                    path,
                    text,
                    Language {
                        code: code.clone(),
                        name: file.language_name.clone(),
                        collator: Collator::new(&file.alphabet),
                        file,
                    },
                ));
            }
            Err(e) => {
                let (l, c) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
                diags.error(&path, l, c, e.message().to_string());
            }
        }
    }
    for (path, _, lang) in &loaded {
        let columns = crate::model::columns::ALL.iter().map(|c| format!("col_{}", c.name()));
        for key in REQUIRED_STRINGS.iter().map(|k| k.to_string()).chain(columns) {
            if !lang.file.strings.contains_key(&key) {
                diags.error(path, 0, 0, format!("[strings] has no {key:?}, which esim needs"));
            }
        }
        for key in ["people", "years", "results"] {
            if !lang.file.plurals.contains_key(key) {
                diags.error(path, 0, 0, format!("[plurals] has no {key:?}, which esim needs"));
            }
        }
    }
    if let Some((_, _, reference)) = loaded.iter().find(|(_, _, l)| l.code == default_language) {
        let mut strings: Vec<String> = reference.file.strings.keys().cloned().collect();
        strings.sort();
        let plurals: Vec<String> = reference.file.plurals.keys().cloned().collect();
        for (path, _, lang) in &loaded {
            for key in &strings {
                if !lang.file.strings.contains_key(key) {
                    diags.error(path, 0, 0, format!("[strings] has no {key:?}, which {default_language}.toml has"));
                }
            }
            for key in &plurals {
                if !lang.file.plurals.contains_key(key) {
                    diags.error(path, 0, 0, format!("[plurals] has no {key:?}, which {default_language}.toml has"));
                }
            }
        }
    }
    loaded.into_iter().map(|(_, _, l)| l).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_has_three_forms() {
        let cats: Vec<&str> = [1, 2, 5, 11, 21, 22, 25, 111, 122].iter().map(|&n| plural_category("ru", n)).collect();
        assert_eq!(cats, ["one", "few", "many", "many", "one", "few", "many", "many", "few"]);
        assert_eq!(plural_category("en", 1), "one");
        assert_eq!(plural_category("kk", 5), "other");
    }
}
