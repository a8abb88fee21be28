//! Errors as values with a location. Every stage collects its problems into a
//! [`Diagnostics`] list instead of stopping at the first one, so that an editor sees
//! all of them in one run, each as `path:line:column: message` — or, in a
//! spreadsheet, `path: Sheet!F213: message`, the cell's address as the
//! spreadsheet program shows it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file. `line` and `column` are 1-based and always
/// known: a problem without a finer place (a whole file, a missing key) is at
/// 1:1, so that every message has the `path:line:column:` form editors and
/// tools jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The sheet of a spreadsheet the problem is in: then `line` is the row
    /// and `column` the column (A = 1) of a cell. None in a text file.
    pub sheet: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// A problem at `line` and `column`; 0 (not known) counts as 1.
    pub fn new(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            sheet: None,
            message: message.into(),
        }
    }

    /// A problem in the cell at `row` and `column` (both 1-based) of `sheet`.
    pub fn cell(path: &Path, sheet: &str, row: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { sheet: Some(sheet.to_string()), ..Self::new(path, row, column, message) }
    }

    /// A problem with a whole file (it could not be read, it is missing): at 1:1.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Self::new(path, 1, 1, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            None => write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.column, self.message),
            Some(sheet) => {
                write!(f, "{}: {}: {}", self.path.display(), cell_address(sheet, self.line, self.column), self.message)
            }
        }
    }
}

/// A cell's address as spreadsheet programs write it: `Лист1!F213`, the
/// sheet's name quoted when it holds more than letters, digits and `_`
/// (`'Sheet 1'!A2`), as a formula would need it.
pub fn cell_address(sheet: &str, row: usize, column: usize) -> String {
    let plain = !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    let sheet = if plain { sheet.to_string() } else { format!("'{}'", sheet.replace('\'', "''")) };
    format!("{sheet}!{}{row}", column_letters(column))
}

/// The letters of a 1-based column number: 1 → A, 26 → Z, 27 → AA.
pub fn column_letters(column: usize) -> String {
    let mut n = column.max(1);
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// A collection of problems, kept in a stable order (by path, then position) so
/// that the output does not depend on which thread found what first.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, path: &Path, line: usize, column: usize, message: impl Into<String>) {
        self.push(Diagnostic::new(path, line, column, message));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The problems, sorted by file and position.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| key(a).cmp(&key(b)));
        self.items.dedup();
        self.items
    }
}

/// The order of problems: by file, sheet, then position.
fn key(d: &Diagnostic) -> (&Path, &Option<String>, usize, usize, &str) {
    (&d.path, &d.sheet, d.line, d.column, &d.message)
}

/// Converts a byte offset in `text` into a 1-based (line, column), counting columns
/// in characters, as editors do.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "аб\nвгд=1";
        assert_eq!(line_col(text, 0), (1, 1));
        let eq = text.find('=').unwrap();
        assert_eq!(line_col(text, eq), (2, 4));
    }

    #[test]
    fn every_problem_has_a_line_and_column() {
        let p = Path::new("a.csv");
        assert_eq!(Diagnostic::new(p, 3, 7, "bad").to_string(), "a.csv:3:7: bad");
        assert_eq!(Diagnostic::new(p, 3, 0, "bad").to_string(), "a.csv:3:1: bad");
        assert_eq!(Diagnostic::file(p, "missing").to_string(), "a.csv:1:1: missing");
    }

    #[test]
    fn cells_have_their_spreadsheet_address() {
        let p = Path::new("data/records/akmola.xlsx");
        let d = Diagnostic::cell(p, "Лист1", 213, 6, "bad");
        assert_eq!(d.to_string(), "data/records/akmola.xlsx: Лист1!F213: bad");
        assert_eq!(cell_address("Sheet 1", 2, 1), "'Sheet 1'!A2");
        assert_eq!(cell_address("O'Brien list", 2, 28), "'O''Brien list'!AB2");
        let letters: Vec<String> = [1, 26, 27, 52, 53, 702, 703].into_iter().map(column_letters).collect();
        assert_eq!(letters, ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
    }
}
