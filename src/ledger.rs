//! The ledger of published pages, `data/published.txt`: one person id per line,
//! sorted, committed with the site's data. Every build adds the ids it
//! published; a build in which a previously published id has neither a record
//! nor a redirect fails, naming the id — a page, once published, never
//! disappears.

use std::collections::HashSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

pub const FILE: &str = "published.txt";

/// The ids of the ledger with their line numbers; a missing file is empty.
pub fn load(path: &Path, diags: &mut Diagnostics) -> Vec<(String, usize)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read the ledger of published pages: {e}")));
            return Vec::new();
        }
    };
    let mut ids = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let id = line.trim();
        if id.is_empty() || id.starts_with('#') {
            continue;
        }
        if !crate::records::is_valid_id(id) {
            diags.error(path, i + 1, 1, format!("{id:?} is not a valid person id"));
            continue;
        }
        ids.push((id.to_string(), i + 1));
    }
    ids
}

/// Every published id must still have a page: its record, or a redirect.
pub fn check(
    path: &Path,
    published: &[(String, usize)],
    people: &HashSet<&str>,
    redirected: &HashSet<&str>,
    diags: &mut Diagnostics,
) {
    for (id, line) in published {
        if !people.contains(id.as_str()) && !redirected.contains(id.as_str()) {
            diags.error(
                path,
                *line,
                1,
                format!("person {id} was published but has no record and no redirect now: restore the record, or add `{id},<surviving id>` to data/redirects.csv"),
            );
        }
    }
}

/// The ledger after a build: what it had plus every id published now, sorted.
pub fn updated<'a>(published: &'a [(String, usize)], now: impl Iterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = published.iter().map(|(id, _)| id.as_str()).chain(now).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut text = String::with_capacity(ids.len() * 12);
    for id in ids {
        text.push_str(id);
        text.push('\n');
    }
    text
}
