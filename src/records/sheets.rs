//! Record files that editors keep as spreadsheets (`.xlsx`, `.ods`), read with
//! calamine into the same rows of text a CSV file gives, so that one parser
//! validates both. Each cell is converted as an editor would read it: a date
//! cell becomes `YYYY-MM-DD`, a whole number its digits (a year typed as a
//! number, an id typed as a number), a text its text; what has no honest
//! text form (a fraction, a time of day, a formula's error, TRUE/FALSE) is an
//! error at the cell.

use std::path::Path;

use calamine::{Data, Range, Reader, SheetType};

use super::columns::Column;

/// Extensions of the spreadsheet files read as records (lowercase).
pub const EXTENSIONS: [&str; 2] = ["xlsx", "ods"];

/// Largest workbook accepted. A workbook is compressed XML, and calamine
/// holds a whole sheet's cells in memory, several times the file's size: a
/// larger record set belongs in several files (or in CSV, read as a stream).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One sheet read as a table of records: its header row first.
pub struct Sheet {
    pub name: String,
    /// 0-based column of the sheet's first used cell (a table may start right
    /// of column A): field `i` of a row is in column `first_column + i`.
    pub first_column: u32,
    pub rows: Vec<SheetRow>,
}

/// One non-empty row of a sheet, as text.
pub struct SheetRow {
    /// 1-based, as the spreadsheet program numbers it.
    pub row: usize,
    pub record: csv::ByteRecord,
    /// Fields whose cell has no text form, with the reason: the row is not
    /// read, and each is reported at its cell.
    pub bad: Vec<(usize, String)>,
}

/// The sheets of the workbook at `path` that hold records: those whose first
/// row names at least two columns of the contract (others — notes, lists of
/// codes — are left out). An error when it cannot be read or no sheet holds
/// records.
pub fn read(path: &Path) -> Result<Vec<Sheet>, String> {
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| format!("cannot read the spreadsheet: {e}"))?;
    let names: Vec<String> =
        workbook.sheets_metadata().iter().filter(|s| s.typ == SheetType::WorkSheet).map(|s| s.name.clone()).collect();
    let mut sheets = Vec::new();
    let mut skipped = Vec::new();
    for name in names {
        let range = workbook.worksheet_range(&name).map_err(|e| format!("cannot read sheet {name:?}: {e}"))?;
        match sheet(&name, &range) {
            Some(sheet) => sheets.push(sheet),
            None => skipped.push(describe_first_row(&name, &range)),
        }
    }
    if sheets.is_empty() {
        return Err(format!(
            "no sheet of this workbook has a header row of record columns (id, surname, given_name, region, status, …) in its first row, so nothing was read: {}",
            if skipped.is_empty() { "the workbook has no sheet".to_string() } else { skipped.join("; ") }
        ));
    }
    Ok(sheets)
}

/// The ids of the records sheets of the workbook at `path` (none when it
/// cannot be read), for tools that look a record up without a build.
pub fn ids(path: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    for sheet in read(path).unwrap_or_default() {
        let Some((header, rows)) = sheet.rows.split_first() else { continue };
        let Some(column) = header.record.iter().position(|name| name.trim_ascii() == b"id") else { continue };
        let texts = rows.iter().filter_map(|row| std::str::from_utf8(row.record.get(column)?).ok());
        ids.extend(texts.map(|id| id.trim().to_string()));
    }
    ids
}

/// How many of a header's names must be columns of the contract for a sheet
/// to be read as records: two, so that a list of codes with a `region`
/// column is not taken for one, while a records sheet with typos in its
/// header is still read (and its unknown columns reported).
const MIN_KNOWN_COLUMNS: usize = 2;

/// `range` as a table of records, or None when its first row is not a header.
fn sheet(name: &str, range: &Range<Data>) -> Option<Sheet> {
    let (first_row, first_column) = range.start()?;
    let mut rows = range.rows().enumerate().filter(|(_, cells)| cells.iter().any(|c| !is_blank(c)));
    let (header_index, header_cells) = rows.next()?;
    let header: Vec<Option<Column>> =
        header_cells.iter().map(|c| Column::from_name(cell_text(c, None).ok()?.trim())).collect();
    if header.iter().flatten().count() < MIN_KNOWN_COLUMNS {
        return None;
    }
    // Trailing empty header cells are no columns (a sheet's used range is as
    // wide as its widest row).
    let width = header_cells.iter().rposition(|c| !is_blank(c)).map_or(0, |i| i + 1);
    let row_number = |index: usize| first_row as usize + index + 1;
    let mut out = vec![convert(row_number(header_index), &header_cells[..width], &[], &[])];
    for (index, cells) in rows {
        let (inside, outside) = cells.split_at(width.min(cells.len()));
        out.push(convert(row_number(index), inside, outside, &header));
    }
    Some(Sheet { name: name.to_string(), first_column, rows: out })
}

/// One row as text: `cells` under the header's columns, `outside` the cells
/// right of the last one (an error when not empty: no column names them).
fn convert(row: usize, cells: &[Data], outside: &[Data], header: &[Option<Column>]) -> SheetRow {
    let mut record = csv::ByteRecord::new();
    let mut bad = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        match cell_text(cell, header.get(i).copied().flatten()) {
            Ok(text) => record.push_field(text.as_bytes()),
            Err(message) => {
                record.push_field(b"");
                bad.push((i, message));
            }
        }
    }
    for (i, cell) in outside.iter().enumerate() {
        if !is_blank(cell) {
            bad.push((cells.len() + i, "this cell is right of the last column of the header row, which names no column for it: give the column a name in the header or empty the cell".to_string()));
        }
    }
    SheetRow { row, record, bad }
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The columns that hold dates: a number there is a year.
const DATES: [Column; 5] =
    [Column::BirthDate, Column::DeathDate, Column::ArrestDate, Column::SentenceDate, Column::RehabilitationDate];

/// The largest whole number a cell holds exactly (2^53): beyond it digits
/// were already lost.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The text of a cell in `column` as the record's field, or why it has none.
pub fn cell_text(cell: &Data, column: Option<Column>) -> Result<String, String> {
    match cell {
        Data::Empty => Ok(String::new()),
        Data::String(s) => match formula_error(s.trim()) {
            Some(e) => Err(error_message(e)),
            None => Ok(s.clone()),
        },
        Data::Int(i) => Ok(i.to_string()),
        Data::Float(f) => number(*f, column),
        Data::DateTime(dt) if dt.is_duration() => Err(not_a_date("a duration")),
        Data::DateTime(dt) if dt.as_f64() < 1.0 => Err(not_a_date("a time of day")),
        Data::DateTime(dt) if dt.as_f64().fract() != 0.0 => Err(with_time()),
        Data::DateTime(dt) => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            Ok(format!("{year:04}-{month:02}-{day:02}"))
        }
        Data::DateTimeIso(iso) => iso_date(iso),
        Data::DurationIso(_) => Err(not_a_date("a time or duration")),
        Data::Error(e) => Err(error_message(&e.to_string())),
        Data::Bool(b) => Err(format!(
            "the cell holds the logical value {}, which no column of a record holds: type the text instead",
            if *b { "TRUE" } else { "FALSE" }
        )),
    }
}

/// A number cell's text: its digits when it is whole (a year typed as a
/// number, an id typed as a number), an error otherwise, as no column holds a
/// fraction.
fn number(value: f64, column: Option<Column>) -> Result<String, String> {
    let is_date = column.is_some_and(|c| DATES.contains(&c));
    if value.fract() == 0.0 && value.abs() < MAX_EXACT {
        return Ok(format!("{}", value as i64));
    }
    Err(if is_date {
        format!("the number {value} is not a whole year: type a year (1937), a date (1937-11-05), or format the cell as a date")
    } else {
        format!("the number {value} is not a whole number, which no column of a record holds: if it is meant as text, format the cell as text and type it again")
    })
}

/// An OpenDocument date cell (`1937-11-05` or `1937-11-05T00:00:00`): its
/// date, or an error when it has a time of day.
fn iso_date(iso: &str) -> Result<String, String> {
    match iso.split_once('T') {
        None => Ok(iso.to_string()),
        Some((date, time)) if time.chars().all(|c| matches!(c, '0' | ':' | '.')) => Ok(date.to_string()),
        Some(_) => Err(with_time()),
    }
}

fn not_a_date(what: &str) -> String {
    format!("the cell holds {what}, not a date: type the date (1937-11-05), or format the cell as a date")
}

/// Dates of records are days: a time of day is a sign that the cell is not
/// what it seems (a formula such as NOW(), a date typed with an hour), so it
/// is refused rather than cut off.
fn with_time() -> String {
    "the cell holds a date with a time of day, but the dates of a record are days: type the date alone, or format the cell as a date without time".to_string()
}

/// The error values formulas show, as a text: LibreOffice files keep a
/// failed formula's error as its text.
fn formula_error(text: &str) -> Option<&str> {
    const ERRORS: [&str; 8] = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!"];
    let libreoffice = text.strip_prefix("Err:").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (ERRORS.contains(&text) || libreoffice).then_some(text)
}

fn error_message(error: &str) -> String {
    format!("the cell shows the error {error} (a formula that failed): correct the formula, or type the value")
}

/// A skipped sheet as the error of a workbook without records names it.
fn describe_first_row(name: &str, range: &Range<Data>) -> String {
    let first = range.rows().find(|cells| cells.iter().any(|c| !is_blank(c)));
    match first {
        None => format!("sheet {name:?} is empty"),
        Some(cells) => {
            let texts: Vec<String> =
                cells.iter().filter(|c| !is_blank(c)).take(5).map(|c| format!("{:?}", c.to_string().trim())).collect();
            format!("sheet {name:?} begins with {}", texts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn excel(serial: f64, kind: ExcelDateTimeType) -> Data {
        Data::DateTime(ExcelDateTime::new(serial, kind, false))
    }

    #[test]
    fn dates_become_days() {
        assert_eq!(cell_text(&excel(13_824.0, ExcelDateTimeType::DateTime), None).unwrap(), "1937-11-05");
        assert_eq!(cell_text(&excel(1.0, ExcelDateTimeType::DateTime), None).unwrap(), "1900-01-01");
        assert!(cell_text(&excel(13_824.5, ExcelDateTimeType::DateTime), None).unwrap_err().contains("time of day"));
        assert!(cell_text(&excel(0.5, ExcelDateTimeType::DateTime), None)
            .unwrap_err()
            .contains("a time of day, not a date"));
        assert!(cell_text(&excel(1.5, ExcelDateTimeType::TimeDelta), None).unwrap_err().contains("duration"));
        let iso = |s: &str| cell_text(&Data::DateTimeIso(s.into()), None);
        assert_eq!(iso("1937-11-05").unwrap(), "1937-11-05");
        assert_eq!(iso("1937-11-05T00:00:00").unwrap(), "1937-11-05");
        assert!(iso("1937-11-05T10:30:00").is_err());
        assert!(cell_text(&Data::DurationIso("PT10H".into()), None).is_err());
    }

    #[test]
    fn whole_numbers_are_digits_and_fractions_errors() {
        assert_eq!(cell_text(&Data::Float(1937.0), Some(Column::BirthDate)).unwrap(), "1937");
        assert_eq!(cell_text(&Data::Float(1024.0), Some(Column::Id)).unwrap(), "1024");
        assert_eq!(cell_text(&Data::Int(10), Some(Column::SentenceYears)).unwrap(), "10");
        let year = cell_text(&Data::Float(1937.5), Some(Column::BirthDate)).unwrap_err();
        assert!(year.contains("1937.5 is not a whole year"), "{year}");
        assert!(cell_text(&Data::Float(2.5), Some(Column::Note)).unwrap_err().contains("not a whole number"));
        assert!(cell_text(&Data::Float(1e20), None).is_err(), "digits already lost");
        assert!(cell_text(&Data::Float(f64::NAN), None).is_err());
    }

    #[test]
    fn texts_stay_and_errors_are_refused() {
        assert_eq!(cell_text(&Data::String(" Ахмет ".into()), None).unwrap(), " Ахмет ");
        assert_eq!(cell_text(&Data::Empty, None).unwrap(), "");
        let error = cell_text(&Data::Error(CellErrorType::Ref), None).unwrap_err();
        assert!(error.contains("#REF!"), "{error}");
        assert!(cell_text(&Data::String("#N/A".into()), None).unwrap_err().contains("#N/A"));
        assert!(cell_text(&Data::String("Err:502".into()), None).is_err());
        assert_eq!(cell_text(&Data::String("Err: see note".into()), None).unwrap(), "Err: see note");
        assert!(cell_text(&Data::Bool(true), None).unwrap_err().contains("TRUE"));
    }
}
