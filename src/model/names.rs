//! A person's name forms per language: computed here and nowhere else.
//!
//! A person's name exists in up to three written forms: the archive form (as the
//! record has it, usually Russian Cyrillic), the Kazakh form, and the English form.
//! Each page language shows one of them, filling a missing part from the next form:
//! Kazakh pages the Kazakh form, else the archive form; English pages the English
//! form, else the Kazakh or archive form romanized; other languages the archive
//! form.

use super::{Name, Person};
use crate::names::romanize;

/// Which written form a page language shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Archive,
    Kazakh,
    Latin,
}

impl Form {
    pub fn for_language(lang: &str) -> Form {
        match lang {
            "kk" => Form::Kazakh,
            "en" => Form::Latin,
            _ => Form::Archive,
        }
    }
}

fn pick(preferred: &str, fallback: &str) -> String {
    if preferred.is_empty() { fallback } else { preferred }.to_string()
}

/// The Kazakh form, each missing part taken from the archive form.
pub fn kazakh(p: &Person) -> Name {
    let (k, a) = (&p.kk_name, &p.archive_name);
    Name {
        surname: pick(&k.surname, &a.surname),
        given: pick(&k.given, &a.given),
        patronymic: pick(&k.patronymic, &a.patronymic),
    }
}

/// The Latin form: the English columns, else the Kazakh (preferred, as the
/// family's own spelling) or archive part romanized.
pub fn latin(p: &Person) -> Name {
    let part = |en: &str, kk: &str, archive: &str| -> String {
        if !en.is_empty() {
            en.to_string()
        } else if !kk.is_empty() {
            romanize::romanize(kk)
        } else {
            romanize::romanize(archive)
        }
    };
    let (e, k, a) = (&p.en_name, &p.kk_name, &p.archive_name);
    Name {
        surname: part(&e.surname, &k.surname, &a.surname),
        given: part(&e.given, &k.given, &a.given),
        patronymic: part(&e.patronymic, &k.patronymic, &a.patronymic),
    }
}

pub fn form(p: &Person, form: Form) -> Name {
    match form {
        Form::Archive => p.archive_name.clone(),
        Form::Kazakh => kazakh(p),
        Form::Latin => latin(p),
    }
}

/// A person's full name in each written form, as headings show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameForms {
    pub archive: String,
    pub kazakh: String,
    pub latin: String,
}

impl Person {
    /// The name in a written form, each missing part filled (see [`form`]).
    pub fn name_in(&self, f: Form) -> Name {
        form(self, f)
    }

    /// The full name in every written form.
    pub fn name_forms(&self) -> NameForms {
        NameForms {
            archive: full(&self.archive_name, Form::Archive),
            kazakh: full(&kazakh(self), Form::Kazakh),
            latin: full(&latin(self), Form::Latin),
        }
    }
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// The name as a heading in that form: "Surname Given Patronymic" for Cyrillic
/// forms (the archive and Kazakh order), "Given Patronymic Surname" in Latin.
pub fn full(name: &Name, form: Form) -> String {
    match form {
        Form::Latin => join(&[&name.given, &name.patronymic, &name.surname]),
        _ => join(&[&name.surname, &name.given, &name.patronymic]),
    }
}

/// The name as listed in an index: "Surname, Given Patronymic" in Latin,
/// "Surname Given Patronymic" in Cyrillic.
pub fn inverted(name: &Name, form: Form) -> String {
    let rest = join(&[&name.given, &name.patronymic]);
    match form {
        Form::Latin if !rest.is_empty() => format!("{}, {rest}", name.surname),
        _ => join(&[&name.surname, &rest]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Person {
        Person {
            archive_name: Name {
                surname: "Байтурсынов".into(), given: "Ахмет".into(), patronymic: String::new()
            },
            kk_name: Name { surname: "Байтұрсынұлы".into(), ..Name::default() },
            ..Person::default()
        }
    }

    #[test]
    fn forms_fill_missing_parts() {
        let p = person();
        assert_eq!(full(&form(&p, Form::Kazakh), Form::Kazakh), "Байтұрсынұлы Ахмет");
        assert_eq!(full(&form(&p, Form::Archive), Form::Archive), "Байтурсынов Ахмет");
        assert_eq!(full(&form(&p, Form::Latin), Form::Latin), "Akhmet Baitursynuly");
        assert_eq!(inverted(&form(&p, Form::Latin), Form::Latin), "Baitursynuly, Akhmet");
    }

    #[test]
    fn english_columns_win() {
        let mut p = person();
        p.en_name.surname = "Baitursynov".into();
        assert_eq!(full(&latin(&p), Form::Latin), "Akhmet Baitursynov");
    }
}
