//! Record files read again after an edit (for a long-running build: see
//! `build/edit.rs`), and what lets it tell which people an edit of one file
//! changed: each file's rows of the people whose rows are in several files,
//! by fingerprint.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{group, read_file, FileRows, Row, Sources, Table};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Person;
use crate::reference::{Regions, Vocabulary};

/// What [`reload`] read: the people the files hold, the fingerprint of each
/// (file, id)'s rows (as in [`super::Records::shared`]), and the problems.
pub struct Reloaded {
    pub people: Vec<Person>,
    pub rows: HashMap<(u32, String), u64>,
    pub diags: Diagnostics,
}

/// Reads some of the record files `files` again (`which`: their indexes) after
/// an edit: the people they hold, sorted by id, as [`super::load`] gives them, and
/// their problems. The people `partial` names, whose rows are also in files
/// not read again, are left out (their row fingerprints tell whether their
/// rows here changed); so is every check across files (an id in two files):
/// the caller knows which ids belong where.
pub fn reload(
    files: &[PathBuf],
    which: &[usize],
    regions: &Regions,
    vocabulary: &Vocabulary,
    partial: &(dyn Fn(&str) -> bool + Sync),
) -> Reloaded {
    let parsed: Vec<FileRows> = which.par_iter().map(|&i| read_file(i, &files[i], regions, vocabulary)).collect();
    let mut diags = Diagnostics::new();
    let mut rows = Vec::new();
    // Rows point at their tables by file index: files not read have none.
    let mut tables: Vec<Vec<Table>> = files.iter().map(|_| Vec::new()).collect();
    for (file, &i) in parsed.into_iter().zip(which) {
        // A file refused, or rows rejected, is an error: its own problems say
        // why (this one only stands in should they not).
        if (file.refused || !file.rejected_ids.is_empty()) && file.diags.is_empty() {
            diags.push(Diagnostic::file(&files[i], "the file could not be read whole"));
        }
        diags.extend(file.diags);
        rows.push(file.rows);
        tables[i] = file.tables;
    }
    let fingerprints = row_fingerprints(&rows, |_| true);
    let rows = rows.into_iter().map(|file| file.into_iter().filter(|r| !partial(&r.id)).collect()).collect();
    let (people, _, _) = group(rows, &Sources { files, tables: &tables }, &mut diags);
    Reloaded { people, rows: fingerprints, diags }
}

/// The fingerprint of each (file, id)'s rows, of the ids `wanted` picks: what
/// the rows say (not where they are in the file), in file order.
fn row_fingerprints(rows: &[Vec<Row>], wanted: impl Fn(&str) -> bool) -> HashMap<(u32, String), u64> {
    let mut hashes: HashMap<(u32, String), Vec<u64>> = HashMap::new();
    for row in rows.iter().flatten().filter(|r| wanted(&r.id)) {
        let hash = crate::util::hash::fingerprint(&(&row.id, &row.person_fields, &row.case));
        hashes.entry((row.origin.file as u32, row.id.clone())).or_default().push(hash);
    }
    hashes.into_iter().map(|(key, list)| (key, crate::util::hash::fingerprint(&list))).collect()
}

/// [`Records::shared`]: the row fingerprints of the people whose rows are in
/// several files.
pub(super) fn shared_rows(rows: &[Vec<Row>]) -> HashMap<String, Vec<(u32, u64)>> {
    let mut files: FxHashMap<&str, u32> = FxHashMap::default();
    let mut shared: FxHashSet<&str> = FxHashSet::default();
    for row in rows.iter().flatten() {
        let file = row.origin.file as u32;
        if *files.entry(row.id.as_str()).or_insert(file) != file {
            shared.insert(row.id.as_str());
        }
    }
    let mut out: HashMap<String, Vec<(u32, u64)>> = HashMap::new();
    for ((file, id), fp) in row_fingerprints(rows, |id| shared.contains(id)) {
        out.entry(id).or_default().push((file, fp));
    }
    out.values_mut().for_each(|list| list.sort_unstable());
    out
}
