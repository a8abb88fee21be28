//! `data/withdrawn.csv` (`id,date,reason`): published people whose record
//! came down (at the family's request, an erroneous record, a duplicate
//! without a merge target, a legal requirement). Their URLs keep answering
//! with a withdrawal page; every list, index, search shard, open-data file and
//! sitemap leaves them out. Removing the line lifts the withdrawal.
//!
//! The record may stay in `data/records/` (then lifting restores the person
//! exactly as they were) or be removed (when even the repository must not
//! keep it); the ledger keeps the id either way (see [`crate::ledger`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::PartialDate;
use crate::reference::Vocabulary;

use super::redirects::Redirect;

/// One withdrawn person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Withdrawal {
    pub id: String,
    /// The day the record was withdrawn.
    pub date: PartialDate,
    /// The reason: an index into the vocabulary's `[withdrawal]` table.
    pub reason: u16,
    /// Its line in `data/withdrawn.csv`.
    pub line: usize,
    /// Who the withdrawn record is ([`crate::ledger::identity`]), for the
    /// ledger's mark; None when the record was removed from data/records/.
    pub identity: Option<String>,
}

const HEADER: [&str; 3] = ["id", "date", "reason"];

/// Reads the withdrawals, each checked on its own (ids, dates, reasons); a
/// missing file withdraws no one.
pub fn load(path: &Path, vocabulary: &Vocabulary, diags: &mut Diagnostics) -> Vec<Withdrawal> {
    let Some(bytes) = super::read_optional_table(path, diags) else { return Vec::new() };
    let mut reader = super::table_reader(&bytes);
    let mut list: Vec<Withdrawal> = Vec::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
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
        let fields: Vec<&str> = record.iter().collect();
        if i == 0 {
            if fields.iter().map(|f| f.trim()).ne(HEADER) {
                diags.error(
                    path,
                    line,
                    1,
                    format!("the header must be exactly id,date,reason (found {})", fields.join(",")),
                );
                return Vec::new();
            }
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.len() != 3 {
            diags.error(path, line, 1, format!("expected 3 fields (id,date,reason), found {}", fields.len()));
            continue;
        }
        let Some(w) = parse_row(path, line, &fields, vocabulary, diags) else { continue };
        if let Some(first) = lines.insert(w.id.clone(), line) {
            diags.error(path, line, 1, format!("{} is already withdrawn on line {first}", w.id));
            continue;
        }
        list.push(w);
    }
    list
}

/// One row, or None after reporting what is wrong with it.
fn parse_row(
    path: &Path,
    line: usize,
    fields: &[&str],
    vocabulary: &Vocabulary,
    diags: &mut Diagnostics,
) -> Option<Withdrawal> {
    // The column of each field: 1, then after each previous field and its comma.
    let col = |n: usize| 1 + fields[..n].iter().map(|f| f.chars().count() + 1).sum::<usize>();
    let (id, date, reason) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
    let mut ok = true;
    if !super::is_valid_id(id) {
        diags.error(path, line, col(0), format!("{id:?} is not a valid person id"));
        ok = false;
    }
    let date = match PartialDate::parse(date) {
        Ok(d) if d.day != 0 && !d.approximate => Some(d),
        Ok(_) => {
            diags.error(path, line, col(1), format!("{date:?}: the date of a withdrawal is a whole date, YYYY-MM-DD"));
            None
        }
        Err(e) => {
            diags.error(path, line, col(1), e);
            None
        }
    };
    let reason = vocabulary.withdrawal.index_of(reason);
    if reason.is_none() {
        let codes = vocabulary.withdrawal.codes();
        let message = if codes.is_empty() {
            format!("{:?}: data/vocabulary.toml has no [withdrawal] table of reasons", fields[2].trim())
        } else {
            format!("{:?} is not a reason of withdrawal: expected one of {}", fields[2].trim(), codes.join(", "))
        };
        diags.error(path, line, col(2), message);
    }
    match (ok, date, reason) {
        (true, Some(date), Some(reason)) => Some(Withdrawal { id: id.to_string(), date, reason, line, identity: None }),
        _ => None,
    }
}

/// Checks the withdrawals against the records, the ledger and the redirects:
/// a withdrawn id is a person with a record or one published before (a
/// mistyped id withdraws nobody), and neither a merged record nor the target
/// of one (a redirect must lead to a person's page).
pub fn check(
    path: &Path,
    list: &[Withdrawal],
    records: &HashSet<&str>,
    published: &HashSet<&str>,
    redirects: &[Redirect],
    diags: &mut Diagnostics,
) {
    let withdrawn: HashMap<&str, usize> = list.iter().map(|w| (w.id.as_str(), w.line)).collect();
    for w in list {
        if !records.contains(w.id.as_str()) && !published.contains(w.id.as_str()) {
            diags.error(
                path,
                w.line,
                1,
                format!(
                    "{} has no record and was never published: there is nothing to withdraw (a mistyped id?)",
                    w.id
                ),
            );
        }
    }
    for r in redirects {
        if let Some(line) = withdrawn.get(r.from.as_str()) {
            diags.error(path, *line, 1, format!("{} is merged into {} (data/redirects.csv): its page forwards there, so it cannot be withdrawn; remove the redirect first", r.from, r.to));
        }
        if let Some(line) = withdrawn.get(r.to.as_str()) {
            diags.error(path, *line, 1, format!("{} is the surviving record of {} (data/redirects.csv): a redirect must lead to a person's page; point it elsewhere or withdraw {} as well", r.to, r.from, r.from));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocabulary.toml");
        std::fs::write(
            &path,
            "[status.verified]\nen = \"V\"\n[status.unverified]\nen = \"U\"\n[status.disputed]\nen = \"D\"\n[withdrawal.erroneous]\nen = \"Erroneous\"\n[withdrawal.legal]\nen = \"Legal\"\n",
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let v = crate::reference::load_vocabulary(&path, &["en".to_string()], &mut diags);
        assert!(diags.is_empty());
        v
    }

    fn run(text: &str) -> (Vec<Withdrawal>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("withdrawn.csv");
        std::fs::write(&path, text).unwrap();
        let mut diags = Diagnostics::new();
        let list = load(&path, &vocabulary(), &mut diags);
        let messages =
            diags.into_sorted().into_iter().map(|d| format!("{}:{}: {}", d.line, d.column, d.message)).collect();
        (list, messages)
    }

    #[test]
    fn reads_withdrawals() {
        let (list, errors) = run("id,date,reason\np1,2026-03-05,legal\n\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].id.as_str(), list[0].date.iso(), list[0].reason, list[0].line),
            ("p1", "2026-03-05".into(), 1, 2)
        );
    }

    #[test]
    fn every_bad_cell_is_named_with_its_column() {
        let (list, errors) = run(
            "id,date,reason\np 1,2026-03,legal\np2,2026-13-01,nope\np3,2026-01-01,erroneous\np3,2026-01-02,legal\n",
        );
        assert_eq!(list.len(), 1, "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("2:1:") && e.contains("not a valid person id")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("2:5:") && e.contains("whole date")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("3:4:") && e.contains("no month 13")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.starts_with("3:15:") && e.contains("expected one of erroneous, legal")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.starts_with("5:1:") && e.contains("already withdrawn on line 4")),
            "{errors:?}"
        );
        let (_, errors) = run("id,when,reason\n");
        assert!(errors.iter().any(|e| e.starts_with("1:1:") && e.contains("exactly id,date,reason")), "{errors:?}");
    }
}
