//! Where a row of a record file is, and how messages name it: a line and
//! column of a CSV file (`people.csv:12:7`), or a cell of a spreadsheet's
//! sheet (`akmola.xlsx: Лист1!F213`).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::columns::Column;
use super::MAX_FIELD_BYTES;
use crate::diagnostics::Diagnostic;

/// Where a row came from, for messages that name both rows of a conflict.
#[derive(Debug, Clone)]
pub(super) struct RowOrigin {
    pub file: usize,
    /// Its table in the file: 0 in a CSV file; in a workbook, the index of
    /// its sheet among those read.
    pub table: u16,
    /// The (first) line of a CSV record; the 1-based row of a sheet's.
    pub line: usize,
    /// Byte offset of a CSV record in its file, to find a field's column
    /// again (0 in a sheet, where a field's column is known).
    pub byte: u64,
}

/// One table of a record file, with its own header: a CSV file's only one,
/// or one sheet of a workbook.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    /// The sheet's name and the 0-based column of its first used cell; None
    /// in a CSV file.
    pub sheet: Option<(String, u32)>,
    /// The column of each field of the header (None: unknown or repeated).
    pub header: Vec<Option<Column>>,
}

impl Table {
    /// A message at field `field` of the row at `origin`, or at the row
    /// itself (its first field) when None.
    pub fn diagnostic(&self, path: &Path, origin: &RowOrigin, field: Option<usize>, message: String) -> Diagnostic {
        match &self.sheet {
            None => {
                let (line, column) =
                    field.map_or((origin.line, 1), |f| field_position(path, origin.byte, origin.line, f));
                Diagnostic::new(path, line, column, message)
            }
            Some((name, first)) => {
                Diagnostic::cell(path, name, origin.line, *first as usize + field.unwrap_or(0) + 1, message)
            }
        }
    }

    /// The row at `origin` as another row's message names it:
    /// `people.csv:12`, or `akmola.xlsx, sheet Лист1, row 213`.
    pub fn describe(&self, path: &Path, origin: &RowOrigin) -> String {
        match &self.sheet {
            None => format!("{}:{}", path.display(), origin.line),
            Some((name, _)) => format!("{}, sheet {name}, row {}", path.display(), origin.line),
        }
    }
}

/// The record files and their tables, to find a field of a row again.
pub(super) struct Sources<'a> {
    pub files: &'a [PathBuf],
    /// The tables of each file.
    pub tables: &'a [Vec<Table>],
}

impl Sources<'_> {
    fn table(&self, origin: &RowOrigin) -> &Table {
        &self.tables[origin.file][origin.table as usize]
    }

    /// The index of `column`'s field in the row at `origin`.
    pub fn field(&self, origin: &RowOrigin, column: Column) -> Option<usize> {
        self.table(origin).header.iter().position(|c| *c == Some(column))
    }

    /// A message at field `field` of the row at `origin` (None: the row).
    pub fn at(&self, origin: &RowOrigin, field: Option<usize>, message: String) -> Diagnostic {
        self.table(origin).diagnostic(&self.files[origin.file], origin, field, message)
    }

    /// The row at `origin` as another row's message names it.
    pub fn describe(&self, origin: &RowOrigin) -> String {
        self.table(origin).describe(&self.files[origin.file], origin)
    }

    /// The name of the sheet the row at `origin` is on; None in a CSV file.
    pub fn sheet(&self, origin: &RowOrigin) -> Option<&str> {
        self.table(origin).sheet.as_ref().map(|(name, _)| name.as_str())
    }
}

/// The (line, column) of field `field` of the record starting at byte `start`.
/// The CSV reader reports only where records start, so the record's bytes are
/// read again from the file — only when there is a problem to report.
fn field_position(path: &Path, start: u64, line: usize, field: usize) -> (usize, usize) {
    let mut bytes = Vec::new();
    let read = File::open(path).and_then(|mut f| {
        f.seek(SeekFrom::Start(start))?;
        f.take(MAX_FIELD_BYTES as u64 * 4).read_to_end(&mut bytes)
    });
    match read {
        Ok(_) => field_position_in(&bytes, line, field),
        Err(_) => (line, 0),
    }
}

/// The (line, column) of field `field` of the record at the start of `record`.
fn field_position_in(record: &[u8], line: usize, field: usize) -> (usize, usize) {
    let mut line = line;
    let mut line_start = 0;
    let mut in_quotes = false;
    let mut current = 0;
    let mut i = 0;
    while i < record.len() && current < field {
        match record[i] {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => current += 1,
            b'\n' if in_quotes => {
                line += 1;
                line_start = i + 1;
            }
            b'\n' if !in_quotes => break,
            _ => {}
        }
        i += 1;
    }
    let column = String::from_utf8_lossy(&record[line_start..i.min(record.len())]).chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_positions_follow_quotes_and_characters() {
        let record = "ab,\"Ж,ж\",x\n".as_bytes();
        assert_eq!(field_position_in(record, 2, 0), (2, 1));
        assert_eq!(field_position_in(record, 2, 1), (2, 4));
        assert_eq!(field_position_in(record, 2, 2), (2, 10));
    }

    #[test]
    fn rows_of_sheets_are_named_by_cell_and_by_row() {
        let path = Path::new("data/records/akmola.xlsx");
        let table = Table { sheet: Some(("Лист1".into(), 2)), header: Vec::new() };
        let origin = RowOrigin { file: 0, table: 0, line: 213, byte: 0 };
        assert_eq!(
            table.diagnostic(path, &origin, Some(3), "bad".into()).to_string(),
            "data/records/akmola.xlsx: Лист1!F213: bad",
            "a table that starts in column C"
        );
        assert_eq!(
            table.diagnostic(path, &origin, None, "bad".into()).to_string(),
            "data/records/akmola.xlsx: Лист1!C213: bad"
        );
        assert_eq!(table.describe(path, &origin), "data/records/akmola.xlsx, sheet Лист1, row 213");
        let csv = Table::default();
        assert_eq!(csv.describe(Path::new("a.csv"), &RowOrigin { line: 4, ..origin }), "a.csv:4");
    }
}

/// A row of a record file: an index into [`super::Records::files`], its sheet in a
/// workbook, and its line (a sheet's row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub file: usize,
    pub sheet: Option<Box<str>>,
    pub line: usize,
}

impl SourceRow {
    /// `people.csv:12`, or `akmola.xlsx: Лист1!213` for a sheet's row.
    pub fn describe(&self, path: &Path) -> String {
        match &self.sheet {
            None => format!("{}:{}", path.display(), self.line),
            Some(sheet) => format!("{}: {sheet}!{}", path.display(), self.line),
        }
    }
}
