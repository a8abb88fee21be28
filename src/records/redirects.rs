//! `data/redirects.csv` (`from,to`): a record merged into another keeps its URL,
//! which forwards to the surviving person. A `from` must no longer be a record, a
//! `to` must be one, and chains and cycles are errors (each old URL forwards in
//! one step, so hosts and families never follow a chain).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diagnostics::Diagnostics;

/// One merged record: `from` forwards to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
}

/// Reads the redirects; `people` are the ids of the current records. A missing
/// file means no redirects.
pub fn load(path: &Path, people: &HashSet<&str>, diags: &mut Diagnostics) -> Vec<Redirect> {
    let Some(bytes) = super::read_optional_table(path, diags) else { return Vec::new() };
    let mut reader = super::table_reader(&bytes);
    let mut list: Vec<(Redirect, usize)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                diags.error(path, line, 0, format!("cannot parse CSV: {e}"));
                return Vec::new();
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(i + 1);
        let fields: Vec<&str> = record.iter().map(str::trim).collect();
        if i == 0 {
            if fields != ["from", "to"] {
                diags.error(path, line, 1, format!("the header must be exactly from,to (found {})", fields.join(",")));
                return Vec::new();
            }
            continue;
        }
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if fields.len() != 2 {
            diags.error(path, line, 1, format!("expected 2 fields (from,to), found {}", fields.len()));
            continue;
        }
        let (from, to) = (fields[0], fields[1]);
        let mut ok = true;
        for (col, id) in [(1, from), (from.chars().count() + 2, to)] {
            if !super::is_valid_id(id) {
                diags.error(path, line, col, format!("{id:?} is not a valid person id"));
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        if people.contains(from) {
            diags.error(
                path,
                line,
                1,
                format!(
                    "{from} still has a record: a merged record must be removed from data/records/ when it redirects"
                ),
            );
        }
        if !people.contains(to) {
            diags.error(
                path,
                line,
                from.chars().count() + 2,
                format!("{to} has no record: a redirect must point at an existing person"),
            );
        }
        if let Some((_, first)) = list.iter().find(|(r, _)| r.from == from) {
            diags.error(path, line, 1, format!("{from} already redirects (line {first})"));
            continue;
        }
        list.push((Redirect { from: from.to_string(), to: to.to_string() }, line));
    }
    check_chains(path, &list, diags);
    list.into_iter().map(|(r, _)| r).collect()
}

/// A `to` that is itself a `from` makes a chain (or, followed far enough, a cycle).
fn check_chains(path: &Path, list: &[(Redirect, usize)], diags: &mut Diagnostics) {
    let next: HashMap<&str, &str> = list.iter().map(|(r, _)| (r.from.as_str(), r.to.as_str())).collect();
    for (r, line) in list {
        if !next.contains_key(r.to.as_str()) {
            continue;
        }
        let mut path_ids = vec![r.from.as_str()];
        let mut at = r.to.as_str();
        let cycle = loop {
            if path_ids.contains(&at) {
                path_ids.push(at);
                break true;
            }
            path_ids.push(at);
            match next.get(at) {
                Some(n) => at = n,
                None => break false,
            }
        };
        let shown = path_ids.join(" → ");
        let message = if cycle {
            format!("redirect cycle {shown}: a merged record must point at a person who has a page")
        } else {
            format!("redirect chain {shown}: point {} directly at {}", r.from, path_ids.last().expect("non-empty"))
        };
        diags.error(path, *line, 1, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, people: &[&str]) -> (Vec<Redirect>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("redirects.csv");
        std::fs::write(&path, text).unwrap();
        let mut diags = Diagnostics::new();
        let set: HashSet<&str> = people.iter().copied().collect();
        let list = load(&path, &set, &mut diags);
        let messages =
            diags.into_sorted().into_iter().map(|d| format!("{}:{}: {}", d.line, d.column, d.message)).collect();
        (list, messages)
    }

    #[test]
    fn accepts_merges_into_existing_people() {
        let (list, errors) = run("from,to\nold-1,new-1\n", &["new-1"]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(list, vec![Redirect { from: "old-1".into(), to: "new-1".into() }]);
    }

    #[test]
    fn rejects_chains_cycles_and_dangling_targets() {
        let (_, errors) = run("from,to\na,b\nb,c\n", &["c"]);
        assert!(errors.iter().any(|e| e.contains("chain a → b → c")), "{errors:?}");
        let (_, errors) = run("from,to\na,b\nb,a\n", &[]);
        assert!(errors.iter().any(|e| e.contains("cycle a → b → a")), "{errors:?}");
        let (_, errors) = run("from,to\na,zz\n", &["a"]);
        assert!(errors.iter().any(|e| e.starts_with("2:1:") && e.contains("still has a record")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("2:3:") && e.contains("zz has no record")), "{errors:?}");
    }
}
