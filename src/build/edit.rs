//! Record edits applied to the site in memory, for the warm builder
//! (`esim serve`): an edited record file is read again on its own, and the
//! people it holds replace their old records in place — moved within their
//! regions' indexes rather than every index sorted again — so that a
//! corrected date or surname costs the reading of one file and the pages it
//! changes, not the loading of the whole site.
//!
//! Only an edit that keeps the site's shape is applied here: the same record
//! files, the same people in each, each in the same regions (so the same
//! pages), withdrawn records as they were, and the rows of people whose rows
//! are in several files as they were. Anything else — a person added,
//! removed or moved to another file or region — is left to the full load
//! ([`super::build`]), which checks what spans files (ids, the ledger,
//! redirects).

use std::collections::HashSet;
use std::path::PathBuf;

use super::{Error, Options};
use crate::diagnostics::Diagnostics;
use crate::model::Person;
use crate::site::Site;
use crate::util::hash::fingerprint;
use crate::{ledger, records};

/// An edited record: the index of the person in [`Site::people`] and the
/// record as the file now gives it.
pub(super) type RecordEdit = (usize, Person);

/// Reads the edited record files `changed` (paths among the site's record
/// files) again: the people whose record changed. Their problems are the
/// build's error. None when the edit is not one [`Site::replace_person`] can
/// apply (see the module's comment).
pub(super) fn read_records(
    site: &Site,
    options: &Options,
    changed: &[PathBuf],
) -> Option<Result<Vec<RecordEdit>, Error>> {
    let origins = &site.origins;
    let which: Vec<usize> = changed
        .iter()
        .map(|path| origins.files.iter().position(|f| f == path).filter(|_| path.is_file()))
        .collect::<Option<_>>()?;
    let reloaded =
        records::reload(&origins.files, &which, &site.regions, &site.vocabulary, &|id| origins.shared.contains_key(id));
    let in_files = |file: u32| which.contains(&(file as usize));
    if !same_people(site, &reloaded, &in_files) {
        return None;
    }
    if !reloaded.diags.is_empty() {
        return Some(Err(Error::Invalid(reloaded.diags.into_sorted())));
    }
    // The people published from these files, and the withdrawn ones.
    let before: Vec<usize> = (0..site.people.len()).filter(|&i| in_files(origins.file_of[i])).collect();
    let withdrawn_before: HashSet<&str> =
        origins.withdrawn.iter().filter(|(_, f)| in_files(**f)).map(|(id, _)| id.as_str()).collect();
    let mut published = Vec::with_capacity(before.len());
    let mut withdrawn_now = HashSet::new();
    for person in reloaded.people {
        match site.withdrawn.iter().find(|w| w.id == person.id) {
            // A withdrawn record stays out of the site; its identity is the
            // ledger's mark, and a change of it is for the full load to judge.
            Some(w) if w.identity.as_deref() == Some(ledger::identity(&person).as_str()) => {
                withdrawn_now.insert(w.id.as_str());
            }
            Some(_) => return None,
            None => published.push(person),
        }
    }
    if withdrawn_now != withdrawn_before || published.len() != before.len() {
        return None;
    }
    // Both lists are sorted by id: the same people pair up in order.
    let mut edits = Vec::new();
    for (&i, person) in before.iter().zip(published) {
        if site.people[i].id != person.id || !site.same_regions(i, &person) {
            return None;
        }
        if fingerprint(&site.people[i]) != fingerprint(&person) {
            edits.push((i, person));
        }
    }
    let mut diags = Diagnostics::new();
    let ledger_path = options.root.join("data").join(ledger::FILE);
    ledger::check_identities(&ledger_path, &site.published, edits.iter().map(|(_, p)| p), &mut diags);
    if !diags.is_empty() {
        return Some(Err(Error::Invalid(diags.into_sorted())));
    }
    Some(Ok(edits))
}

/// Whether the files read again hold the people they held: each row's id one
/// of these files' own people (published or withdrawn), or one of the people
/// of several files with their rows here as they were — and all of those
/// rows still here. A person whose rows came from or went to another file is
/// for the full load.
fn same_people(site: &Site, reloaded: &records::Reloaded, in_files: &dyn Fn(u32) -> bool) -> bool {
    let origins = &site.origins;
    let shared_before = origins.shared.values().flatten().filter(|(f, _)| in_files(*f)).count();
    let mut shared_now = 0;
    for ((file, id), fp) in &reloaded.rows {
        if let Some(rows) = origins.shared.get(id) {
            if !rows.contains(&(*file, *fp)) {
                return false;
            }
            shared_now += 1;
            continue;
        }
        let own = match site.people.binary_search_by(|p| p.id.as_str().cmp(id)) {
            Ok(i) => in_files(origins.file_of[i]),
            Err(_) => origins.withdrawn.get(id).is_some_and(|f| in_files(*f)),
        };
        if !own {
            return false;
        }
    }
    shared_now == shared_before
}
