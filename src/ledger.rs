//! The ledger of published pages, `data/published.txt`: one person id per line,
//! sorted, committed with the site's data. Every build adds the ids it
//! published; a build in which a previously published id has neither a record
//! nor a redirect fails, naming the id — a page, once published, never
//! disappears.
//!
//! A withdrawn person (`data/withdrawn.csv`) stays in the ledger, marked
//! `<id> withdrawn <identity>`: the mark stays when the withdrawal is lifted,
//! and the identity (a hash of the archive surname and given name, see
//! [`identity`]) lets no later record take the id for someone else.

use std::collections::{BTreeMap, HashSet};
use std::hash::Hasher;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Person;
use crate::util::hash::Fnv64;

pub const FILE: &str = "published.txt";

const WITHDRAWN: &str = "withdrawn";

/// The ledger as a build found it.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Every published id with its line.
    pub ids: Vec<(String, usize)>,
    /// Ids ever withdrawn: their line and the identity of the person withdrawn
    /// (None when the record was already removed from data/records/).
    pub withdrawn: BTreeMap<String, (usize, Option<String>)>,
}

/// The ids of the ledger with their line numbers; a missing file is empty.
pub fn load(path: &Path, diags: &mut Diagnostics) -> Ledger {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ledger::default(),
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read the ledger of published pages: {e}")));
            return Ledger::default();
        }
    };
    let mut ledger = Ledger::default();
    for (i, line) in text.lines().enumerate() {
        let mut words = line.split_whitespace();
        let Some(id) = words.next().filter(|w| !w.starts_with('#')) else { continue };
        if !crate::model::is_valid_id(id) {
            diags.error(path, i + 1, 1, format!("{id:?} is not a valid person id"));
            continue;
        }
        match (words.next(), words.next(), words.next()) {
            (None, ..) => {}
            (Some(WITHDRAWN), identity, None) => {
                ledger.withdrawn.insert(id.to_string(), (i + 1, identity.map(str::to_string)));
            }
            _ => {
                let col = line.find(char::is_whitespace).unwrap_or(0) + 1;
                diags.error(path, i + 1, col, format!("expected an id alone, or `{id} {WITHDRAWN} <identity>`"));
            }
        }
        ledger.ids.push((id.to_string(), i + 1));
    }
    ledger
}

/// Who a record is, for the mark of a withdrawn id: a hash of the archive
/// surname and given name (lowercase, spaces collapsed), so that the ledger,
/// committed and perhaps public, never spells the name of a person whose
/// record came down. FNV-1a: its values must not change between versions.
pub fn identity(person: &Person) -> String {
    let mut h = Fnv64::default();
    for part in [&person.archive_name.surname, &person.archive_name.given] {
        let words: Vec<String> = part.split_whitespace().map(str::to_lowercase).collect();
        h.write(words.join(" ").as_bytes());
        h.write(&[0x1f]);
    }
    format!("{:016x}", h.finish())
}

/// A record whose id the ledger marks withdrawn must be the person withdrawn:
/// an id is never reused for someone else.
pub fn check_identities<'a>(
    path: &Path,
    ledger: &Ledger,
    people: impl Iterator<Item = &'a Person>,
    diags: &mut Diagnostics,
) {
    for person in people {
        let Some((line, mark)) = ledger.withdrawn.get(&person.id) else { continue };
        let now = identity(person);
        let problem = match mark {
            Some(m) if *m == now => continue,
            Some(_) => "was withdrawn under another name",
            None => {
                "was withdrawn after its record was removed, so esim cannot tell whether this record is the same person"
            }
        };
        diags.error(
            path,
            *line,
            1,
            format!(
                "person {} {problem}: a withdrawn id is never given to someone else, so give this record a new id; if it is the same person (a corrected spelling, a restored record), replace line {line} with `{} {WITHDRAWN} {now}`",
                person.id, person.id
            ),
        );
    }
}

/// A ledger that is missing although `previous_site` (the output directory,
/// when it holds a site esim built with person pages) exists was lost
/// (deleted, not checked out): a build that writes the ledger would silently
/// start a new one and no longer notice pages that disappear. Only a first
/// build, with no such site, starts the ledger. Builds that do not write the
/// ledger (previews) cannot lose the guard.
pub fn check_present(path: &Path, previous_site: Option<&Path>, writes_ledger: bool, diags: &mut Diagnostics) {
    let Some(output) = previous_site else { return };
    if !writes_ledger || path.exists() {
        return;
    }
    diags.error(
        path,
        1,
        1,
        format!(
            "the ledger of published pages is missing, but {} holds a built site with person pages: restore data/{FILE} (e.g. git checkout data/{FILE}), or a page that disappears would go unnoticed; if that site was never made public, remove the directory and build again",
            output.display()
        ),
    );
}

/// Every published id must still have a page: its record, a redirect, or a
/// withdrawal (`people` holds the ids of records and of withdrawals).
pub fn check(
    path: &Path,
    published: &Ledger,
    people: &HashSet<&str>,
    redirected: &HashSet<&str>,
    diags: &mut Diagnostics,
) {
    for (id, line) in &published.ids {
        if !people.contains(id.as_str()) && !redirected.contains(id.as_str()) {
            diags.error(
                path,
                *line,
                1,
                format!("person {id} was published but has no record and no redirect now: restore the record, add `{id},<surviving id>` to data/redirects.csv, or withdraw it in data/withdrawn.csv"),
            );
        }
    }
}

/// The ledger after a build: what it had plus every id published now, sorted,
/// with the marks it had and those of the ids `withdrawn` now (each with the
/// identity of its record, when there is one).
pub fn updated<'a>(
    ledger: &'a Ledger,
    now: impl Iterator<Item = &'a str>,
    withdrawn: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> String {
    let mut marks: BTreeMap<&str, Option<&str>> =
        ledger.withdrawn.iter().map(|(id, (_, mark))| (id.as_str(), mark.as_deref())).collect();
    for (id, identity) in withdrawn {
        marks.entry(id).or_insert(identity);
    }
    let mut ids: Vec<&str> =
        ledger.ids.iter().map(|(id, _)| id.as_str()).chain(now).chain(marks.keys().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut text = String::with_capacity(ids.len() * 12);
    for id in ids {
        text.push_str(id);
        if let Some(mark) = marks.get(id) {
            text.push(' ');
            text.push_str(WITHDRAWN);
            if let Some(identity) = mark {
                text.push(' ');
                text.push_str(identity);
            }
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> (Ledger, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, text).unwrap();
        let mut diags = Diagnostics::new();
        let ledger = load(&path, &mut diags);
        let messages =
            diags.into_sorted().into_iter().map(|d| format!("{}:{}: {}", d.line, d.column, d.message)).collect();
        (ledger, messages)
    }

    #[test]
    fn withdrawal_marks_are_read_kept_and_added() {
        let (ledger, errors) = load_text("a1\nb2 withdrawn 00ff00ff00ff00ff\nc3 withdrawn\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ledger.ids.len(), 3);
        assert_eq!(ledger.withdrawn["b2"], (2, Some("00ff00ff00ff00ff".to_string())));
        assert_eq!(ledger.withdrawn["c3"], (3, None));
        let text = updated(&ledger, ["d4", "a1"].into_iter(), [("a1", Some("1234")), ("b2", Some("ffff"))].into_iter());
        assert_eq!(text, "a1 withdrawn 1234\nb2 withdrawn 00ff00ff00ff00ff\nc3 withdrawn\nd4\n", "old marks win");
    }

    #[test]
    fn a_malformed_line_is_named() {
        let (_, errors) = load_text("a1\nb2 gone\n");
        assert_eq!(errors, ["2:3: expected an id alone, or `b2 withdrawn <identity>`"]);
    }

    #[test]
    fn the_identity_ignores_case_and_spacing_but_not_the_name() {
        let person = |surname: &str, given: &str| Person {
            archive_name: crate::model::Name {
                surname: surname.into(),
                given: given.into(),
                patronymic: String::new(),
            },
            ..Person::default()
        };
        assert_eq!(identity(&person("Петров", "Иван")), identity(&person(" ПЕТРОВ ", "иван")));
        assert_ne!(identity(&person("Петров", "Иван")), identity(&person("Петрова", "Иван")));
        assert_ne!(identity(&person("Петров", "Иван")), identity(&person("Петрови", "ван")));
    }
}
