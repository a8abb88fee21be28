//! The domain model: a person with their cases, as the records give them, and
//! the partial dates and name forms every stage reads. The loaders produce it;
//! resolve, render and the exports read it. It depends on nothing but the
//! name algorithms.

pub mod columns;
pub mod date;
pub mod names;

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use date::PartialDate;
pub use names::{Form, NameForms};

/// Whether `id` is a valid person id: 1–32 of `0-9 A-Z a-z -` (the contract
/// of DESIGN.md; ids are part of every person's permanent URL).
pub fn is_valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Free text of a record. Places, charges, sources, bodies and occupations
/// repeat across thousands of rows (every row of a list names the same
/// source), so equal texts share one allocation: see [`Interner`].
pub type Text = Arc<str>;

/// Gives equal texts one shared allocation.
#[derive(Default)]
pub struct Interner {
    seen: HashSet<Arc<str>>,
}

thread_local! {
    /// The interner of texts read back from a saved site ([`interning`]).
    static READING: RefCell<Option<Interner>> = const { RefCell::new(None) };
}

/// Runs `read` with equal texts deserialized into one shared allocation,
/// as the loaders share them (see [`text`]).
pub fn interning<T>(read: impl FnOnce() -> T) -> T {
    let previous = READING.with(|r| r.replace(Some(Interner::default())));
    let value = read();
    READING.with(|r| *r.borrow_mut() = previous);
    value
}

/// Serde for [`Text`]: written as a string, read back shared through the
/// interner of [`interning`] (a new allocation outside it).
pub mod text {
    use super::{Text, READING};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(text: &Text, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let s = <&str>::deserialize(d)?;
        Ok(READING.with(|r| match r.borrow_mut().as_mut() {
            Some(interner) => interner.intern(s),
            None => Text::from(s),
        }))
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Text {
        if let Some(t) = self.seen.get(s) {
            return t.clone();
        }
        let t: Arc<str> = Arc::from(s);
        self.seen.insert(t.clone());
        t
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[default]
    Unknown,
    Male,
    Female,
}

/// A name in three parts. Empty parts are unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    pub surname: String,
    pub given: String,
    pub patronymic: String,
}

impl Name {
    pub fn is_empty(&self) -> bool {
        self.surname.is_empty() && self.given.is_empty() && self.patronymic.is_empty()
    }
}

/// One repression episode of a person: one CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Case {
    #[serde(with = "text")]
    pub occupation: Text,
    #[serde(with = "text")]
    pub residence: Text,
    pub region: u16,
    #[serde(with = "text")]
    pub district: Text,
    pub arrest_date: Option<PartialDate>,
    #[serde(with = "text")]
    pub charge: Text,
    pub sentenced_by: Option<u16>,
    pub sentence_date: Option<PartialDate>,
    pub sentence: Option<u16>,
    pub sentence_years: Option<u16>,
    pub fate: Option<u16>,
    pub rehabilitation_date: Option<PartialDate>,
    #[serde(with = "text")]
    pub rehabilitated_by: Text,
    #[serde(with = "text")]
    pub archive: Text,
    /// Editors' notes on this case's record, apart from the archive citation.
    #[serde(with = "text")]
    pub note: Text,
    #[serde(with = "text")]
    pub source: Text,
    pub status: u16,
}

impl Case {
    /// The date that places the case in time, for ordering a person's cases.
    pub fn first_date(&self) -> Option<PartialDate> {
        self.arrest_date.or(self.sentence_date).or(self.rehabilitation_date)
    }
}

/// A person with every case, as the records give them.
#[derive(Debug, Clone, Default, Hash, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    /// The name as written in the archive record.
    pub archive_name: Name,
    pub kk_name: Name,
    pub en_name: Name,
    pub name_variants: Vec<String>,
    pub sex: Sex,
    pub birth_date: Option<PartialDate>,
    #[serde(with = "text")]
    pub birth_place: Text,
    #[serde(with = "text")]
    pub nationality: Text,
    pub death_date: Option<PartialDate>,
    #[serde(with = "text")]
    pub death_place: Text,
    pub cases: Vec<Case>,
}
