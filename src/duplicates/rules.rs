//! When two records are probably one person, and how sure that is.
//!
//! Every name part is compared under the search keys of [`crate::search::keys`],
//! so that scripts, transliteration schemes and suffix forms meet
//! (Байтұрсынұлы = Байтурсынов = Baitursynov). A person's spellings are all of
//! their forms: the archive columns, the Kazakh and English columns and, for the
//! surname, the first word of each `name_variants` entry.
//!
//! A pair is a candidate only when nothing in it says they are two people:
//!
//! - surname and given name match, at least one of them at the level of
//!   [`Level::Sound`] or better (the other may be [`Level::Near`]: a clerk's
//!   one-letter slip);
//! - the patronymics match, or one is missing, or one is an initial the other
//!   begins with;
//! - the birth years are within one year, or one is missing;
//! - the sexes are equal, or one is unknown;
//! - a region of one is a region of the other, or the birthplaces are
//!   compatible (equal, one's words within the other's, or one missing).
//!
//! # Score (0–100)
//!
//! Each of five facts gives up to 20 points, so that the score says how much
//! evidence there is, not only that there is no contradiction:
//!
//! | fact | points |
//! |---|---|
//! | surname, given name (each) | 20 same canonical spelling ([`Level::Exact`]); 16 same stem, i.e. another suffix form (-ов / -ұлы); 12 same sound skeleton; 6 one letter apart |
//! | patronymic | as a name part when both are known; 8 an initial; 0 one missing |
//! | birth | 20 the same year; 10 one year apart; 0 one missing |
//! | place | 10 a shared region + 10 the same birthplace (5 when one's words are within the other's) |
//!
//! So two records that agree on every fact score 100; a Kazakh surname in its
//! -ұлы form against the -ов form, same given name, the patronymic missing on
//! one side, the birth years one apart, the same region and birthplace:
//! 16 + 20 + 0 + 10 + 20 = 66.

use crate::model::{Person, Sex};
use crate::search::keys;

/// How closely two spellings of a name part agree, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// One letter apart, with or without the suffixes (4 letters or more).
    Near,
    /// The same consonant skeleton (vowels, voicing, hushing sounds forgiven).
    Sound,
    /// The same stem: another suffix form (-ов, -ұлы, -uly, -ович).
    Stem,
    /// The same canonical spelling, whatever the script or scheme.
    Exact,
}

impl Level {
    pub fn points(self) -> u8 {
        match self {
            Level::Exact => 20,
            Level::Stem => 16,
            Level::Sound => 12,
            Level::Near => 6,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Exact => "same",
            Level::Stem => "suffix form",
            Level::Sound => "sound",
            Level::Near => "one letter",
        }
    }
}

/// The keys of one spelling of a name part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub fold: Box<str>,
    pub stem: Box<str>,
    pub skeleton: Box<str>,
    /// The skeleton of the whole word, suffix included: a slip in the suffix
    /// (Лисовский / Лисовсгий) leaves it equal when it changes the stem.
    pub whole: Box<str>,
}

impl Part {
    /// The keys of `text`, or None when it has no letters.
    fn of(text: &str) -> Option<Part> {
        let k = keys::keys(text);
        let whole = keys::skeleton(&k.fold).into();
        (!k.fold.is_empty()).then(|| Part {
            fold: k.fold.into(),
            stem: k.stem.into(),
            skeleton: k.skeleton.into(),
            whole,
        })
    }
}

/// What the comparison of two records needs, computed once per record.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub surnames: Vec<Part>,
    pub givens: Vec<Part>,
    pub patronymics: Vec<Part>,
    /// Patronymics written as an initial (`А.`): their folded letters.
    pub initials: Vec<Box<str>>,
    pub birth_year: Option<u16>,
    pub sex: Sex,
    /// The regions of the person's cases.
    pub regions: Vec<u16>,
    /// The birthplace's folded words, sorted, without repeats.
    pub birth_place: Vec<Box<str>>,
}

/// Adds the keys of `text` to `parts` unless a spelling with the same fold is there.
fn push_part(parts: &mut Vec<Part>, text: &str) {
    if let Some(p) = Part::of(text) {
        if !parts.iter().any(|q| q.fold == p.fold) {
            parts.push(p);
        }
    }
}

/// Whether a patronymic is an initial: one letter, with or without a dot.
fn initial(text: &str) -> Option<Box<str>> {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    (letters.len() == 1).then(|| keys::fold(&letters[0].to_string()).into_boxed_str()).filter(|f| !f.is_empty())
}

impl Keys {
    pub fn of(p: &Person) -> Keys {
        let mut k = Keys::default();
        for name in [&p.archive_name, &p.kk_name, &p.en_name] {
            push_part(&mut k.surnames, &name.surname);
            push_part(&mut k.givens, &name.given);
            match initial(&name.patronymic) {
                Some(i) => k.initials.push(i),
                None => push_part(&mut k.patronymics, &name.patronymic),
            }
        }
        for variant in &p.name_variants {
            if let Some(first) = variant.split_whitespace().next() {
                push_part(&mut k.surnames, first);
            }
        }
        k.birth_year = p.birth_date.map(|d| d.year);
        k.sex = p.sex;
        k.regions = p.cases.iter().map(|c| c.region).collect();
        k.regions.sort_unstable();
        k.regions.dedup();
        let mut words: Vec<Box<str>> = keys::words(&p.birth_place).into_iter().map(String::into_boxed_str).collect();
        words.sort_unstable();
        words.dedup();
        k.birth_place = words;
        k
    }
}

/// How the patronymics compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patronymic {
    Match(Level),
    /// One is an initial the other's spelling begins with.
    Initial,
    /// One (or both) is not known.
    Missing,
}

/// How the birthplaces compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birthplace {
    Equal,
    /// One's words are all among the other's (`Каркаралинский уезд` within
    /// `аул № 3, Каркаралинский уезд`).
    Within,
    Missing,
    Different,
}

/// Why a pair is a candidate: each fact as it compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    pub surname: Level,
    pub given: Level,
    pub patronymic: Patronymic,
    /// Years between the births; None when one is unknown.
    pub birth_gap: Option<u16>,
    pub shared_region: bool,
    pub birth_place: Birthplace,
}

impl Evidence {
    /// The score, 0–100 (see the module's table).
    pub fn score(&self) -> u8 {
        let patronymic = match self.patronymic {
            Patronymic::Match(l) => l.points(),
            Patronymic::Initial => 8,
            Patronymic::Missing => 0,
        };
        let birth = match self.birth_gap {
            Some(0) => 20,
            Some(_) => 10,
            None => 0,
        };
        let place = if self.shared_region { 10 } else { 0 }
            + match self.birth_place {
                Birthplace::Equal => 10,
                Birthplace::Within => 5,
                Birthplace::Missing | Birthplace::Different => 0,
            };
        self.surname.points() + self.given.points() + patronymic + birth + place
    }

    /// The evidence in words, for editors: `surname suffix form; given same; …`.
    pub fn describe(&self) -> String {
        let patronymic = match self.patronymic {
            Patronymic::Match(l) => l.label(),
            Patronymic::Initial => "initial",
            Patronymic::Missing => "missing",
        };
        let birth = match self.birth_gap {
            Some(0) => "same year",
            Some(_) => "one year apart",
            None => "missing",
        };
        let place = match self.birth_place {
            Birthplace::Equal => "same",
            Birthplace::Within => "one within the other",
            Birthplace::Missing => "missing",
            Birthplace::Different => "different",
        };
        format!(
            "surname {}; given name {}; patronymic {patronymic}; birth {birth}; region {}; birthplace {place}",
            self.surname.label(),
            self.given.label(),
            if self.shared_region { "shared" } else { "different" }
        )
    }
}

/// The evidence that `a` and `b` are one person, or None when a fact says
/// they are two.
pub fn compare(a: &Keys, b: &Keys) -> Option<Evidence> {
    if a.sex != b.sex && a.sex != Sex::Unknown && b.sex != Sex::Unknown {
        return None;
    }
    let birth_gap = birth_gap(a.birth_year, b.birth_year)?;
    let surname = best_level(&a.surnames, &b.surnames)?;
    let given = best_level(&a.givens, &b.givens)?;
    if surname == Level::Near && given == Level::Near {
        return None;
    }
    let patronymic = patronymic(a, b)?;
    let shared_region = a.regions.iter().any(|r| b.regions.contains(r));
    let birth_place = birthplace(&a.birth_place, &b.birth_place);
    if !shared_region && birth_place == Birthplace::Different {
        return None;
    }
    Some(Evidence { surname, given, patronymic, birth_gap, shared_region, birth_place })
}

/// Years between two births: Some(None) when one is unknown, None when they
/// are more than a year apart.
fn birth_gap(a: Option<u16>, b: Option<u16>) -> Option<Option<u16>> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let gap = a.abs_diff(b);
            (gap <= 1).then_some(Some(gap))
        }
        _ => Some(None),
    }
}

/// The best level at which a spelling of one matches a spelling of the other.
pub fn best_level(a: &[Part], b: &[Part]) -> Option<Level> {
    a.iter().flat_map(|x| b.iter().filter_map(move |y| level(x, y))).max()
}

fn level(a: &Part, b: &Part) -> Option<Level> {
    if a.fold == b.fold {
        Some(Level::Exact)
    } else if a.stem == b.stem {
        Some(Level::Stem)
    } else if !a.skeleton.is_empty() && a.skeleton == b.skeleton {
        Some(Level::Sound)
    } else if one_letter_apart(&a.stem, &b.stem) || one_letter_apart(&a.fold, &b.fold) {
        // The slip may be in the stem or in the suffix (Макаров / Макарав).
        Some(Level::Near)
    } else {
        None
    }
}

fn patronymic(a: &Keys, b: &Keys) -> Option<Patronymic> {
    if !a.patronymics.is_empty() && !b.patronymics.is_empty() {
        return best_level(&a.patronymics, &b.patronymics).map(Patronymic::Match);
    }
    let starts = |initials: &[Box<str>], parts: &[Part]| {
        initials.iter().any(|i| parts.iter().any(|p| p.fold.starts_with(&**i) || i.starts_with(&*p.fold)))
    };
    let initial_pair = |x: &[Box<str>], y: &[Box<str>]| x.iter().any(|i| y.contains(i));
    match (a.patronymics.is_empty(), b.patronymics.is_empty()) {
        (true, true) if !a.initials.is_empty() && !b.initials.is_empty() => {
            initial_pair(&a.initials, &b.initials).then_some(Patronymic::Initial)
        }
        (true, false) if !a.initials.is_empty() => starts(&a.initials, &b.patronymics).then_some(Patronymic::Initial),
        (false, true) if !b.initials.is_empty() => starts(&b.initials, &a.patronymics).then_some(Patronymic::Initial),
        _ => Some(Patronymic::Missing),
    }
}

fn birthplace(a: &[Box<str>], b: &[Box<str>]) -> Birthplace {
    if a.is_empty() || b.is_empty() {
        Birthplace::Missing
    } else if a == b {
        Birthplace::Equal
    } else if a.iter().all(|w| b.contains(w)) || b.iter().all(|w| a.contains(w)) {
        Birthplace::Within
    } else {
        Birthplace::Different
    }
}

/// Whether two keys of 4 letters or more are one edit apart: shorter ones
/// are too easily another name (Ли / Ки).
fn one_letter_apart(a: &str, b: &str) -> bool {
    a.len() >= 4 && b.len() >= 4 && within_one_edit(a.as_bytes(), b.as_bytes())
}

/// Whether `a` becomes `b` by at most one insertion, deletion or substitution.
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Case, Name, PartialDate};

    fn person(surname: &str, given: &str, patronymic: &str, born: &str, region: u16, place: &str) -> Person {
        Person {
            archive_name: Name { surname: surname.into(), given: given.into(), patronymic: patronymic.into() },
            birth_date: PartialDate::parse_optional(born).unwrap(),
            birth_place: place.into(),
            sex: Sex::Male,
            cases: vec![Case { region, ..Case::default() }],
            ..Person::default()
        }
    }

    fn cmp(a: &Person, b: &Person) -> Option<Evidence> {
        compare(&Keys::of(a), &Keys::of(b))
    }

    #[test]
    fn scripts_and_suffix_forms_meet() {
        let a = person("Байтұрсынұлы", "Ахмет", "", "1872", 1, "");
        let b = person("Байтурсынов", "Ахмет", "", "1872", 1, "");
        let c = person("Baitursynov", "Akhmet", "", "1872", 1, "");
        assert_eq!(cmp(&a, &b).unwrap().surname, Level::Stem);
        assert_eq!(cmp(&b, &c).unwrap().surname, Level::Exact);
        assert_eq!(cmp(&a, &c).unwrap().given, Level::Exact);
        // Kazakh columns beside the archive form count as spellings too.
        let mut d = person("Байтурсынов", "Ахмет", "", "1872", 1, "");
        d.kk_name.surname = "Байтұрсынұлы".into();
        assert_eq!(cmp(&a, &d).unwrap().surname, Level::Exact);
    }

    #[test]
    fn a_one_letter_slip_is_near_but_not_in_both_names() {
        let a = person("Тынышбаев", "Сакен", "", "", 1, "");
        assert_eq!(cmp(&a, &person("Тынышпаев", "Сакен", "", "", 1, "")).unwrap().surname, Level::Sound);
        let a = person("Жумабаев", "Сакен", "", "", 1, "");
        let b = person("Жунабаев", "Сакен", "", "", 1, "");
        assert_eq!(cmp(&a, &b).unwrap().surname, Level::Near);
        assert_eq!(cmp(&a, &person("Жунабаев", "Сакел", "", "", 1, "")), None);
        // A slip in the suffix.
        let a = person("Макаров", "Сергей", "", "", 1, "");
        assert_eq!(cmp(&a, &person("Макарав", "Сергей", "", "", 1, "")).unwrap().surname, Level::Near);
        let (x, y) = (
            Keys::of(&person("Лисовский", "Юзеф", "", "", 1, "")),
            Keys::of(&person("Лисовсгий", "Юзеф", "", "", 1, "")),
        );
        assert_eq!(compare(&x, &y).unwrap().surname, Level::Near);
        let shared = super::super::blocks::block_keys(&x);
        assert!(super::super::blocks::block_keys(&y).iter().any(|k| shared.contains(k)), "they meet in a block");
        assert_eq!(cmp(&a, &person("Сейфуллин", "Сакен", "", "", 1, "")), None);
    }

    #[test]
    fn patronymics_equal_missing_or_initial() {
        let a = person("Исаев", "Муса", "Ахметович", "", 1, "");
        assert_eq!(
            cmp(&a, &person("Исаев", "Муса", "Ахметұлы", "", 1, "")).unwrap().patronymic,
            Patronymic::Match(Level::Stem)
        );
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "", "", 1, "")).unwrap().patronymic, Patronymic::Missing);
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "А.", "", 1, "")).unwrap().patronymic, Patronymic::Initial);
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "Б.", "", 1, "")), None);
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "Сейтович", "", 1, "")), None);
        let i = person("Исаев", "Муса", "А", "", 1, "");
        assert_eq!(cmp(&i, &person("Исаев", "Муса", "А.", "", 1, "")).unwrap().patronymic, Patronymic::Initial);
    }

    #[test]
    fn birth_years_within_one_or_missing() {
        let a = person("Исаев", "Муса", "", "1900-05-01", 1, "");
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "", "~1901", 1, "")).unwrap().birth_gap, Some(1));
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "", "1900", 1, "")).unwrap().birth_gap, Some(0));
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "", "", 1, "")).unwrap().birth_gap, None);
        assert_eq!(cmp(&a, &person("Исаев", "Муса", "", "1902", 1, "")), None);
    }

    #[test]
    fn region_or_birthplace_must_agree() {
        let a = person("Исаев", "Муса", "", "", 1, "аул № 3, Каркаралинский уезд");
        let same_place = person("Исаев", "Муса", "", "", 2, "Аул №3, Karkaralinskii uezd");
        assert_eq!(cmp(&a, &same_place).unwrap().birth_place, Birthplace::Equal);
        let within = person("Исаев", "Муса", "", "", 2, "Каркаралинский уезд");
        assert_eq!(cmp(&a, &within).unwrap().birth_place, Birthplace::Within);
        let unknown = person("Исаев", "Муса", "", "", 2, "");
        assert!(!cmp(&a, &unknown).unwrap().shared_region);
        let elsewhere = person("Исаев", "Муса", "", "", 2, "аул № 5, Каркаралинский уезд");
        assert_eq!(cmp(&a, &elsewhere), None);
        let same_region = person("Исаев", "Муса", "", "", 1, "аул № 5, Каркаралинский уезд");
        assert!(cmp(&a, &same_region).unwrap().shared_region);
    }

    #[test]
    fn a_man_and_a_woman_are_two_people() {
        let a = person("Исаев", "Муса", "", "", 1, "");
        let mut b = a.clone();
        b.sex = Sex::Female;
        assert_eq!(cmp(&a, &b), None);
        b.sex = Sex::Unknown;
        assert!(cmp(&a, &b).is_some());
    }

    #[test]
    fn scores_add_up_as_documented() {
        let a = person("Байтурсынов", "Ахмет", "Шайхиевич", "1872", 1, "Сарытубек");
        assert_eq!(cmp(&a, &a).unwrap().score(), 100);
        let b = person("Байтұрсынұлы", "Ахмет", "", "1873", 1, "");
        assert_eq!(cmp(&a, &b).unwrap().score(), 16 + 20 + 10 + 10);
        assert_eq!(
            cmp(&a, &b).unwrap().describe(),
            "surname suffix form; given name same; patronymic missing; birth one year apart; region shared; birthplace missing"
        );
    }

    #[test]
    fn edits() {
        assert!(within_one_edit(b"abcd", b"abcd"));
        assert!(within_one_edit(b"abcd", b"abxd"));
        assert!(within_one_edit(b"abcd", b"abd"));
        assert!(within_one_edit(b"abcd", b"abcde"));
        assert!(within_one_edit(b"", b"a"));
        assert!(!within_one_edit(b"abcd", b"badc"));
        assert!(!within_one_edit(b"abcd", b"ab"));
        assert!(!within_one_edit(b"abcd", b"xbcy"));
    }
}
