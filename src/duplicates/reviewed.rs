//! `data/not-duplicates.csv` (`id_a,id_b[,note]`): pairs an editor reviewed and
//! found to be two people. They are not reported again, in either order. A
//! malformed line is an error; an id without a record is a warning (the record
//! may have been merged or renamed since the review, which leaves the line
//! harmless).

use std::collections::HashSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::records;

/// The file, under the site's `data/`.
pub const FILE: &str = "not-duplicates.csv";

/// The reviewed pairs, each as (smaller id, larger id).
#[derive(Debug, Default)]
pub struct Reviewed {
    pub pairs: HashSet<(String, String)>,
}

impl Reviewed {
    pub fn contains(&self, a: &str, b: &str) -> bool {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        !self.pairs.is_empty() && self.pairs.contains(&(a.to_string(), b.to_string()))
    }
}

/// Reads the reviewed pairs; `ids` are the ids of the records. Errors go to
/// `errors`, unknown ids to `warnings`. A missing file is no review yet.
pub fn load(path: &Path, ids: &HashSet<&str>, errors: &mut Diagnostics, warnings: &mut Vec<Diagnostic>) -> Reviewed {
    let mut reviewed = Reviewed::default();
    let Some(bytes) = records::read_optional_table(path, errors) else { return reviewed };
    let mut reader = records::table_reader(&bytes);
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                errors.error(path, line, 1, format!("cannot parse CSV: {e}"));
                break;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(i + 1);
        let fields: Vec<&str> = record.iter().collect();
        // The column of each field: 1, then after each previous field and its comma.
        let col = |n: usize| 1 + fields[..n].iter().map(|f| f.chars().count() + 1).sum::<usize>();
        if i == 0 {
            let names: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
            if names != ["id_a", "id_b"] && names != ["id_a", "id_b", "note"] {
                let found = fields.join(",");
                errors.error(path, line, 1, format!("the header must be id_a,id_b,note (found {found})"));
                return reviewed;
            }
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if !(2..=3).contains(&fields.len()) {
            let message = format!("expected id_a,id_b and an optional note, found {} fields", fields.len());
            errors.error(path, line, 1, message);
            continue;
        }
        let (a, b) = (fields[0].trim(), fields[1].trim());
        let mut ok = true;
        for (n, id) in [(0, a), (1, b)] {
            if !records::is_valid_id(id) {
                errors.error(path, line, col(n), format!("{id:?} is not a valid person id"));
                ok = false;
            } else if !ids.contains(id) {
                warnings.push(Diagnostic::new(
                    path,
                    line,
                    col(n),
                    format!("warning: {id} has no record (merged, withdrawn or mistyped?); the line is ignored"),
                ));
            }
        }
        if ok && a == b {
            errors.error(path, line, col(1), format!("{a} is paired with itself"));
            continue;
        }
        if ok {
            let key = if a <= b { (a, b) } else { (b, a) };
            reviewed.pairs.insert((key.0.to_string(), key.1.to_string()));
        }
    }
    reviewed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Reviewed, Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, text).unwrap();
        let ids: HashSet<&str> = ["a1", "b2", "c3"].into_iter().collect();
        let (mut errors, mut warnings) = (Diagnostics::new(), Vec::new());
        let reviewed = load(&path, &ids, &mut errors, &mut warnings);
        let show = |d: &Diagnostic| format!("{}:{}: {}", d.line, d.column, d.message);
        (reviewed, errors.into_sorted().iter().map(show).collect(), warnings.iter().map(show).collect())
    }

    #[test]
    fn pairs_in_either_order() {
        let (r, errors, warnings) = run("id_a,id_b,note\nb2,a1,two brothers\nc3,a1\n\n");
        assert!(errors.is_empty() && warnings.is_empty(), "{errors:?} {warnings:?}");
        assert!(r.contains("a1", "b2") && r.contains("b2", "a1") && r.contains("a1", "c3"));
        assert!(!r.contains("b2", "c3"));
    }

    #[test]
    fn malformed_lines_are_errors_unknown_ids_warnings() {
        let (_, errors, warnings) = run("id_a,id_b\na1\na 1,b2\na1,a1\na1,zz9\na1,b2,x,y\n");
        assert!(errors.iter().any(|e| e.starts_with("2:") && e.contains("found 1 fields")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("3:1:") && e.contains("\"a 1\" is not a valid")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("4:4:") && e.contains("paired with itself")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("6:") && e.contains("found 4 fields")), "{errors:?}");
        assert_eq!(
            warnings,
            vec!["5:4: warning: zz9 has no record (merged, withdrawn or mistyped?); the line is ignored"]
        );
        let (_, errors, _) = run("a,b\n");
        assert!(errors.iter().any(|e| e.starts_with("1:1:") && e.contains("id_a,id_b,note")), "{errors:?}");
    }
}
